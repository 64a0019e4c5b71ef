"""Helpers of the virtual camera's tests (tests/test_simulator_*.py); no tests of its own.

The tests talk to the camera the way production code does: ONVIFCamera for SOAP, HTTP for
snapshots, ffprobe for RTSP, a UDP socket for WS-Discovery. Media2 has no WSDL in
onvif-zeep-async, so those answers are checked as raw SOAP; every answer is also validated
against the ONVIF schemas the library bundles (``onvif_schema``).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
import contextlib
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from lxml import etree
import onvif
from onvif import ONVIFCamera

from simulator import VirtualCamera

REPO_ROOT = Path(__file__).resolve().parent.parent
WSDL_DIR = Path(onvif.__file__).resolve().parent / "wsdl"
WAIT = 15.0
MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"
XS = "http://www.w3.org/2001/XMLSchema"

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
}
PASSWORD_DIGEST = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordDigest"
)
SOAP_HEADERS = {"Content-Type": "application/soap+xml; charset=utf-8"}


@contextlib.asynccontextmanager
async def client(
    cam: VirtualCamera, password: str | None = None, **kwargs: Any
) -> AsyncIterator[ONVIFCamera]:
    """An onvif-zeep-async client for the camera, closed afterwards."""
    device = ONVIFCamera(
        cam.host,
        cam.onvif_port,
        cam.config.username,
        cam.config.password if password is None else password,
        no_cache=True,
        **kwargs,
    )
    try:
        yield device
    finally:
        await device.close()


def soap_request(
    operation: str,
    children: str = "",
    *,
    username: str | None = "admin",
    password: str = "secret",  # noqa: S107
    created: dt.datetime | None = None,
) -> bytes:
    """A SOAP 1.2 request with an optional WS-UsernameToken (PasswordDigest)."""
    security = ""
    if username is not None:
        nonce = os.urandom(16)
        stamp = (created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        digest = base64.b64encode(
            hashlib.sha1(nonce + stamp.encode() + password.encode()).digest()  # noqa: S324
        ).decode()
        security = (
            f'<wsse:Security xmlns:wsse="{NS["wsse"]}" xmlns:wsu="{NS["wsu"]}">'
            f"<wsse:UsernameToken><wsse:Username>{username}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
            f"<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
            f"<wsu:Created>{stamp}</wsu:Created></wsse:UsernameToken></wsse:Security>"
        )
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    return (
        f'<?xml version="1.0" encoding="utf-8"?><env:Envelope {namespaces}>'
        f"<env:Header>{security}</env:Header>"
        f"<env:Body><{operation}>{children}</{operation.split()[0]}></env:Body></env:Envelope>"
    ).encode()


async def post(
    session: aiohttp.ClientSession, cam: VirtualCamera, path: str, payload: bytes, **kwargs: Any
) -> tuple[int, etree._Element | None, str]:
    """POST a SOAP request; return (status, first Body child or None, raw text)."""
    url = path if path.startswith("http") else cam.url(path)
    async with session.post(url, data=payload, headers=SOAP_HEADERS, **kwargs) as response:
        raw = await response.read()
        status = response.status
    try:
        envelope = etree.fromstring(raw)
    except etree.XMLSyntaxError:
        return status, None, raw.decode(errors="replace")
    body = envelope.find("env:Body", NS)
    first = body[0] if body is not None and len(body) else None
    return status, first, raw.decode()


def camera_time(answer: Any) -> dt.datetime:
    """The camera's UTC clock in a zeep GetSystemDateAndTime answer."""
    utc = answer.UTCDateTime
    return dt.datetime(
        utc.Date.Year,
        utc.Date.Month,
        utc.Date.Day,
        utc.Time.Hour,
        utc.Time.Minute,
        utc.Time.Second,
        tzinfo=dt.UTC,
    )


def fault_subcodes(fault: etree._Element) -> list[str]:
    """The subcode values of a SOAP 1.2 Fault element, outermost first."""
    return [
        (value.text or "").split(":")[-1]
        for value in fault.iterfind(".//env:Subcode/env:Value", NS)
    ]


def notification_messages(answer: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(topic, PropertyOperation, data items) of each NotificationMessage in a zeep answer."""
    result = []
    for message in answer.NotificationMessage or []:
        payload = message.Message._value_1
        data = {item.Name: item.Value for item in payload.Data.SimpleItem}
        result.append((message.Topic._value_1, payload.PropertyOperation, data))
    return result


@contextlib.asynccontextmanager
async def notification_consumer() -> AsyncIterator[tuple[str, asyncio.Queue[bytes]]]:
    """An HTTP consumer on loopback: (its URL, the bodies POSTed to it)."""
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def consume(request: web.Request) -> web.Response:
        await received.put(await request.read())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", consume)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    finally:
        await runner.cleanup()


# Media2 postdates the schemas onvif-zeep-async bundles. These declarations transcribe the
# Media2 types of the ONVIF specification that the camera answers with (ConfigurationEntity,
# VideoSourceConfiguration and MulticastConfiguration come from the bundled onvif.xsd).
_TT_MEDIA2 = f"""<xs:schema xmlns:xs="{XS}" xmlns:tt="{NS["tt"]}" targetNamespace="{NS["tt"]}"
    elementFormDefault="qualified">
  <xs:include schemaLocation="{(WSDL_DIR / "onvif.xsd").as_uri()}"/>
  <xs:simpleType name="VideoEncodingMimeNames">
    <xs:restriction base="xs:string">
      <xs:enumeration value="JPEG"/><xs:enumeration value="MPV4-ES"/>
      <xs:enumeration value="H264"/><xs:enumeration value="H265"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:complexType name="VideoResolution2"><xs:sequence>
    <xs:element name="Width" type="xs:int"/><xs:element name="Height" type="xs:int"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="VideoRateControl2"><xs:sequence>
    <xs:element name="FrameRateLimit" type="xs:float"/>
    <xs:element name="BitrateLimit" type="xs:int"/>
  </xs:sequence><xs:attribute name="ConstantBitRate" type="xs:boolean"/></xs:complexType>
  <xs:complexType name="VideoEncoder2Configuration"><xs:complexContent>
    <xs:extension base="tt:ConfigurationEntity"><xs:sequence>
      <xs:element name="Encoding" type="tt:VideoEncodingMimeNames"/>
      <xs:element name="Resolution" type="tt:VideoResolution2"/>
      <xs:element name="RateControl" type="tt:VideoRateControl2" minOccurs="0"/>
      <xs:element name="Multicast" type="tt:MulticastConfiguration" minOccurs="0"/>
      <xs:element name="Quality" type="xs:float"/>
    </xs:sequence>
    <xs:attribute name="GovLength" type="xs:int"/>
    <xs:attribute name="Profile" type="xs:string"/>
    </xs:extension></xs:complexContent></xs:complexType>
</xs:schema>"""
_TR2 = f"""<xs:schema xmlns:xs="{XS}" xmlns:tt="{NS["tt"]}" xmlns:tr2="{NS["tr2"]}"
    targetNamespace="{NS["tr2"]}" elementFormDefault="qualified">
  <xs:import namespace="{NS["tt"]}"/>
  <xs:complexType name="ConfigurationSet"><xs:sequence>
    <xs:element name="VideoSource" type="tt:VideoSourceConfiguration" minOccurs="0"/>
    <xs:element name="VideoEncoder" type="tt:VideoEncoder2Configuration" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="MediaProfile"><xs:sequence>
    <xs:element name="Name" type="tt:Name"/>
    <xs:element name="Configurations" type="tr2:ConfigurationSet" minOccurs="0"/>
  </xs:sequence>
  <xs:attribute name="token" type="tt:ReferenceToken" use="required"/>
  <xs:attribute name="fixed" type="xs:boolean"/></xs:complexType>
  <xs:element name="GetProfilesResponse"><xs:complexType><xs:sequence>
    <xs:element name="Profiles" type="tr2:MediaProfile" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="GetStreamUriResponse"><xs:complexType><xs:sequence>
    <xs:element name="Uri" type="xs:anyURI"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="GetSnapshotUriResponse"><xs:complexType><xs:sequence>
    <xs:element name="Uri" type="xs:anyURI"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""


def build_onvif_schema(folder: Path) -> etree.XMLSchema:
    """The device, media and events WSDL schemas, onvif.xsd, b-2.xsd and Media2, as one."""
    (folder / "tt-media2.xsd").write_text(_TT_MEDIA2)
    (folder / "tr2.xsd").write_text(_TR2)
    imports: list[tuple[str, str]] = [
        ("http://docs.oasis-open.org/wsn/b-2", (WSDL_DIR / "b-2.xsd").as_uri()),
        (NS["tt"], (folder / "tt-media2.xsd").as_uri()),
        (NS["tr2"], (folder / "tr2.xsd").as_uri()),
    ]
    for name in ("devicemgmt", "media", "events"):
        wsdl = etree.parse(str(WSDL_DIR / f"{name}.wsdl"))
        for schema in wsdl.iter(f"{{{XS}}}schema"):
            copy = etree.fromstring(etree.tostring(schema))
            for element in copy.iter(f"{{{XS}}}import", f"{{{XS}}}include"):
                location = element.get("schemaLocation")
                if location and "://" not in location:
                    element.set("schemaLocation", (WSDL_DIR / location).resolve().as_uri())
            target = folder / f"{name}.xsd"
            target.write_bytes(etree.tostring(copy))
            imports.append((copy.get("targetNamespace") or "", target.as_uri()))
    master = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    for namespace, location in imports:
        etree.SubElement(master, f"{{{XS}}}import", namespace=namespace, schemaLocation=location)
    (folder / "all.xsd").write_bytes(etree.tostring(master))
    return etree.XMLSchema(etree.parse(str(folder / "all.xsd")))
