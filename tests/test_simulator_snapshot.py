"""The virtual camera's snapshot URL: a JPEG behind HTTP Digest, or Basic."""

from __future__ import annotations

import base64
import io

import aiohttp
from onvif.exceptions import ONVIFAuthError
from PIL import Image
import pytest

from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import onvif_library_basic_auth
from .test_simulator_support import client

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_snapshot_with_digest_auth(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        jpeg = await device.get_snapshot("profile_main")
        assert jpeg is not None
        assert jpeg[:3] == b"\xff\xd8\xff"
        with Image.open(io.BytesIO(jpeg)) as image:
            assert image.format == "JPEG"
            assert image.size == (640, 480)
    assert camera.snapshot_requests == 1

    url = camera.url("/snapshot/profile_sub.jpg")
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"].startswith("Digest ")
        middleware = aiohttp.DigestAuthMiddleware("admin", "secret")
        async with session.get(url, middlewares=(middleware,)) as response:
            assert response.status == 200
            with Image.open(io.BytesIO(await response.read())) as image:
                assert image.size == (320, 240)
        wrong = aiohttp.DigestAuthMiddleware("admin", "wrong")
        async with session.get(url, middlewares=(wrong,)) as response:
            assert response.status == 401
        headers = {"Authorization": "Basic " + base64.b64encode(b"admin:secret").decode()}
        async with session.get(url, headers=headers) as response:
            assert response.status == 401
    assert camera.snapshot_requests == 2


@onvif_library_basic_auth
async def test_snapshot_basic_auth_quirk() -> None:
    config = CameraConfig(rtsp=False, quirks=frozenset({Quirk.BASIC_AUTH_SNAPSHOT}))
    async with VirtualCamera(config) as cam, client(cam) as device:
        await device.update_xaddrs()
        with pytest.raises(ONVIFAuthError):
            await device.get_snapshot("profile_main")
        jpeg = await device.get_snapshot("profile_main", basic_auth=True)
        assert jpeg is not None
        assert jpeg[:3] == b"\xff\xd8\xff"
        assert cam.snapshot_requests == 1
