"""Dahua's CGI event stream: ``Code=…;action=…;index=…`` parts and what they mean.

``GET /cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5`` (HTTP Digest) answers
with a multipart body that never ends (``--myboundary``; some firmwares write ``-- myboundary``
or no Content-Length). Each part is text such as ``Code=VideoMotion;action=Start;index=0``,
optionally followed by ``;data={…}`` (JSON, possibly over several lines); ``action`` is
``Start``, ``Stop`` or ``Pulse``; ``index`` counts channels from 0. With ``heartbeat=5`` the
camera sends a ``Heartbeat`` part every five seconds, which is how a silent stream is told
from a dead one. Facts from python-amcrest, the library Home Assistant's ``amcrest``
integration uses, and from public captures.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Final

from .model import EventKind

ATTACH_PATH: Final = "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5"
HEARTBEAT_SECONDS: Final = 5
DEVICE_TYPE_PATH: Final = "/cgi-bin/magicBox.cgi?action=getDeviceType"
CAPS_PATH: Final = "/cgi-bin/eventManager.cgi?action=getCaps"
MAX_TEXT: Final = 16 * 1024
MAX_INDEX_DIGITS: Final = 4
"""Channel indexes have at most this many digits (NVRs count channels in the hundreds)."""

CODES: Final[dict[str, EventKind]] = {
    "videomotion": EventKind.MOTION,
    "smartmotionhuman": EventKind.PERSON,
    "smartmotionvehicle": EventKind.VEHICLE,
    "crosslinedetection": EventKind.LINE_CROSSING,
    "crossregiondetection": EventKind.INTRUSION,
    "wanderdetection": EventKind.LOITERING,
    "videoblind": EventKind.TAMPER,
    "videoabnormaldetection": EventKind.TAMPER,
    "scenechange": EventKind.TAMPER,
    "audiomutation": EventKind.AUDIO,
    "audioanomaly": EventKind.AUDIO,
    "alarmlocal": EventKind.DIGITAL_INPUT,
    "facedetection": EventKind.FACE,
    "animaldetection": EventKind.ANIMAL,
}
# getCaps keys that say a kind is there (lower case).
CAPS: Final[dict[str, EventKind]] = {
    "motiondetectsupport": EventKind.MOTION,
    "blinddetectsupport": EventKind.TAMPER,
    "audiodetectsupport": EventKind.AUDIO,
    "alarminsupport": EventKind.DIGITAL_INPUT,
    "smartmotionsupport": EventKind.PERSON,
    "crosslinesupport": EventKind.LINE_CROSSING,
    "crossregionsupport": EventKind.INTRUSION,
    "wandersupport": EventKind.LOITERING,
    "facedetectsupport": EventKind.FACE,
}
_OBJECTS: Final = {"human": EventKind.PERSON, "vehicle": EventKind.VEHICLE}


class DahuaPartError(ValueError):
    """A part that is not a Dahua event line."""


@dataclass(frozen=True, slots=True)
class DahuaEvent:
    """One event line, read."""

    code: str
    action: str
    """``start``, ``stop`` or ``pulse``."""
    index: int
    kind: EventKind | None
    region: str = ""

    @property
    def heartbeat(self) -> bool:
        """Whether this part only says the stream is alive."""
        return self.code == "heartbeat"


def parse_event(body: bytes) -> DahuaEvent:
    """Read one part; raise DahuaPartError for anything that is not an event line."""
    if len(body) > MAX_TEXT:
        raise DahuaPartError("part too long for an event line")
    text = body.decode("utf-8", errors="replace").strip()
    if text.lower() == "heartbeat":
        return DahuaEvent("heartbeat", "", 0, None)
    head, _, data_text = text.partition(";data=")
    fields: dict[str, str] = {}
    for item in head.replace("\r", "").replace("\n", "").split(";"):
        key, equals, value = item.partition("=")
        if equals:
            fields[key.strip().lower()] = value.strip()
    code = fields.get("code", "").lower()
    if not code:
        raise DahuaPartError("no Code in the part")
    if code == "heartbeat":
        return DahuaEvent("heartbeat", "", 0, None)
    action = fields.get("action", "").lower()
    if action not in ("start", "stop", "pulse"):
        raise DahuaPartError(f"unknown action {action!r}")
    index_text = fields.get("index", "0").strip()
    digits = index_text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_INDEX_DIGITS:
        raise DahuaPartError("index is not a channel number")
    index = int(index_text)
    kind = CODES.get(code)
    region = ""
    data = _data(data_text)
    if kind in (EventKind.LINE_CROSSING, EventKind.INTRUSION, EventKind.LOITERING):
        region = str(data.get("Name") or "")
    if kind is EventKind.MOTION:
        objects = data.get("Object")
        if isinstance(objects, dict):
            kind = _OBJECTS.get(str(objects.get("ObjectType", "")).lower(), kind)
    return DahuaEvent(code, action, max(index, 0), kind, region)


def part_complete(body: bytes) -> bool:
    """Whether a part body (without Content-Length) is a whole event line.

    A line without ``data`` is whole at its end; with ``data`` once the JSON's braces close.
    """
    text = body.strip()
    if not text.lower().startswith((b"code=", b"heartbeat")):
        return False
    _, found, data = text.partition(b";data=")
    if not found:
        return b"\n" not in text
    return data.count(b"{") == data.count(b"}") and data.rstrip().endswith(b"}")


def _data(text: str) -> dict[str, object]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def kinds_from_caps(body: bytes) -> set[EventKind]:
    """Return the kinds an ``eventManager.cgi?action=getCaps`` answer says are there."""
    found: set[EventKind] = set()
    for line in body[:MAX_TEXT].decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        name = key.strip().lower().rsplit(".", 1)[-1]
        if value.strip().lower() == "true" and (kind := CAPS.get(name)) is not None:
            found.add(kind)
    return found
