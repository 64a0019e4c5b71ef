"""WS-Discovery: find ONVIF cameras on the local network.

A Probe for ONVIF network video transmitters is sent as SOAP-over-UDP from each local adapter
address to the WS-Discovery multicast group, and every ProbeMatch that arrives within the
listening window is collected. It runs on the event loop without blocking it: one UDP socket per
source address, no threads. Written here rather than with WSDiscovery (the library Home
Assistant's onvif integration uses) because that one is threaded, sleeps, and joins the
multicast group on every interface of the host.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import ipaddress
import logging
import os
import socket
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote, urlsplit
import uuid

from lxml import etree

from .models import format_mac

if TYPE_CHECKING:
    from collections.abc import Sequence

_LOGGER = logging.getLogger(__name__)

MULTICAST_TARGET: Final = ("239.255.255.250", 3702)
ENV_DISCOVERY_TARGETS: Final = "HOMEBOUND_DISCOVERY_TARGETS"
"""Comma-separated ``host:port`` loopback responders that replace the multicast group."""
DEFAULT_TIMEOUT: Final = 3.0
MAX_DATAGRAM: Final = 65535

_NS_SOAP: Final = "http://www.w3.org/2003/05/soap-envelope"
_NS_WSA: Final = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
_NS_WSD: Final = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
_NS_DN: Final = "http://www.onvif.org/ver10/network/wsdl"
_WSD_TO: Final = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
_PROBE_ACTION: Final = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe"

_PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


@dataclass(frozen=True, slots=True)
class DiscoveredCamera:
    """One camera that answered a probe."""

    endpoint: str
    """The camera's WS-Discovery endpoint reference (usually urn:uuid:...)."""
    host: str
    port: int
    xaddr: str
    name: str
    hardware: str
    mac: str | None
    scopes: tuple[str, ...]


def build_probe(message_id: str) -> bytes:
    """Serialise a WS-Discovery Probe for ONVIF network video transmitters."""
    nsmap = {"s": _NS_SOAP, "a": _NS_WSA, "d": _NS_WSD, "dn": _NS_DN}
    envelope = etree.Element(etree.QName(_NS_SOAP, "Envelope"), nsmap=nsmap)
    header = etree.SubElement(envelope, etree.QName(_NS_SOAP, "Header"))
    etree.SubElement(header, etree.QName(_NS_WSA, "MessageID")).text = message_id
    etree.SubElement(header, etree.QName(_NS_WSA, "To")).text = _WSD_TO
    etree.SubElement(header, etree.QName(_NS_WSA, "Action")).text = _PROBE_ACTION
    body = etree.SubElement(envelope, etree.QName(_NS_SOAP, "Body"))
    probe = etree.SubElement(body, etree.QName(_NS_WSD, "Probe"))
    etree.SubElement(probe, etree.QName(_NS_WSD, "Types")).text = "dn:NetworkVideoTransmitter"
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def _scope_value(scopes: Sequence[str], kind: str) -> str:
    prefix = f"onvif://www.onvif.org/{kind}/"
    for scope in scopes:
        if scope.lower().startswith(prefix):
            return unquote(scope[len(prefix) :]).replace("_", " ").strip()
    return ""


def parse_probe_matches(data: bytes, message_id: str, sender: str) -> list[DiscoveredCamera]:
    """Read the cameras out of one ProbeMatches datagram; [] for anything else."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return []
    relates = root.findtext(f"{{{_NS_SOAP}}}Header/{{{_NS_WSA}}}RelatesTo")
    if relates is not None and relates.strip() != message_id:
        return []
    cameras: list[DiscoveredCamera] = []
    for match in root.iter(f"{{{_NS_WSD}}}ProbeMatch"):
        try:
            camera = _camera_of(match, sender)
        except ValueError as err:
            # One match with an impossible address (port 99999, a broken IPv6 literal) must
            # not cost the datagram's other matches.
            _LOGGER.debug("WS-Discovery: a match from %s is unusable: %s", sender, err)
            continue
        if camera is not None:
            cameras.append(camera)
    return cameras


def _camera_of(match: etree._Element, sender: str) -> DiscoveredCamera | None:
    """Read one ProbeMatch; None without a usable HTTP address (ValueError for a bad one)."""
    endpoint = match.findtext(f"{{{_NS_WSA}}}EndpointReference/{{{_NS_WSA}}}Address") or ""
    scopes = tuple((match.findtext(f"{{{_NS_WSD}}}Scopes") or "").split())
    xaddrs = (match.findtext(f"{{{_NS_WSD}}}XAddrs") or "").split()
    xaddr = _pick_xaddr(xaddrs, sender)
    if xaddr is None:
        return None
    parts = urlsplit(xaddr)
    if not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    mac_scope = _scope_value(scopes, "mac")
    return DiscoveredCamera(
        endpoint=endpoint.strip() or xaddr,
        host=parts.hostname,
        port=port,
        xaddr=xaddr,
        name=_scope_value(scopes, "name"),
        hardware=_scope_value(scopes, "hardware"),
        mac=format_mac(mac_scope) if mac_scope else None,
        scopes=scopes,
    )


def _pick_xaddr(xaddrs: Sequence[str], sender: str) -> str | None:
    """Prefer the address the answer came from, then any IPv4 HTTP address."""
    http = [x for x in xaddrs if x.lower().startswith(("http://", "https://")) and _parses(x)]
    for xaddr in http:
        if urlsplit(xaddr).hostname == sender:
            return xaddr
    for xaddr in http:
        host = urlsplit(xaddr).hostname or ""
        if host.count(".") == 3:
            return xaddr
    return http[0] if http else None


def _parses(xaddr: str) -> bool:
    """Whether an address can be read at all (a port of 99999 or ``[::1`` cannot)."""
    try:
        _ = urlsplit(xaddr).port
    except ValueError:
        return False
    return True


class _ProbeProtocol(asyncio.DatagramProtocol):
    def __init__(self, message_id: str, found: dict[str, DiscoveredCamera]) -> None:
        self.message_id = message_id
        self.found = found

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        for camera in parse_probe_matches(data, self.message_id, str(addr[0])):
            self.found.setdefault(camera.endpoint, camera)

    def error_received(self, exc: Exception) -> None:
        _LOGGER.debug("WS-Discovery socket error: %s", exc)


@dataclass(frozen=True, slots=True)
class ProbePlan:
    """Which local addresses probes are sent from, and where to."""

    sources: tuple[str, ...]
    targets: tuple[tuple[str, int], ...]


def _is_loopback_v4(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 4 and address.is_loopback


def probe_plan(adapter_addresses: Sequence[str]) -> ProbePlan:
    """Plan a search: the multicast group from every usable IPv4 adapter address.

    Camera VLANs and multi-NIC hosts are this product's audience, so one probe goes out of
    each enabled adapter (an unbound socket reaches only the default route's). Loopback and
    link-local addresses are left out.

    When ``HOMEBOUND_DISCOVERY_TARGETS`` names ``host:port`` responders (test rigs, the demo,
    the benchmarks), probes go from 127.0.0.1 to those and nowhere else: only loopback
    targets are kept, so no such run can send multicast or reach another host.
    """
    raw = os.environ.get(ENV_DISCOVERY_TARGETS, "").strip()
    if raw:
        targets: list[tuple[str, int]] = []
        for item in raw.split(","):
            host, _, port = item.strip().rpartition(":")
            if _is_loopback_v4(host) and port.isascii() and port.isdigit():
                targets.append((host, int(port)))
        return ProbePlan(sources=("127.0.0.1",), targets=tuple(targets))
    sources = []
    for address in adapter_addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
            sources.append(str(ip))
    return ProbePlan(sources=tuple(dict.fromkeys(sources)), targets=(MULTICAST_TARGET,))


def _socket(source: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
        sock.bind((source, 0))
    except OSError:
        sock.close()
        raise
    return sock


async def async_discover(
    plan: ProbePlan, *, timeout: float = DEFAULT_TIMEOUT
) -> list[DiscoveredCamera]:
    """Probe as planned and return the cameras that answered within ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    message_id = f"urn:uuid:{uuid.uuid4()}"
    probe = build_probe(message_id)
    found: dict[str, DiscoveredCamera] = {}
    transports: list[asyncio.DatagramTransport] = []
    if not plan.targets:
        return []
    try:
        for source in plan.sources:
            try:
                sock = _socket(source)
            except OSError as err:
                _LOGGER.debug("WS-Discovery cannot send from %s: %s", source, err)
                continue
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: _ProbeProtocol(message_id, found), sock=sock
                )
            except OSError as err:
                sock.close()
                _LOGGER.debug("WS-Discovery cannot listen on %s: %s", source, err)
                continue
            transports.append(transport)
            for target in plan.targets:
                # UDP may drop a datagram; WS-Discovery clients repeat the probe.
                for _ in range(2):
                    try:
                        transport.sendto(probe, target)
                    except OSError as err:
                        _LOGGER.debug("WS-Discovery probe %s -> %s failed: %s", source, target, err)
        if transports:
            # The listening window is the protocol itself: answers come when they come.
            await asyncio.sleep(timeout)
    finally:
        for transport in transports:
            transport.close()
    return sorted(found.values(), key=lambda c: (c.host, c.port))
