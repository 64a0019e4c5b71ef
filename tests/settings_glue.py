"""Helpers of the tests of the camera-settings glue (tests/test_settings_*.py); no tests here.

Cameras of the simulator's personas are added through the config flow, over loopback, and the
audit Homebound starts in the background is waited for by its own signals (the first audit's
event, the count of audits), never by sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from typing import Any

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.homebound.cameras.settings import SettingsAudit
from custom_components.homebound.cameras.settings_issue import settings_issue_id
from custom_components.homebound.const import DOMAIN
from simulator import CameraConfig, VirtualCamera

from .events_helpers import WAIT, add_camera


class Cameras:
    """Virtual cameras of any persona (no RTSP) for one test (a module's fixture stops them)."""

    def __init__(self) -> None:
        """None started yet."""
        self.started: list[VirtualCamera] = []

    async def start(self, persona: str = "default", **settings: Any) -> VirtualCamera:
        """Start a camera of ``persona`` with ``settings`` (``CameraConfig`` fields)."""
        camera = VirtualCamera(CameraConfig(persona=persona, rtsp=False, **settings))
        await camera.start()
        self.started.append(camera)
        return camera

    async def stop(self) -> None:
        """Stop every camera started."""
        for camera in self.started:
            await camera.stop()


@contextlib.asynccontextmanager
async def virtual_cameras() -> AsyncIterator[Cameras]:
    """Cameras for one test, stopped afterwards (each test module's ``cameras`` fixture)."""
    cameras = Cameras()
    try:
        yield cameras
    finally:
        await cameras.stop()


def audit_of(entry: ConfigEntry[Any]) -> SettingsAudit:
    """The entry's settings audit."""
    audit: SettingsAudit | None = entry.runtime_data.settings
    assert audit is not None
    return audit


async def audited(entry: ConfigEntry[Any]) -> SettingsAudit:
    """Wait for the entry's first audit; return the audit."""
    audit = audit_of(entry)
    async with asyncio.timeout(WAIT):
        await audit.first_audit.wait()
    return audit


async def add_audited(hass: HomeAssistant, camera: VirtualCamera) -> ConfigEntry[Any]:
    """Add ``camera`` through the config flow and wait for its first audit."""
    assert await async_setup_component(hass, "repairs", {})
    entry = await add_camera(hass, camera)
    await audited(entry)
    await hass.async_block_till_done()
    return entry


async def audits_reach(entry: ConfigEntry[Any], count: int) -> None:
    """Wait until the entry's audit has run ``count`` times in all."""
    audit = audit_of(entry)
    done = asyncio.Event()
    remove = audit.async_listen(done.set)
    try:
        async with asyncio.timeout(WAIT):
            while audit.audits < count:
                done.clear()
                await done.wait()
    finally:
        remove()


def issue_of(hass: HomeAssistant, entry: ConfigEntry[Any]) -> ir.IssueEntry | None:
    """The camera's settings repair, if raised."""
    return ir.async_get(hass).async_get_issue(DOMAIN, settings_issue_id(entry.entry_id))


def features_listed(hass: HomeAssistant, entry: ConfigEntry[Any]) -> list[str]:
    """The lines of the camera's repair (its ``features`` list), without the bullets."""
    issue = issue_of(hass, entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    text = issue.translation_placeholders["features"]
    return [line.removeprefix("- ") for line in text.splitlines()]


def entity_of(hass: HomeAssistant, entry: ConfigEntry[Any], platform: str, key: str) -> str:
    """The entity id of one of the camera's entities, by the end of its unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{entry.unique_id}_{key}")
    assert entity_id is not None, f"{platform} {key} does not exist"
    return entity_id


async def start_fix_flow(hass: HomeAssistant, entry: ConfigEntry[Any]) -> dict[str, Any]:
    """Open the camera's repair's fix flow; return its first step."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": settings_issue_id(entry.entry_id)})
    return dict(result)


async def fix_flow_step(
    hass: HomeAssistant, flow_id: str, user_input: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Answer one step of a fix flow."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return dict(await manager.async_configure(flow_id, user_input))
