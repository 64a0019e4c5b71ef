"""Helpers of the camera-settings tests (tests/test_device_settings_*.py); no tests of its own.

The client under test talks to the simulator over loopback exactly as the glue will: the
caller's aiohttp session, Digest for the vendor APIs, onvif-zeep-async for ONVIF. Seeding a
setting "on" goes through the camera's own API too (an ISAPI PUT, a Dahua setConfig).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass

import aiohttp
from yarl import URL

from custom_components.homebound.device.camera_settings import CameraSettings, vendor_settings
from custom_components.homebound.device.client import OnvifClient
from custom_components.homebound.device.settings_model import (
    Maker,
    Outcome,
    SettingId,
    SettingRead,
    SwitchResult,
)
from simulator import CameraConfig, VirtualCamera


@dataclass
class Rig:
    """A camera, the production client connected to it, and a Digest session for seeding."""

    camera: VirtualCamera
    settings: CameraSettings
    http: aiohttp.ClientSession
    client: OnvifClient

    async def put(self, path: str, body: str) -> None:
        """PUT an ISAPI document that must be accepted."""
        async with self.http.put(self.camera.url(f"/ISAPI/{path}"), data=body.encode()) as r:
            assert r.status == 200, await r.text()

    async def set_config(self, query: str) -> None:
        """A Dahua CGI setConfig that must be accepted."""
        url = URL(
            self.camera.url(f"/cgi-bin/configManager.cgi?action=setConfig&{query}"), encoded=True
        )
        async with self.http.get(url) as response:
            assert (response.status, await response.text()) == (200, "OK\r\n")


@contextlib.asynccontextmanager
async def rig(config: CameraConfig, maker: Maker | None) -> AsyncIterator[Rig]:
    """Start a camera and connect the production settings client to it."""
    async with (
        VirtualCamera(config) as camera,
        aiohttp.ClientSession() as session,
        aiohttp.ClientSession(
            middlewares=(aiohttp.DigestAuthMiddleware("admin", "secret"),)
        ) as http,
    ):
        client = OnvifClient(camera.host, camera.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            base = f"http://{camera.host}:{camera.onvif_port}"
            vendor = vendor_settings(maker, session, base, "admin", "secret")
            yield Rig(camera, CameraSettings(client, vendor), http, client)
        finally:
            await client.async_close()


def by_id(reads: tuple[SettingRead, ...]) -> dict[SettingId, SettingRead]:
    """Readings by setting."""
    found = {read.setting: read for read in reads}
    assert len(found) == len(reads), "a setting was read twice"
    return found


def outcomes(results: tuple[SwitchResult, ...]) -> dict[SettingId, Outcome]:
    """Outcomes by setting."""
    return {result.setting: result.outcome for result in results}
