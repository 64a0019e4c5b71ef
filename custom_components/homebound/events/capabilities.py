"""What a camera can report, asked of the camera itself — and whose vendor stream it speaks.

Sensors are made for what the firmware declares, not from a fixed list: ONVIF
GetEventProperties (its topic set, each topic with the names of its Data items, read with
the same table that reads events), and for Hikvision and Dahua their own lists
(``/ISAPI/Event/triggers``, ``eventManager.cgi?action=getCaps``). Whether a camera is a
Hikvision or a Dahua is decided from what it says it is (manufacturer, or the maker its MAC
prefix is registered to) and then from its vendor endpoint answering; a name alone is not
trusted, since rebrands report all sorts of manufacturers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import logging
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from lxml import etree

from ..catalog import VENDORS, vendor_for_mac
from ..device import CameraError
from ..device.body import BodyError, read_body
from . import dahua, hikvision
from .model import Capability, EventKind, SourceKind
from .onvif_messages import OnvifMessage
from .onvif_topics import classify, classify_with_onvif_parsers
from .readers import Channels, channel_number
from .xml import UnsafeXmlError, local

if TYPE_CHECKING:
    from ..device import OnvifClient

_LOGGER = logging.getLogger(__name__)

PROBE_TIMEOUT: Final = 5.0
MAX_API_BODY: Final = 256 * 1024
"""Largest answer of a vendor API read (trigger lists of big NVRs are tens of kilobytes)."""
MAX_TOPICS: Final = 500
_VENDOR_OF_SOURCE: Final = {SourceKind.HIKVISION: "hikvision", SourceKind.DAHUA: "dahua"}
_RELATED: Final = {
    "hikvision": {"hikvision", "ezviz"},
    "dahua": {"dahua", "imou", "amcrest", "lorex"},
}


@dataclass(frozen=True, slots=True)
class VendorHttp:
    """How to reach a camera's own HTTP API: base URL and credentials (Digest).

    One Digest middleware serves every request to the camera (and, handed to the stream
    sources as ``auth``, its event stream): it keeps the camera's challenge, so that only the
    first request is refused and answered again, not every one — a login per request is what
    Dahua users complain of (anchors §4).
    """

    session: aiohttp.ClientSession
    base_url: str
    username: str
    password: str
    observers: tuple[aiohttp.ClientMiddlewareType, ...] = ()
    """Middlewares that watch each answer (a ``device.FingerprintRecorder``), inside Digest."""
    digest: aiohttp.DigestAuthMiddleware = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Make the one Digest middleware of this camera."""
        object.__setattr__(
            self, "digest", aiohttp.DigestAuthMiddleware(self.username, self.password)
        )

    async def get(self, path: str, *, limit: int = MAX_API_BODY) -> tuple[int, bytes]:
        """GET ``path``; return the status and the whole body (BodyError above ``limit``)."""
        async with self.session.get(
            self.base_url.rstrip("/") + path,
            middlewares=(self.digest, *self.observers),
            timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT),
        ) as response:
            if response.status != 200:
                return response.status, b""
            body = await read_body(response.content, limit, expected=response.content_length)
            return response.status, body


VENDOR_API: Final = {SourceKind.HIKVISION: "isapi", SourceKind.DAHUA: "dahua_cgi"}
"""The name ``device.FingerprintRecorder.observe_vendor_api`` takes for a detected vendor."""


def _hinted(manufacturer: str, mac: str | None, also: Iterable[str] = ()) -> set[str]:
    """Which vendors the camera's own account of itself (or its fingerprint) points at."""
    name = manufacturer.lower()
    hinted = {
        vendor.key
        for vendor in VENDORS
        if any(brand.lower() in name for brand in (vendor.name, *vendor.brands))
    }
    hinted.update(also)
    if mac and (by_mac := vendor_for_mac(mac)) is not None:
        hinted.add(by_mac.key)
    return hinted


async def detect_vendor(
    http: VendorHttp, manufacturer: str, mac: str | None, *, also: Iterable[str] = ()
) -> SourceKind | None:
    """Return the vendor stream the camera speaks, if its name or MAC say so and its API answers.

    ``also``: maker keys the camera's firmware fingerprint already showed (``catalog.identify``
    with confidence ``firmware``), so a relabelled camera is asked its maker's endpoint too.
    """
    hinted = _hinted(manufacturer, mac, also)
    checks = (
        (SourceKind.HIKVISION, hikvision.DEVICE_INFO_PATH, b"<DeviceInfo"),
        (SourceKind.DAHUA, dahua.DEVICE_TYPE_PATH, b"type="),
    )
    for kind, path, marker in checks:
        if not hinted & _RELATED[_VENDOR_OF_SOURCE[kind]]:
            continue
        try:
            status, body = await http.get(path, limit=16 * 1024)
        except (aiohttp.ClientError, TimeoutError, OSError, BodyError) as err:
            _LOGGER.debug("%s: %s did not answer: %s", http.base_url, path, err)
            continue
        if status == 200 and marker in body:
            return kind
    return None


# -- ONVIF ------------------------------------------------------------------------------------


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if isinstance(c.tag, str) and local(c.tag) == name]


def _topics(element: Any, path: tuple[str, ...], found: list[tuple[str, tuple[str, ...]]]) -> None:
    """Walk a wstop:TopicSet: collect (topic, Data item names) of every declared topic."""
    for child in element:
        if not isinstance(child.tag, str) or len(found) >= MAX_TOPICS:
            continue
        name = local(child.tag)
        if name == "MessageDescription":
            continue
        here = (*path, name)
        is_topic = any(
            local(key) == "topic" and value.strip().lower() == "true"
            for key, value in child.attrib.items()
        )
        if is_topic:
            items = tuple(
                item.get("Name") or ""
                for description in _children(child, "MessageDescription")
                for holder in _children(description, "Data")
                for item in holder
                if isinstance(item.tag, str)
            )
            found.append(("tns1:" + "/".join(here), items))
        _topics(child, here, found)


def onvif_topics(result: Any) -> list[tuple[str, tuple[str, ...]]]:
    """Return the declared topics of a GetEventProperties answer, with their Data items."""
    found: list[tuple[str, tuple[str, ...]]] = []
    topic_set = getattr(result, "TopicSet", None)
    for element in getattr(topic_set, "_value_1", None) or []:
        if hasattr(element, "tag") and hasattr(element, "attrib"):
            root = etree.Element("TopicSet")
            root.append(element)
            _topics(root, (), found)
    return found


async def onvif_capabilities(client: OnvifClient) -> set[Capability]:
    """Kinds the camera's ONVIF topic set declares (empty without an event service)."""
    if not client.has_events:
        return set()
    try:
        events = await client.service("events")
        result = await client.call(events.GetEventProperties())
    except CameraError as err:
        _LOGGER.debug("%s: GetEventProperties failed: %s", client.host, err)
        return set()
    found: set[Capability] = set()
    for topic, items in onvif_topics(result):
        message = OnvifMessage(topic=topic, data=dict.fromkeys(items or ("State",), "false"))
        reading = classify(message) or await classify_with_onvif_parsers(message)
        if reading is not None:
            found.update(Capability(kind) for kind, _ in reading.states)
    return found


async def vendor_capabilities(
    kind: SourceKind, http: VendorHttp, channels: Channels
) -> set[Capability]:
    """Kinds a Hikvision or Dahua camera has set up, from its own API."""
    try:
        if kind is SourceKind.HIKVISION:
            status, body = await http.get(hikvision.TRIGGERS_PATH)
            if status != 200:
                return set()
            return {
                Capability(event_kind, _numbered(channels, channel))
                for event_kind, channel in hikvision.kinds_from_triggers(body)
            }
        status, body = await http.get(dahua.CAPS_PATH)
    except (aiohttp.ClientError, TimeoutError, OSError, UnsafeXmlError, BodyError) as err:
        _LOGGER.debug("%s: vendor capabilities failed: %s", http.base_url, err)
        return set()
    if status != 200:
        return set()
    return {Capability(event_kind) for event_kind in dahua.kinds_from_caps(body)}


def deliverable_kinds(onvif: set[Capability]) -> dict[SourceKind, frozenset[EventKind]]:
    """Return what each source can carry, for ``DetectionState(deliverable=...)``.

    The ONVIF sources carry what the topic set declares (an empty or unreadable set says
    nothing, so nothing is restricted). Vendor streams are not restricted: their lists
    (Hikvision triggers, Dahua caps) leave out kinds they do carry (person and vehicle on
    AcuSense firmware), and a sensor made unavailable by a gap in a list would be a lie too.
    Kinds a source is seen to deliver are added by the state machine as they come.
    """
    if not onvif:
        return {}
    kinds = frozenset(capability.kind for capability in onvif)
    return {SourceKind.WEBHOOK: kinds, SourceKind.PULLPOINT: kinds}


def _numbered(channels: Channels, text: str) -> str:
    number = channel_number(text)
    return channels.numbered(number) if number is not None else ""


DEFAULT_KINDS: Final = frozenset({EventKind.MOTION})
"""What a camera with an event service but an unreadable topic set gets."""
