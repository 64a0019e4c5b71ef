"""Helpers for the tests of who made each camera: persona entries, the sensor, the log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import CONF_OBSERVED_MAC, DOMAIN
from simulator import CameraConfig, VirtualCamera
from simulator.state import HttpRequest

from .conftest import entry_data

type StartCamera = Callable[..., Awaitable[VirtualCamera]]

ROOT = HttpRequest("GET", "/", authorized=False)
"""The one request identification adds: an unauthenticated GET of the web root."""


@asynccontextmanager
async def camera_starter() -> AsyncIterator[StartCamera]:
    """Start virtual cameras of any persona (no RTSP) until the block ends; then stop them.

    A test module's ``start_camera`` fixture yields from it.
    """
    started: list[VirtualCamera] = []

    async def start(persona: str = "generic", **settings: Any) -> VirtualCamera:
        camera = VirtualCamera(CameraConfig(persona=persona, rtsp=False, **settings))
        await camera.start()
        started.append(camera)
        return camera

    try:
        yield start
    finally:
        for camera in started:
            await camera.stop()


def persona_entry(
    hass: HomeAssistant,
    camera: VirtualCamera,
    *,
    observed: str | None = "camera",
    title: str = "Front door",
) -> MockConfigEntry:
    """A camera entry for ``camera``, added (not set up).

    ``observed``: the MAC DHCP saw lease the camera's address ("camera": the camera's real
    one, as DHCP sees it; None: DHCP never saw it).
    """
    data = entry_data(camera)
    if observed is not None:
        data[CONF_OBSERVED_MAC] = camera.config.mac if observed == "camera" else observed
    entry = MockConfigEntry(domain=DOMAIN, title=title, unique_id=camera.config.mac, data=data)
    entry.add_to_hass(hass)
    return entry


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let what it started settle."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def maker_entity_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The entity id of the entry's Maker status sensor."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.unique_id}_maker_status"
    )
    assert entity_id is not None, "no Maker status sensor"
    return entity_id


def maker_state(hass: HomeAssistant, entry: MockConfigEntry) -> State:
    """The state of the entry's Maker status sensor."""
    state = hass.states.get(maker_entity_id(hass, entry))
    assert state is not None
    return state


def camera_device(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    """The camera's device."""
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device


def web_requests(camera: VirtualCamera) -> list[HttpRequest]:
    """Every HTTP request the camera's web port received, in order."""
    return list(camera.state.http_log)
