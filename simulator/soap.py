"""SOAP 1.2 plumbing for the virtual camera: namespaces, envelopes, faults, WS-Security.

Everything is built with lxml from qualified names such as ``"tt:Name"``; the prefixes are the
ones ONVIF documents use, all declared once on the envelope so that text values that are QNames
(topic expressions, fault subcodes) resolve.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
import datetime as dt
import hashlib
import hmac
import re
from typing import Final
import uuid

from lxml import etree

NS: Final[dict[str, str]] = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wstop": "http://docs.oasis-open.org/wsn/t-1",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tns1": "http://www.onvif.org/ver10/topics",
    "ter": "http://www.onvif.org/ver10/error",
    "wsrf-rw": "http://docs.oasis-open.org/wsrf/rw-2",
}

_XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
SOAP_CONTENT_TYPE: Final = "application/soap+xml"
_WSS_USERNAME_PROFILE: Final = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
)
PASSWORD_DIGEST: Final = f"{_WSS_USERNAME_PROFILE}#PasswordDigest"
PASSWORD_TEXT: Final = f"{_WSS_USERNAME_PROFILE}#PasswordText"
MAX_CLOCK_DIFFERENCE: Final = dt.timedelta(seconds=5)

_PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


def q(name: str) -> str:
    """Turn ``"prefix:local"`` into lxml's ``"{namespace}local"``."""
    prefix, _, local = name.partition(":")
    namespace = _XML_NS if prefix == "xml" else NS[prefix]
    return f"{{{namespace}}}{local}"


def sub(
    parent: etree._Element,
    name: str,
    text: str | None = None,
    attrib: Mapping[str, str] | None = None,
) -> etree._Element:
    """Append a child element named ``prefix:local`` with optional text and attributes."""
    element = etree.SubElement(parent, q(name))
    if text is not None:
        element.text = text
    if attrib:
        for key, value in attrib.items():
            element.set(q(key) if ":" in key else key, value)
    return element


def xml_bool(value: bool) -> str:
    """Serialise a boolean the way xs:boolean wants it."""
    return "true" if value else "false"


def xml_datetime(value: dt.datetime) -> str:
    """Serialise an aware datetime as xs:dateTime in UTC with a Z suffix."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_DURATION: Final = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> dt.timedelta | None:
    """Parse an xs:duration such as ``PT600S`` or ``PT1M30S``; None when it is not one."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in {"P", "PT", "-P"}:
        return None
    parts = {
        key: float(value) for key, value in match.groupdict().items() if value and key != "sign"
    }
    days = parts.get("years", 0) * 365 + parts.get("months", 0) * 30 + parts.get("days", 0)
    delta = dt.timedelta(
        days=days,
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -delta if match.group("sign") else delta


def parse_datetime(text: str) -> dt.datetime | None:
    """Parse an xs:dateTime; naive values are taken as UTC. None when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def format_duration(delta: dt.timedelta) -> str:
    """Serialise a timedelta as an xs:duration in whole seconds."""
    return f"PT{max(int(delta.total_seconds()), 0)}S"


@dataclass(slots=True)
class SoapRequest:
    """The parts of a received SOAP envelope the camera looks at."""

    envelope: etree._Element
    header: etree._Element | None
    body: etree._Element
    operation: etree._Element

    @property
    def name(self) -> str:
        """Local name of the operation, for example ``GetDeviceInformation``."""
        return etree.QName(self.operation).localname

    @property
    def namespace(self) -> str:
        """Namespace of the operation element."""
        return etree.QName(self.operation).namespace or ""

    def header_text(self, name: str) -> str | None:
        """Text of a header element (any WS-Addressing version for ``wsa:`` names)."""
        if self.header is None:
            return None
        local = name.partition(":")[2]
        for child in self.header:
            if isinstance(child.tag, str) and etree.QName(child).localname == local:
                return (child.text or "").strip()
        return None

    def find(self, path: str) -> etree._Element | None:
        """Find a descendant of the operation element by a prefixed path."""
        return self.operation.find(path, namespaces=NS)

    def findtext(self, path: str) -> str | None:
        """Text of a descendant of the operation element, stripped; None when missing."""
        element = self.find(path)
        if element is None:
            return None
        return (element.text or "").strip()

    def children_text(self, local_name: str) -> list[str]:
        """Texts of all direct children of the operation with this local name, any namespace."""
        return [
            (child.text or "").strip()
            for child in self.operation
            if isinstance(child.tag, str) and etree.QName(child).localname == local_name
        ]

    def child_text(self, local_name: str) -> str | None:
        """Text of the first direct child of the operation with this local name."""
        texts = self.children_text(local_name)
        return texts[0] if texts else None


class SoapParseError(ValueError):
    """The request body is not a SOAP 1.2 envelope with one operation."""


def parse_request(data: bytes) -> SoapRequest:
    """Parse a SOAP 1.2 request envelope."""
    try:
        envelope = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as err:
        raise SoapParseError(f"not well-formed XML: {err}") from err
    if envelope.tag != q("env:Envelope"):
        raise SoapParseError(f"not a SOAP 1.2 envelope: {envelope.tag!r}")
    header = envelope.find("env:Header", namespaces=NS)
    body = envelope.find("env:Body", namespaces=NS)
    if body is None:
        raise SoapParseError("the envelope has no Body")
    operations = [child for child in body if isinstance(child.tag, str)]
    if not operations:
        raise SoapParseError("the Body is empty")
    return SoapRequest(envelope=envelope, header=header, body=body, operation=operations[0])


def new_envelope() -> tuple[etree._Element, etree._Element, etree._Element]:
    """Return a fresh (envelope, header, body) with every ONVIF prefix declared."""
    envelope = etree.Element(q("env:Envelope"), nsmap=NS)
    header = sub(envelope, "env:Header")
    body = sub(envelope, "env:Body")
    return envelope, header, body


def serialize(envelope: etree._Element) -> bytes:
    """Serialise an envelope (dropping an empty Header) with an XML declaration."""
    header = envelope.find("env:Header", namespaces=NS)
    if header is not None and len(header) == 0:
        envelope.remove(header)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def add_addressing(header: etree._Element, request: SoapRequest | None, action: str) -> None:
    """Add WS-Addressing response headers (Action, RelatesTo) when the request used them."""
    if request is None:
        return
    request_action = request.header_text("wsa:Action")
    message_id = request.header_text("wsa:MessageID")
    if request_action is None and message_id is None:
        return
    sub(header, "wsa:Action", action)
    sub(header, "wsa:MessageID", f"urn:uuid:{uuid.uuid4()}")
    if message_id:
        sub(header, "wsa:RelatesTo", message_id)


def response_action(request: SoapRequest) -> str:
    """Return the WS-Addressing Action of the response, derived from the request's."""
    action = request.header_text("wsa:Action") or ""
    if action.endswith("Request"):
        return action[: -len("Request")] + "Response"
    return f"{action}Response" if action else ""


@dataclass(frozen=True, slots=True)
class Fault:
    """A SOAP 1.2 fault the camera answers with."""

    code: str
    """``env:Sender`` or ``env:Receiver``."""
    subcodes: tuple[str, ...]
    """Nested subcode QNames, outermost first, e.g. ``("ter:NotAuthorized",)``."""
    reason: str

    @property
    def http_status(self) -> int:
        """SOAP 1.2 HTTP binding: sender faults are 400, receiver faults 500."""
        return 400 if self.code == "env:Sender" else 500

    def to_xml(self) -> bytes:
        """Serialise the fault as a SOAP 1.2 envelope."""
        envelope, _header, body = new_envelope()
        fault = sub(body, "env:Fault")
        parent = sub(fault, "env:Code")
        sub(parent, "env:Value", self.code)
        for subcode in self.subcodes:
            parent = sub(parent, "env:Subcode")
            sub(parent, "env:Value", subcode)
        reason = sub(fault, "env:Reason")
        sub(reason, "env:Text", self.reason, {"xml:lang": "en"})
        return serialize(envelope)


NOT_AUTHORIZED: Final = Fault("env:Sender", ("ter:NotAuthorized",), "Sender not authorized")
ACTION_NOT_SUPPORTED: Final = Fault(
    "env:Receiver", ("ter:ActionNotSupported",), "Action not supported"
)

ACTION_FAILED: Final = Fault("env:Receiver", ("ter:Action",), "The requested action failed")
"""What ``VirtualCamera.set_fault`` answers with unless told otherwise."""


def invalid_arg(subcode: str, reason: str) -> Fault:
    """Return an ``env:Sender / ter:InvalidArgVal / <subcode>`` fault."""
    return Fault("env:Sender", ("ter:InvalidArgVal", subcode), reason)


def check_username_token(
    request: SoapRequest,
    username: str,
    password: str,
    camera_now: dt.datetime,
) -> bool:
    """Check the request's WS-Security UsernameToken against the camera's credentials.

    PasswordDigest is ``base64(sha1(nonce + created + password))``; PasswordText is compared as
    is. A token whose ``wsu:Created`` differs from the camera clock by more than five seconds is
    refused, which is how real cameras turn clock skew into authentication failures.
    """
    if request.header is None:
        return False
    token = request.header.find("wsse:Security/wsse:UsernameToken", namespaces=NS)
    if token is None:
        return False
    given_user = token.findtext("wsse:Username", namespaces=NS)
    password_element = token.find("wsse:Password", namespaces=NS)
    if given_user is None or password_element is None:
        return False
    if not hmac.compare_digest(given_user.strip().encode(), username.encode()):
        return False
    given_password = (password_element.text or "").strip()
    created_text = token.findtext("wsu:Created", namespaces=NS)
    if created_text is not None:
        created = parse_datetime(created_text)
        if created is None or abs(created - camera_now) > MAX_CLOCK_DIFFERENCE:
            return False
    password_type = password_element.get("Type", PASSWORD_TEXT)
    if password_type == PASSWORD_DIGEST:
        nonce_text = token.findtext("wsse:Nonce", namespaces=NS)
        if nonce_text is None or created_text is None:
            return False
        try:
            nonce = base64.b64decode(nonce_text.strip(), validate=True)
        except ValueError:
            return False
        expected = base64.b64encode(
            hashlib.sha1(  # noqa: S324 - WS-Security UsernameToken mandates SHA-1
                nonce + created_text.strip().encode() + password.encode()
            ).digest()
        ).decode()
        return hmac.compare_digest(expected.encode(), given_password.encode())
    if password_type == PASSWORD_TEXT:
        return hmac.compare_digest(given_password.encode(), password.encode())
    return False
