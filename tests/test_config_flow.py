"""Adding a camera through the config flow, against virtual cameras over loopback sockets."""

from __future__ import annotations

from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras.scanner import async_get_scanner
from custom_components.homebound.const import (
    CONF_DEVICE,
    CONF_OBSERVED_MAC,
    CONF_SERIAL,
    DOMAIN,
    MANUAL_ENTRY,
    SEARCH_AGAIN,
)
from custom_components.homebound.device import CameraFaultError
from custom_components.homebound.device.discovery import ENV_DISCOVERY_TARGETS
from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import SIM_MAC, entry_data
from .flows import (
    credentials,
    free_tcp_port,
    manual_input,
    offered,
    pick_options,
    start_user_flow,
    suggested,
)


async def test_discovered_camera(hass: HomeAssistant, discoverable: VirtualCamera) -> None:
    """A camera found by WS-Discovery is listed, picked and signed in to."""
    result = await start_user_flow(hass, found=True)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    assert result["description_placeholders"] == {"found": "1", "added": "0"}
    key = f"127.0.0.1:{discoverable.onvif_port}"
    options = pick_options(result)
    assert [o["value"] for o in options] == [key, MANUAL_ENTRY, SEARCH_AGAIN]
    assert "Virtual Camera" in options[0]["label"]
    assert suggested(result, CONF_DEVICE) == key  # the camera is chosen when the list opens

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_DEVICE: key})
    assert result["step_id"] == "credentials"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials(discoverable, **{CONF_PASSWORD: "wrong"})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials(discoverable)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Virtual Camera"
    assert result["result"].unique_id == SIM_MAC
    assert result["data"] == entry_data(discoverable, **{CONF_SERIAL: "HBSIM0001"})
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED
    # The search also offered it as a "Discovered" card: adding it ended that offer.
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_discovery_says_what_is_already_added(
    hass: HomeAssistant, discoverable: VirtualCamera
) -> None:
    """A camera already set up is not offered again, and the form says it was found."""
    MockConfigEntry(domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(discoverable)).add_to_hass(
        hass
    )
    result = await start_user_flow(hass, found=True)
    assert result["step_id"] == "pick"
    assert result["description_placeholders"] == {"found": "1", "added": "1"}
    assert offered(result) == [MANUAL_ENTRY, SEARCH_AGAIN]
    assert suggested(result, CONF_DEVICE) == MANUAL_ENTRY


async def test_search_again_and_known_cameras_at_once(
    hass: HomeAssistant, discoverable: VirtualCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh search is listed without searching; "search again" searches anew."""
    await async_get_scanner(hass).async_scan()
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "camera"}
    )
    assert result["step_id"] == "pick"
    assert not async_get_scanner(hass).searching  # fresh: nothing searched behind the list
    assert offered(result) == [f"127.0.0.1:{discoverable.onvif_port}", MANUAL_ENTRY, SEARCH_AGAIN]
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, "127.0.0.1:9")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DEVICE: SEARCH_AGAIN}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    await hass.async_block_till_done()
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["step_id"] == "pick"
    assert result["description_placeholders"] == {"found": "0", "added": "0"}


async def test_background_search_offers_new_cameras(
    hass: HomeAssistant, discoverable: VirtualCamera
) -> None:
    """The background search starts a discovery flow, shown as a "Discovered" card."""
    await async_get_scanner(hass).async_scan_and_offer()
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_INTEGRATION_DISCOVERY]
    assert flows[0]["context"]["title_placeholders"] == {"name": "Virtual Camera"}
    assert flows[0]["context"]["unique_id"] == SIM_MAC
    # A second search does not offer it twice.
    await async_get_scanner(hass).async_scan_and_offer()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1

    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], credentials(discoverable)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    # Added now: the next search offers nothing.
    await async_get_scanner(hass).async_scan_and_offer()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_pick_manual(hass: HomeAssistant, discoverable: VirtualCamera) -> None:
    """Choosing manual entry from the list shows the address form."""
    result = await start_user_flow(hass, found=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DEVICE: MANUAL_ENTRY}
    )
    assert result["step_id"] == "manual"


async def test_manual_entry(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Nothing discovered: the address is entered by hand, port 80 by default."""
    result = await start_user_flow(hass, manual=True)
    assert result["step_id"] == "manual"
    schema = result["data_schema"]
    assert schema is not None
    assert schema({CONF_HOST: "x", CONF_USERNAME: "u", CONF_PASSWORD: "p"})[CONF_PORT] == 80
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == SIM_MAC
    # The MAC is the camera's own report; nothing on the network confirmed it.
    assert CONF_OBSERVED_MAC not in result["result"].data
    await hass.async_block_till_done()


async def _router_page(_: web.Request) -> web.Response:
    return web.Response(text="<html>router</html>", content_type="text/html")


async def test_manual_errors(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Unreachable, wrong password and not-ONVIF each give their own error, then success."""
    result = await start_user_flow(hass, manual=True)
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**manual_input(camera), CONF_PORT: free_tcp_port()}
    )
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**manual_input(camera), CONF_PASSWORD: "nope"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    # A web server that is not a camera.
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _router_page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        result = await hass.config_entries.flow.async_configure(
            flow_id, {**manual_input(camera), CONF_PORT: port}
        )
    finally:
        await runner.cleanup()
    assert result["errors"] == {"base": "not_onvif"}

    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "camera_config",
    [CameraConfig(rtsp=False, quirks=frozenset({Quirk.NON_SOAP_FAULTS}))],
    ids=["non_soap_faults"],
)
async def test_wrong_password_with_plain_text_errors(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """A camera answering faults as plain-text HTTP 500 still gets "invalid_auth" for a
    wrong password, not "not an ONVIF device"."""
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual_input(camera), CONF_PASSWORD: "nope"}
    )
    assert result["errors"] == {"base": "invalid_auth"}


async def test_manual_already_configured(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """The same camera found again under another address is not added twice: its entry
    follows it (the address typed is the one it answers at now)."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(camera, **{CONF_PORT: 1})
    )
    entry.add_to_hass(hass)
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.ABORT
    # The user is told what happened: not only "already set up", but that it moved.
    assert result["reason"] == "camera_moved"
    assert result["description_placeholders"] == {
        "name": entry.title,
        "address": f"127\\.0\\.0\\.1:{camera.onvif_port}",
    }
    assert entry.data[CONF_PORT] == camera.onvif_port
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@pytest.mark.parametrize(
    ("quirks", "unique_id"),
    [
        (frozenset({Quirk.NO_NETWORK_INTERFACES}), "hbsim0001"),
        (frozenset({Quirk.NON_SOAP_FAULTS}), SIM_MAC),
        (frozenset({Quirk.AUTH_ON_DATE_TIME}), SIM_MAC),
        (frozenset({Quirk.NO_MEDIA2}), SIM_MAC),
        (frozenset({Quirk.NON_SOAP_FAULTS, Quirk.NO_NETWORK_INTERFACES}), "hbsim0001"),
    ],
)
async def test_quirky_cameras(
    hass: HomeAssistant, quirks: frozenset[Quirk], unique_id: str
) -> None:
    """Cameras that bend the standard still set up; without a MAC the serial identifies them."""
    async with VirtualCamera(CameraConfig(rtsp=False, quirks=quirks)) as sim:
        result = await start_user_flow(hass, manual=True)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], manual_input(sim)
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
        assert result["result"].unique_id == unique_id
        await hass.async_block_till_done()
        assert result["result"].state is ConfigEntryState.LOADED
        await hass.config_entries.async_unload(result["result"].entry_id)


async def test_clock_skew(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """A camera whose clock is hours off still accepts the sign-in."""
    camera.skew_clock(-5 * 3600)
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (CameraFaultError("GetProfiles: internal error"), "cannot_connect"),
        (RuntimeError("a bug"), "unknown"),
    ],
)
async def test_unexpected_probe_errors_are_form_errors(
    hass: HomeAssistant, camera: VirtualCamera, error: Exception, key: str
) -> None:
    """Whatever goes wrong in the probe, the form shows an error, never a traceback."""
    result = await start_user_flow(hass, manual=True)
    with patch("custom_components.homebound.device.OnvifClient.async_connect", side_effect=error):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], manual_input(camera)
        )
    assert result["errors"] == {"base": key}


@pytest.mark.parametrize(
    ("camera_config", "title"),
    [
        (CameraConfig(rtsp=False, manufacturer="Acme", model="IPC-1"), "Acme IPC-1"),
        (CameraConfig(rtsp=False, manufacturer="Acme", model="ACME IPC-2"), "ACME IPC-2"),
    ],
    ids=["maker_model", "model_has_maker"],
)
async def test_title_names_maker_and_model_once(
    hass: HomeAssistant, camera: VirtualCamera, title: str
) -> None:
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["title"] == title
    await hass.async_block_till_done()
