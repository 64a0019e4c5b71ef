"""WS-Discovery (2005/04) responder of the virtual camera: answers Probes with a ProbeMatch.

It listens on UDP 127.0.0.1:<port> (unicast; no multicast group is joined) and replies to the
sender of every Probe whose Types and Scopes the camera matches. Anything that is not a Probe is
ignored, and an offline camera stays silent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
from typing import TYPE_CHECKING, Final
import uuid

from lxml import etree

if TYPE_CHECKING:
    from .state import CameraState

_LOGGER = logging.getLogger(__name__)

NS_SOAP: Final = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA: Final = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_WSD: Final = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
NS_DN: Final = "http://www.onvif.org/ver10/network/wsdl"
NS_TDS: Final = "http://www.onvif.org/ver10/device/wsdl"
PROBE_ACTION: Final = f"{NS_WSD}/Probe"
PROBE_MATCHES_ACTION: Final = f"{NS_WSD}/ProbeMatches"
ANONYMOUS: Final = f"{NS_WSA}/role/anonymous"
RFC3986_MATCH: Final = f"{NS_WSD}/rfc3986"
STRCMP_MATCH: Final = f"{NS_WSD}/strcmp0"
CAMERA_TYPES: Final = frozenset({(NS_DN, "NetworkVideoTransmitter"), (NS_TDS, "Device")})

_PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


def _qnames(element: etree._Element) -> set[tuple[str, str]]:
    """Resolve the whitespace-separated QNames of a Types element against its namespaces."""
    result: set[tuple[str, str]] = set()
    for item in (element.text or "").split():
        prefix, _, local = item.rpartition(":")
        namespace = element.nsmap.get(prefix or None, "")
        result.add((namespace or "", local))
    return result


def _scope_matches(wanted: str, scopes: list[str], rule: str) -> bool:
    if rule == STRCMP_MATCH:
        return wanted in scopes
    wanted_parts = wanted.rstrip("/").split("/")
    for scope in scopes:
        parts = scope.rstrip("/").split("/")
        if len(parts) >= len(wanted_parts) and all(
            a.lower() == b.lower() if index < 3 else a == b  # scheme and authority are caseless
            for index, (a, b) in enumerate(zip(wanted_parts, parts, strict=False))
        ):
            return True
    return False


class DiscoveryResponder(asyncio.DatagramProtocol):
    """The camera's WS-Discovery endpoint."""

    def __init__(
        self, state: CameraState, scopes: Callable[[], list[str]], xaddr: Callable[[], str]
    ) -> None:
        """Answer on behalf of this camera, with its scopes and device service address."""
        self._state = state
        self._scopes = scopes
        self._xaddr = xaddr
        self._transport: asyncio.DatagramTransport | None = None
        self._message_number = 0
        self._instance_id = 1

    async def start(self, port: int) -> int:
        """Listen on 127.0.0.1:<port> (0 picks a free port); return the port."""
        loop = asyncio.get_running_loop()
        transport, _protocol = await loop.create_datagram_endpoint(
            lambda: self, local_addr=("127.0.0.1", port)
        )
        self._transport = transport
        bound: int = transport.get_extra_info("sockname")[1]
        return bound

    def close(self) -> None:
        """Stop listening."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport."""
        assert isinstance(transport, asyncio.DatagramTransport)
        self._transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
        """Answer a Probe; ignore everything else."""
        if not self._state.online or self._transport is None:
            return
        try:
            reply = self.answer(data)
        except etree.XMLSyntaxError:
            return
        if reply is not None:
            self._transport.sendto(reply, addr)

    def answer(self, data: bytes) -> bytes | None:
        """Return the ProbeMatches datagram for a Probe this camera matches, else None."""
        envelope = etree.fromstring(data, parser=_PARSER)
        probe = envelope.find(f"{{{NS_SOAP}}}Body/{{{NS_WSD}}}Probe")
        if probe is None:
            return None
        message_id = envelope.findtext(f"{{{NS_SOAP}}}Header/{{{NS_WSA}}}MessageID")
        types = probe.find(f"{{{NS_WSD}}}Types")
        if types is not None and not _qnames(types) <= CAMERA_TYPES:
            return None
        scopes_element = probe.find(f"{{{NS_WSD}}}Scopes")
        our_scopes = self._scopes()
        if scopes_element is not None:
            rule = scopes_element.get("MatchBy", RFC3986_MATCH)
            if rule not in {RFC3986_MATCH, STRCMP_MATCH}:
                return None
            for wanted in (scopes_element.text or "").split():
                if not _scope_matches(wanted, our_scopes, rule):
                    return None
        return self._probe_matches(message_id.strip() if message_id else None, our_scopes)

    def _probe_matches(self, relates_to: str | None, scopes: list[str]) -> bytes:
        self._message_number += 1
        nsmap = {"s": NS_SOAP, "a": NS_WSA, "d": NS_WSD, "dn": NS_DN, "tds": NS_TDS}
        envelope = etree.Element(f"{{{NS_SOAP}}}Envelope", nsmap=nsmap)
        header = etree.SubElement(envelope, f"{{{NS_SOAP}}}Header")
        etree.SubElement(header, f"{{{NS_WSA}}}MessageID").text = f"urn:uuid:{uuid.uuid4()}"
        if relates_to:
            etree.SubElement(header, f"{{{NS_WSA}}}RelatesTo").text = relates_to
        etree.SubElement(header, f"{{{NS_WSA}}}To").text = ANONYMOUS
        etree.SubElement(header, f"{{{NS_WSA}}}Action").text = PROBE_MATCHES_ACTION
        etree.SubElement(
            header,
            f"{{{NS_WSD}}}AppSequence",
            InstanceId=str(self._instance_id),
            MessageNumber=str(self._message_number),
        )
        body = etree.SubElement(envelope, f"{{{NS_SOAP}}}Body")
        matches = etree.SubElement(body, f"{{{NS_WSD}}}ProbeMatches")
        match = etree.SubElement(matches, f"{{{NS_WSD}}}ProbeMatch")
        reference = etree.SubElement(match, f"{{{NS_WSA}}}EndpointReference")
        etree.SubElement(
            reference, f"{{{NS_WSA}}}Address"
        ).text = f"urn:uuid:{self._state.config.endpoint_uuid}"
        etree.SubElement(match, f"{{{NS_WSD}}}Types").text = "dn:NetworkVideoTransmitter tds:Device"
        etree.SubElement(match, f"{{{NS_WSD}}}Scopes").text = " ".join(scopes)
        etree.SubElement(match, f"{{{NS_WSD}}}XAddrs").text = self._xaddr()
        etree.SubElement(match, f"{{{NS_WSD}}}MetadataVersion").text = "1"
        return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
