"""The virtual camera's WS-Discovery responder, probed over a UDP socket on loopback."""

from __future__ import annotations

import asyncio
from typing import Any
import uuid

from lxml import etree
import pytest

from simulator import CameraConfig, VirtualCamera

from .test_simulator_support import WAIT

pytestmark = pytest.mark.usefixtures("socket_enabled")


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answers: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.answers.put_nowait(data)


def _probe(message_id: str, types: str = "dn:NetworkVideoTransmitter", scopes: str = "") -> bytes:
    scope_element = f"<d:Scopes>{scopes}</d:Scopes>" if scopes else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
        f"<s:Header><a:MessageID>{message_id}</a:MessageID>"
        "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
        "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>"
        f"<s:Body><d:Probe><d:Types>{types}</d:Types>{scope_element}</d:Probe></s:Body>"
        "</s:Envelope>"
    ).encode()


async def test_ws_discovery_probe_match() -> None:
    config = CameraConfig(rtsp=False, discovery_port=0, name="Porch Cam", serial="SER42")
    async with VirtualCamera(config) as cam:
        assert cam.discovery_port
        loop = asyncio.get_running_loop()
        transport, collector = await loop.create_datagram_endpoint(
            _Collector, local_addr=("127.0.0.1", 0)
        )
        target = ("127.0.0.1", cam.discovery_port)
        try:
            transport.sendto(b"not a probe", target)
            transport.sendto(_probe("urn:uuid:skip", types="dn:SomethingElse"), target)
            message_id = f"urn:uuid:{uuid.uuid4()}"
            transport.sendto(
                _probe(message_id, scopes="onvif://www.onvif.org/Profile/Streaming"), target
            )
            async with asyncio.timeout(WAIT):
                answer = etree.fromstring(await collector.answers.get())
            ns = {
                "s": "http://www.w3.org/2003/05/soap-envelope",
                "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
                "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
            }
            assert answer.findtext("s:Header/a:RelatesTo", namespaces=ns) == message_id
            action = answer.findtext("s:Header/a:Action", namespaces=ns) or ""
            assert action.endswith("/ProbeMatches")
            match = answer.find("s:Body/d:ProbeMatches/d:ProbeMatch", ns)
            assert match is not None
            expected_uuid = uuid.uuid5(uuid.NAMESPACE_URL, "homebound-simulator:SER42")
            assert match.findtext("a:EndpointReference/a:Address", namespaces=ns) == (
                f"urn:uuid:{expected_uuid}"
            )
            assert "NetworkVideoTransmitter" in (match.findtext("d:Types", namespaces=ns) or "")
            scopes = (match.findtext("d:Scopes", namespaces=ns) or "").split()
            assert "onvif://www.onvif.org/name/Porch%20Cam" in scopes
            assert match.findtext("d:XAddrs", namespaces=ns) == cam.url("/onvif/device_service")
            assert match.findtext("d:MetadataVersion", namespaces=ns) == "1"
            assert collector.answers.empty()  # garbage and foreign types were ignored

            # A probe for a scope the camera does not have gets no answer; an offline camera
            # answers nothing. Both are checked by a later probe being the next answer.
            transport.sendto(
                _probe("urn:uuid:other", scopes="onvif://www.onvif.org/name/X"), target
            )
            await cam.set_online(False)
            transport.sendto(_probe("urn:uuid:offline"), target)
            await cam.set_online(True)
            transport.sendto(_probe("urn:uuid:online"), target)
            async with asyncio.timeout(WAIT):
                answer = etree.fromstring(await collector.answers.get())
            assert answer.findtext("s:Header/a:RelatesTo", namespaces=ns) == "urn:uuid:online"
        finally:
            transport.close()
