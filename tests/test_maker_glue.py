"""Who made each camera, through Home Assistant: the device page, the Maker status sensor.

Each persona is set up as a camera entry against the simulator over loopback; the MAC DHCP saw
(``observed_mac``) is the persona's own unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import threading
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.homebound.cameras import maker as maker_module
from custom_components.homebound.catalog import load_catalog
from custom_components.homebound.const import CONF_OBSERVED_MAC, DOMAIN

from .maker_support import (
    ROOT,
    StartCamera,
    camera_device,
    camera_starter,
    maker_state,
    persona_entry,
    set_up,
    web_requests,
)

FEDERAL = ["Entity List", "NDAA §889", "FCC Covered List"]

# persona: (device manufacturer, sensor state, maker, sold_as, brand, confidence, badges[:3])
EXPECTED: dict[str, tuple[str, str, str | None, str | None, str | None, str, list[str]]] = {
    "lts": (
        "Hikvision (sold as LTS)",
        "listed",
        "Hikvision",
        "LTS",
        "LTS",
        "firmware",
        FEDERAL,
    ),
    "amcrest": (
        "Dahua (sold as Amcrest)",
        "listed",
        "Dahua",
        "Amcrest",
        "Amcrest",
        "firmware",
        FEDERAL,
    ),
    "xiongmai": ("Xiongmai", "none_known", "Xiongmai", None, None, "firmware", []),
    "reolink": ("Reolink", "none_known", "Reolink", None, None, "documented", []),
    "hikvision-exploited": ("Hikvision", "listed", "Hikvision", None, None, "firmware", FEDERAL),
    # Annke's maker is only suspected in the sources: not presented as fact.
    "annke": ("ANNKE", "unknown_maker", None, None, "Annke", "unknown", []),
    "generic": ("Homebound", "unknown_maker", None, None, None, "unknown", []),
}


@pytest.fixture
async def start_camera() -> AsyncIterator[StartCamera]:
    async with camera_starter() as start:
        yield start


@pytest.mark.parametrize("persona", sorted(EXPECTED))
async def test_each_persona_is_identified_through_home_assistant(
    hass: HomeAssistant, start_camera: StartCamera, persona: str
) -> None:
    """Device page, sensor state and attributes; set-up added one unauthenticated GET /."""
    manufacturer, state, maker, sold_as, brand, confidence, badges = EXPECTED[persona]
    camera = await start_camera(persona)
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)

    device = camera_device(hass, entry)
    assert device.manufacturer == manufacturer
    assert device.model == camera.config.model
    sensor = maker_state(hass, entry)
    assert sensor.state == state
    attributes = sensor.attributes
    assert attributes["maker"] == maker
    assert attributes["sold_as"] == sold_as
    assert attributes["brand"] == brand
    assert attributes["confidence"] == confidence
    assert attributes["badges"][:3] == badges
    assert attributes["covered"] is (badges == FEDERAL)
    assert attributes["home_use"] == "not_illegal"
    roots = [r for r in web_requests(camera) if r.path == "/"]
    assert roots == [ROOT]


async def test_each_action_says_its_date_scope_and_source(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Entity List = exports to the maker, NDAA §889 = federal procurement, FCC = authorisation."""
    camera = await start_camera("lts")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    attributes = maker_state(hass, entry).attributes
    assert attributes["summary"] == " · ".join(FEDERAL)
    actions = {a["key"]: a for a in attributes["actions"]}
    for action in actions.values():
        assert action["date"]
        assert action["scope"]
        assert action["sources"]
        assert action["via"] is None  # each names Hikvision itself
    assert actions["entity_list_2019"]["date"] == "2019-10-09"
    assert "export" in actions["entity_list_2019"]["scope"].lower()
    assert "federal agencies may not buy" in actions["ndaa_889_a"]["scope"]
    assert "equipment authorisation" in actions["fcc_22_84"]["scope"]
    assert attributes["proposals"] == []
    assert "illegal to own or use" in attributes["home_use_detail"]

    strings = await async_get_translations(hass, "en", "entity", {DOMAIN})
    prefix = f"component.{DOMAIN}.entity.sensor.maker_status"
    assert strings[f"{prefix}.state.listed"] == "Named in government actions"
    line = strings[f"{prefix}.state_attributes.home_use.state.not_illegal"]
    assert line.startswith("None of these actions makes it illegal to own or use this camera")
    assert strings[f"{prefix}.state_attributes.confidence.state.firmware"]


async def test_a_fingerprint_that_contradicts_the_onvif_name(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """A Hikvision firmware that says "Dahua" over ONVIF: the firmware wins, the claim is shown."""
    camera = await start_camera("hikvision-exploited", manufacturer="Dahua")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    assert camera_device(hass, entry).manufacturer == "Hikvision (reports itself as Dahua)"
    attributes = maker_state(hass, entry).attributes
    assert (attributes["maker"], attributes["confidence"]) == ("Hikvision", "firmware")
    assert attributes["sold_as"] is None


async def test_a_maker_missing_from_the_catalogue_is_unknown(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """Nothing is guessed: the state says so, the device page keeps the camera's own name."""
    camera = await start_camera("generic", manufacturer="Foscam", model="FI9900P")
    entry = persona_entry(hass, camera)
    await set_up(hass, entry)
    sensor = maker_state(hass, entry)
    assert sensor.state == "unknown_maker"
    assert sensor.attributes["maker"] is None
    assert sensor.attributes["actions"] == []
    assert sensor.attributes["badges"] == []
    device = camera_device(hass, entry)
    assert (device.manufacturer, device.model) == ("Foscam", "FI9900P")


async def test_the_mac_is_the_one_the_network_saw(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    """A camera claiming a Hikvision MAC proves nothing; DHCP seeing one is evidence (weak)."""
    claimed = await start_camera("generic", mac="44:19:b6:00:00:09")
    entry = persona_entry(hass, claimed, observed=None)
    await set_up(hass, entry)
    assert maker_state(hass, entry).state == "unknown_maker"
    # Nor did the claim make set-up ask the camera for Hikvision's API.
    assert not [r for r in web_requests(claimed) if r.path.startswith("/ISAPI")]

    seen = await start_camera("generic", mac="02:48:42:00:00:07")
    entry = persona_entry(hass, seen, observed="44:19:b6:00:00:07", title="Back door")
    await set_up(hass, entry)
    attributes = maker_state(hass, entry).attributes
    assert (attributes["maker"], attributes["confidence"]) == ("Hikvision", "mac")
    # A MAC prefix alone is not sure enough to rename the device.
    assert camera_device(hass, entry).manufacturer == "Homebound"


async def test_a_mac_dhcp_sees_later_changes_the_conclusion(
    hass: HomeAssistant, start_camera: StartCamera, caplog: pytest.LogCaptureFixture
) -> None:
    """Set up afresh with the MAC DHCP saw since: concluded again, the change logged."""
    camera = await start_camera("generic", mac="02:48:42:00:00:08")
    entry = persona_entry(hass, camera, observed=None)
    await set_up(hass, entry)
    assert maker_state(hass, entry).state == "unknown_maker"
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_OBSERVED_MAC: "4c:bd:8f:00:00:08"}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert maker_state(hass, entry).attributes["maker"] == "Hikvision"
    assert "maker now Hikvision (sold as Homebound) (mac) (was Homebound (unknown))" in caplog.text
    # The fingerprint was not taken again: same firmware.
    assert sum(r.path == "/" for r in web_requests(camera)) == 1


async def test_the_catalogue_is_read_once_off_the_event_loop(
    hass: HomeAssistant, start_camera: StartCamera
) -> None:
    threads: list[bool] = []

    def load() -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return load_catalog()

    with patch.object(maker_module, "load_catalog", load):
        for number, persona in enumerate(("lts", "reolink")):
            camera = await start_camera(persona)
            await set_up(hass, persona_entry(hass, camera, title=f"Camera {number}"))
    assert threads == [False]
