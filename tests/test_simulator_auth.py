"""How the virtual camera refuses: bare 401s, HTTP Digest on SOAP, credentials in URIs.

The wire shape is the point here, so most requests are raw aiohttp; onvif-zeep-async shows what
a production client makes of each shape.
"""

from __future__ import annotations

import hashlib
import io
import re
from urllib.parse import urlsplit

import aiohttp
from onvif.util import is_auth_error
from PIL import Image
import pytest
from zeep.exceptions import Fault, TransportError

from simulator import CameraConfig, Quirk, VirtualCamera

from .test_simulator_support import NS, client, fault_subcodes, post, soap_request

pytestmark = pytest.mark.usefixtures("socket_enabled")

DEVICE = "/onvif/device_service"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest is MD5


def _digest_authorization(challenge: str, method: str, uri: str, password: str) -> str:
    """An RFC 7616 (MD5, qop=auth) Authorization header answering ``challenge``."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.removeprefix("Digest ")))
    realm, nonce = params["realm"], params["nonce"]
    ha1 = _md5(f"admin:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    response = _md5(f"{ha1}:{nonce}:00000001:0a4f113b:auth:{ha2}")
    return (
        f'Digest username="admin", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'qop=auth, nc=00000001, cnonce="0a4f113b", response="{response}", '
        f'opaque="{params["opaque"]}", algorithm=MD5'
    )


async def test_soap_401_no_body(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.SOAP_401_NO_BODY)
    async with aiohttp.ClientSession() as session:
        for payload in (
            soap_request("tds:GetDeviceInformation", password="wrong"),
            soap_request("tds:GetDeviceInformation", username=None),
        ):
            async with session.post(camera.url(DEVICE), data=payload) as response:
                assert response.status == 401
                assert await response.read() == b""
                assert "WWW-Authenticate" not in response.headers
        status, answer, raw = await post(
            session, camera, DEVICE, soap_request("tds:GetDeviceInformation")
        )
        assert status == 200, raw
        assert answer is not None
        assert answer.findtext("tds:SerialNumber", namespaces=NS) == "HBSIM0001"
        # Other faults keep their SOAP shape.
        status, fault, _ = await post(session, camera, DEVICE, soap_request("tds:SystemReboot"))
        assert (status, fault_subcodes(fault) if fault is not None else None) == (
            500,
            ["ActionNotSupported"],
        )
    async with client(camera, password="wrong") as device:
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.authless_GetSystemDateAndTime()).DateTimeType == "NTP"
        with pytest.raises(TransportError) as caught:
            await mgmt.GetDeviceInformation()
        assert caught.value.status_code == 401
    camera.set_quirk(Quirk.SOAP_401_NO_BODY, enabled=False)
    async with client(camera, password="wrong") as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as fault_caught:
            await mgmt.GetDeviceInformation()
        assert is_auth_error(fault_caught.value)


async def test_soap_http_digest() -> None:
    config = CameraConfig(rtsp=False, quirks=frozenset({Quirk.SOAP_HTTP_DIGEST}))
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        # A valid WS-UsernameToken is not enough: Digest comes first, on every service.
        for path, operation in (
            (DEVICE, "tds:GetDeviceInformation"),
            (
                "/onvif/media_service",
                "trt:GetProfiles",
            ),
        ):
            async with session.post(camera.url(path), data=soap_request(operation)) as response:
                assert response.status == 401
                assert response.headers["WWW-Authenticate"].startswith("Digest ")
                assert 'qop="auth"' in response.headers["WWW-Authenticate"]
                assert await response.read() == b""
        async with session.post(camera.url(DEVICE), data=b"<not-xml") as response:
            assert response.status == 401

        # With Digest, no WS-UsernameToken is needed (and a wrong one does not matter).
        digest = aiohttp.DigestAuthMiddleware("admin", "secret")
        for payload in (
            soap_request("tds:GetDeviceInformation", username=None),
            soap_request("tds:GetDeviceInformation", password="wrong"),
        ):
            status, answer, raw = await post(
                session, camera, DEVICE, payload, middlewares=(digest,)
            )
            assert status == 200, raw
            assert answer is not None
            assert answer.findtext("tds:SerialNumber", namespaces=NS) == "HBSIM0001"
        wrong = aiohttp.DigestAuthMiddleware("admin", "wrong")
        status, _, _ = await post(
            session,
            camera,
            DEVICE,
            soap_request("tds:GetDeviceInformation", username=None),
            middlewares=(wrong,),
        )
        assert status == 401

        # GetSystemDateAndTime stays open, unless AUTH_ON_DATE_TIME.
        date_time = soap_request("tds:GetSystemDateAndTime", username=None)
        status, answer, _ = await post(session, camera, DEVICE, date_time)
        assert status == 200
        camera.set_quirk(Quirk.AUTH_ON_DATE_TIME)
        async with session.post(camera.url(DEVICE), data=date_time) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"].startswith("Digest ")
        status, _, _ = await post(session, camera, DEVICE, date_time, middlewares=(digest,))
        assert status == 200

        # The snapshot checks Digest with the same authenticator: a SOAP nonce works there.
        async with session.post(camera.url(DEVICE), data=date_time) as response:
            challenge = response.headers["WWW-Authenticate"]
        path = "/snapshot/profile_sub.jpg"
        authorization = _digest_authorization(challenge, "GET", path, "secret")
        async with session.get(
            camera.url(path), headers={"Authorization": authorization}
        ) as response:
            assert response.status == 200
            assert response.content_type == "image/jpeg"

    async with VirtualCamera(config) as camera, client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.authless_GetSystemDateAndTime()).DateTimeType == "NTP"
        with pytest.raises(TransportError) as caught:
            await mgmt.GetDeviceInformation()
        assert caught.value.status_code == 401


async def test_credentials_in_uris(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.CREDENTIALS_IN_URIS)
    camera.set_credentials("admin", "p&ss=1")
    query = "user=admin&password=p%26ss%3D1"
    async with client(camera) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        stream = await media.GetStreamUri(
            {
                "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                "ProfileToken": "profile_main",
            }
        )
        assert stream.Uri == f"rtsp://127.0.0.1:554/main?{query}"
        snapshot = (await media.GetSnapshotUri({"ProfileToken": "profile_sub"})).Uri
        assert snapshot == camera.url(f"/snapshot/profile_sub.jpg?{query}")
    async with aiohttp.ClientSession() as session:
        for operation, children in (
            ("tr2:GetStreamUri", "<tr2:Protocol>RTSP</tr2:Protocol>"),
            ("tr2:GetSnapshotUri", ""),
        ):
            _, answer, _ = await post(
                session,
                camera,
                "/onvif/media2_service",
                soap_request(
                    operation,
                    f"{children}<tr2:ProfileToken>profile_main</tr2:ProfileToken>",
                    password="p&ss=1",
                ),
            )
            assert answer is not None
            assert (answer.findtext("tr2:Uri", namespaces=NS) or "").endswith(f"?{query}")

        # The snapshot takes the credentials from the query string, no other auth needed.
        async with session.get(snapshot) as response:
            assert response.status == 200
            with Image.open(io.BytesIO(await response.read())) as image:
                assert image.size == (320, 240)
        wrong = snapshot.replace("p%26ss", "nope")
        async with session.get(wrong) as response:
            assert response.status == 401
        camera.set_quirk(Quirk.CREDENTIALS_IN_URIS, enabled=False)
        async with session.get(snapshot) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"].startswith("Digest ")
        # Digest still works with a query string in the URL.
        path_qs = urlsplit(snapshot)
        digest = aiohttp.DigestAuthMiddleware("admin", "p&ss=1")
        async with session.get(
            camera.url(f"{path_qs.path}?{path_qs.query}"), middlewares=(digest,)
        ) as response:
            assert response.status == 200
    assert camera.snapshot_requests == 2
