"""Hikvision's ISAPI event stream: ``EventNotificationAlert`` parts and what they mean.

``GET /ISAPI/Event/notification/alertStream`` (HTTP Digest) answers with a multipart body that
never ends. Each part is an ``EventNotificationAlert`` XML document with ``eventType``,
``eventState`` (``active``/``inactive``) and a channel (``channelID``, ``dynChannelID``, or
``inputIOPortID`` for alarm inputs). Facts from public captures and from pyhik, the library
Home Assistant's own ``hikvision`` integration uses:

* while an event lasts, the camera repeats an ``active`` part about once a second, and some NVR
  firmwares never send ``inactive``: an event ends when its repeats stop (:data:`REPEAT_WINDOW`);
* after a quiet spell the stream carries a heartbeat: ``videoloss`` with ``inactive`` (door
  stations: ``other`` described ``Heartbeat``); how often varies by firmware, see
  ``liveness.py``;
* smart events (AcuSense) name their target: ``detectionTarget`` / ``targetType`` of
  ``human`` or ``vehicle`` turns motion or a line crossing into a person or vehicle detection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .model import EventKind
from .xml import UnsafeXmlError, child_text, local, parse_xml

ALERT_STREAM_PATH: Final = "/ISAPI/Event/notification/alertStream"
DEVICE_INFO_PATH: Final = "/ISAPI/System/deviceInfo"
TRIGGERS_PATH: Final = "/ISAPI/Event/triggers"
REPEAT_WINDOW: Final = 3.0
"""Seconds after the last ``active`` repeat at which a Hikvision event counts as ended."""

EVENT_TYPES: Final[dict[str, EventKind]] = {
    "vmd": EventKind.MOTION,
    "motion": EventKind.MOTION,
    "motiondetection": EventKind.MOTION,
    "pir": EventKind.MOTION,
    "linedetection": EventKind.LINE_CROSSING,
    "fielddetection": EventKind.INTRUSION,
    "regionentrance": EventKind.INTRUSION,
    "regionexiting": EventKind.INTRUSION,
    "loitering": EventKind.LOITERING,
    "tamperdetection": EventKind.TAMPER,
    "shelteralarm": EventKind.TAMPER,
    "defocus": EventKind.TAMPER,
    "scenechangedetection": EventKind.TAMPER,
    "facedetection": EventKind.FACE,
    "facesnap": EventKind.FACE,
    "io": EventKind.DIGITAL_INPUT,
    "alarmin": EventKind.DIGITAL_INPUT,
    "audioexception": EventKind.AUDIO,
    "audiodetection": EventKind.AUDIO,
    "humandetection": EventKind.PERSON,
    "vehicledetection": EventKind.VEHICLE,
    "animaldetection": EventKind.ANIMAL,
}
_TARGETS: Final = {
    "human": EventKind.PERSON,
    "person": EventKind.PERSON,
    "vehicle": EventKind.VEHICLE,
    "animal": EventKind.ANIMAL,
}
_TARGET_KINDS: Final = frozenset({EventKind.MOTION, EventKind.INTRUSION})
HEARTBEAT_TYPE: Final = "videoloss"


@dataclass(frozen=True, slots=True)
class HikAlert:
    """One EventNotificationAlert, read."""

    event_type: str
    active: bool
    channel: str
    region: str
    kind: EventKind | None

    @property
    def heartbeat(self) -> bool:
        """Whether this part only says the stream is alive (an inactive video loss)."""
        return self.event_type == HEARTBEAT_TYPE and not self.active


def parse_alert(body: bytes) -> HikAlert:
    """Read one part's EventNotificationAlert; raise UnsafeXmlError for anything else."""
    root = parse_xml(body)
    if local(root.tag) != "EventNotificationAlert":
        raise UnsafeXmlError(f"not an EventNotificationAlert: {local(root.tag)}")
    event_type = (child_text(root, "eventType") or "").lower()
    if event_type == "duration":
        event_type = (child_text(root, "relationEvent") or "").lower()
    elif event_type == "other" and (child_text(root, "eventDescription") or "").lower() == (
        "heartbeat"
    ):
        event_type = HEARTBEAT_TYPE  # doorbells say it this way (mezz64/pyHik#16)
    state = (child_text(root, "eventState") or "").lower()
    if not event_type or state not in ("active", "inactive"):
        raise UnsafeXmlError("an alert without eventType or eventState")
    kind = EVENT_TYPES.get(event_type)
    if kind in _TARGET_KINDS or kind is EventKind.LINE_CROSSING:
        target = child_text(root, "detectionTarget") or child_text(root, "targetType") or ""
        if (named := _TARGETS.get(target.lower())) is not None and kind in _TARGET_KINDS:
            kind = named
    if kind is EventKind.DIGITAL_INPUT:
        channel = child_text(root, "inputIOPortID") or child_text(root, "dynInputIOPortID") or ""
    else:
        channel = (
            child_text(root, "dynChannelID")
            or child_text(root, "channelID")
            or child_text(root, "videoInputChannelID")
            or ""
        )
    region = ""
    if kind in (EventKind.LINE_CROSSING, EventKind.INTRUSION, EventKind.LOITERING):
        region = child_text(root, "regionID") or ""
    return HikAlert(event_type, state == "active", channel, region, kind)


def alert_complete(body: bytes) -> bool:
    """Whether a part body (without Content-Length) holds a whole EventNotificationAlert."""
    return body.rstrip().endswith(b"</EventNotificationAlert>")


def kinds_from_triggers(body: bytes) -> set[tuple[EventKind, str]]:
    """Return the (kind, channel) pairs an ``/ISAPI/Event/triggers`` list has set up."""
    root = parse_xml(body)
    found: set[tuple[EventKind, str]] = set()
    for trigger in root.iter():
        if not isinstance(trigger.tag, str) or local(trigger.tag) != "EventTrigger":
            continue
        kind = EVENT_TYPES.get((child_text(trigger, "eventType") or "").lower())
        if kind is None:
            continue
        channel = (
            child_text(trigger, "dynVideoInputChannelID")
            or child_text(trigger, "videoInputChannelID")
            or child_text(trigger, "dynInputIOPortID")
            or child_text(trigger, "inputIOPortID")
            or ""
        )
        found.add((kind, channel))
    return found
