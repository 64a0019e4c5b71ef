"""The settings repair's fix flow at its edges, and the audit when its helpers fail.

One kind of change left goes straight to it; a camera unloaded under an open flow ends it at
any step; a repair whose things went away meanwhile has nothing to fix. The time-server option
of an unloaded camera is kept for its next set-up; a catalogue that does not load leaves the
audit working (without a maker's name).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.homebound.catalog import CatalogError
from custom_components.homebound.const import (
    CONF_AUTO_OFF,
    CONF_EVENT_SOURCE,
    CONF_NTP_SERVER,
    CONF_RTSP_TRANSPORT,
)

from .settings_glue import (
    Cameras,
    add_audited,
    audit_of,
    audited,
    features_listed,
    fix_flow_step,
    issue_of,
    start_fix_flow,
    virtual_cameras,
)


@pytest.fixture
async def cameras() -> AsyncIterator[Cameras]:
    """Cameras of any persona for one test."""
    async with virtual_cameras() as started:
        yield started


async def test_only_the_switch_off_left_goes_straight_to_it(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """A Hikvision on DHCP with local time and resolvers: only its cloud switches remain."""
    camera = await cameras.start("hikvision", dhcp=True, ntp_servers=("192.168.1.2",))
    camera.network.dns = ["192.168.1.1"]
    entry = await add_audited(hass, camera)
    assert audit_of(entry).fixes() == ["switch_off"]
    result = await start_fix_flow(hass, entry)
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "switch_off")
    result = await fix_flow_step(hass, result["flow_id"], {})
    assert result["menu_options"] == ["finish"]
    assert issue_of(hass, entry) is None
    result = await fix_flow_step(hass, result["flow_id"], {"next_step_id": "finish"})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_only_the_clock_left_goes_straight_to_it(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    """A generic camera on DHCP with a local resolver: only its time server is left."""
    camera = await cameras.start("generic", dhcp=True)
    camera.network.dns = ["192.168.1.1"]
    entry = await add_audited(hass, camera)
    result = await start_fix_flow(hass, entry)
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "set_ntp")
    assert features_listed(hass, entry) == ["time comes from `pool.ntp.org`"]


@pytest.mark.parametrize("step", ["switch_off", "set_ntp", "remove_gateway", "results"])
async def test_a_camera_unloaded_under_an_open_flow_ends_it(
    hass: HomeAssistant, cameras: Cameras, step: str
) -> None:
    entry = await add_audited(hass, await cameras.start("hikvision"))
    result = await start_fix_flow(hass, entry)
    flow = result["flow_id"]
    if step == "results":
        result = await fix_flow_step(hass, flow, {"next_step_id": "set_ntp"})
        result = await fix_flow_step(hass, flow, {"server": "192.168.1.2"})
        assert result["step_id"] == "results"
    else:
        result = await fix_flow_step(hass, flow, {"next_step_id": step})
        assert result["step_id"] == step
    await hass.config_entries.async_unload(entry.entry_id)
    answer: dict[str, Any] = {"server": "192.168.1.2"} if step == "set_ntp" else {}
    if step == "results":
        answer = {"next_step_id": "finish"}
        # Finishing needs no camera: the repair stays, since the camera was not done.
        result = await fix_flow_step(hass, flow, answer)
        assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "still_on")
        return
    result = await fix_flow_step(hass, flow, answer)
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "entry_gone")


async def test_a_repair_with_nothing_left_to_fix_says_so(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    entry = await add_audited(hass, await cameras.start("generic", dhcp=True))
    audit_of(entry).findings = []  # as if the camera changed since the repair was raised
    result = await start_fix_flow(hass, entry)
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "nothing_to_fix")


async def test_the_option_of_an_unloaded_camera_waits_for_its_set_up(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("generic")
    entry = await add_audited(hass, camera)
    await hass.config_entries.async_unload(entry.entry_id)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_RTSP_TRANSPORT: "tcp",
            CONF_AUTO_OFF: 60,
            CONF_EVENT_SOURCE: "auto",
            CONF_NTP_SERVER: "192.168.1.4",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert camera.network.ntp == ["pool.ntp.org"]  # nothing sent to an unloaded camera
    await hass.async_block_till_done()  # saving the options sets the entry up again
    await audited(entry)
    assert camera.network.ntp == ["192.168.1.4"]  # the set-up's audit set it
    assert [r.outcome.value for r in audit_of(entry).changes] == ["done"]


async def test_a_catalogue_that_does_not_load_leaves_the_audit_working(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    def broken() -> None:
        raise CatalogError("makers.json: broken")

    with patch("custom_components.homebound.cameras.settings.load_catalog", broken):
        entry = await add_audited(hass, await cameras.start("xiongmai"))
    assert audit_of(entry).no_switch_maker is None
    assert features_listed(hass, entry) == [
        "time comes from `pool.ntp.org`",
        "names are looked up at `8.8.8.8`",
    ]
