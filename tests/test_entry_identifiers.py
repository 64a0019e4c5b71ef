"""Entries made before Homebound kept a camera's identifiers get them on the next setup."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import CONF_MAC, CONF_SERIAL, DOMAIN
from simulator import VirtualCamera

from .conftest import entry_data


async def test_an_old_entry_learns_the_mac_and_serial(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """An entry stored with neither MAC nor serial (an early release) is given both once the
    camera answers, so that the camera is recognised when its address changes."""
    data = entry_data(camera)
    del data[CONF_MAC]
    entry = MockConfigEntry(domain=DOMAIN, title="Old", unique_id=camera.config.mac, data=data)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.data[CONF_MAC] == camera.config.mac
    assert entry.data[CONF_SERIAL] == camera.config.serial
