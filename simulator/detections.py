"""Detections: what a camera saw, before any protocol says it.

One call (``VirtualCamera.raise_detection``) says "kind X started (or ended) on channel C";
every source of the camera renders it its own way: ONVIF as a property change on a real topic
(this module's table), Hikvision as an ``EventNotificationAlert``, Dahua as a ``Code=…`` line
(their service modules). A persona can swap the ONVIF rendering of a kind, since firmwares
disagree on topics (Dahua reports tampering as a scene change, Hikvision as TamperDetector).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import enum
from types import MappingProxyType
from typing import Final, Protocol


class Kind(enum.StrEnum):
    """What a camera can detect (the names Homebound's sensors use)."""

    MOTION = "motion"
    PERSON = "person"
    VEHICLE = "vehicle"
    ANIMAL = "animal"
    FACE = "face"
    LINE_CROSSING = "line_crossing"
    INTRUSION = "intrusion"
    LOITERING = "loitering"
    TAMPER = "tamper"
    AUDIO = "audio"
    DIGITAL_INPUT = "digital_input"


ALL_KINDS: Final = frozenset(Kind)


@dataclass(frozen=True, slots=True)
class Detection:
    """One change: ``kind`` started (``active``) or ended on ``channel`` (1 = the first).

    ``region`` names a rule, line or zone where the kind has them (None: the source's
    default); ``pulse`` is a happening without duration (Dahua ``action=Pulse``).
    """

    kind: Kind
    active: bool
    channel: int = 1
    region: str | None = None
    pulse: bool = False

    @property
    def key(self) -> tuple[Kind, int, str | None]:
        """What an ongoing detection is told apart by."""
        return (self.kind, self.channel, self.region)


def check_detection(
    kind: str, active: bool, channel: int, region: str | None, pulse: bool
) -> Detection:
    """Return a valid Detection or raise ValueError naming what is wrong."""
    try:
        parsed = Kind(kind)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise ValueError(f"unknown detection kind {kind!r}; known: {known}") from None
    if isinstance(channel, bool) or not isinstance(channel, int) or channel < 1:
        raise ValueError(f"the channel must be a whole number from 1, not {channel!r}")
    if pulse and not active:
        raise ValueError("a pulse is a start without an end; it cannot be inactive")
    return Detection(parsed, active, channel, region or None, pulse)


class DetectionListener(Protocol):
    """A vendor event stream connection: it renders detections itself."""

    def detected(self, detection: Detection) -> None:
        """Take one detection (queue its part)."""

    def drop(self) -> None:
        """Stop: the camera went away or was reset."""


# -- ONVIF ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnvifRendering:
    """How one kind is said over ONVIF: topic, the Data item with the state, the source."""

    topic: str
    item: str
    source: str = "analytics"
    """``analytics`` (video source configuration, analytics configuration, rule), ``audio``
    (audio source configuration, rule), ``video`` (a video source token), or ``input`` (a
    digital input token)."""
    rule: str = ""
    """Default Rule name of ``analytics`` and ``audio`` sources (a region overrides it)."""
    pulse: bool = False
    """A topic that only says "it happened" (no state, no end): one message per start."""


ONVIF_RENDERINGS: Final[Mapping[Kind, OnvifRendering]] = MappingProxyType(
    {
        # The ONVIF standard topics (Analytics/Events specifications), as Hikvision, Dahua and
        # Axis send them, and Reolink's MyRuleDetector ones for its AI kinds.
        Kind.MOTION: OnvifRendering(
            "tns1:RuleEngine/CellMotionDetector/Motion", "IsMotion", rule="MyMotionDetectorRule"
        ),
        Kind.PERSON: OnvifRendering(
            "tns1:RuleEngine/MyRuleDetector/PeopleDetect", "State", "video"
        ),
        Kind.VEHICLE: OnvifRendering(
            "tns1:RuleEngine/MyRuleDetector/VehicleDetect", "State", "video"
        ),
        Kind.ANIMAL: OnvifRendering(
            "tns1:RuleEngine/MyRuleDetector/DogCatDetect", "State", "video"
        ),
        Kind.FACE: OnvifRendering("tns1:RuleEngine/MyRuleDetector/FaceDetect", "State", "video"),
        Kind.LINE_CROSSING: OnvifRendering(
            "tns1:RuleEngine/LineDetector/Crossed",
            "ObjectId",
            rule="MyLineDetectorRule",
            pulse=True,
        ),
        Kind.INTRUSION: OnvifRendering(
            "tns1:RuleEngine/FieldDetector/ObjectsInside", "IsInside", rule="MyFieldDetectorRule"
        ),
        Kind.LOITERING: OnvifRendering(
            "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering",
            "IsLoitering",
            rule="MyLoiteringDetectorRule",
        ),
        Kind.TAMPER: OnvifRendering(
            "tns1:RuleEngine/TamperDetector/Tamper", "IsTamper", rule="MyTamperDetectorRule"
        ),
        Kind.AUDIO: OnvifRendering(
            "tns1:AudioAnalytics/Audio/DetectedSound",
            "IsSoundDetected",
            "audio",
            rule="MyAudioDetectorRule",
        ),
        Kind.DIGITAL_INPUT: OnvifRendering(
            "tns1:Device/Trigger/DigitalInput", "LogicalState", "input"
        ),
    }
)
"""The generic camera's topic for each kind."""

MOTION_ALARM: Final = OnvifRendering("tns1:VideoSource/MotionAlarm", "State", "video")
SCENE_CHANGE: Final = OnvifRendering(
    "tns1:VideoSource/GlobalSceneChange/ImagingService", "State", "video"
)


def renderings(overrides: Mapping[Kind, OnvifRendering]) -> Mapping[Kind, OnvifRendering]:
    """Return the generic table with a persona's ``overrides``."""
    return MappingProxyType({**ONVIF_RENDERINGS, **overrides})


def _token(prefix: str, channel: int) -> str:
    return f"{prefix}_main" if channel == 1 else f"{prefix}_{channel}"


def onvif_messages(
    rendering: OnvifRendering, detection: Detection
) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """Return the (topic, data, source) property changes that say ``detection`` over ONVIF.

    A pulse on a state topic is a start and its end; on a pulse topic, one message (an end
    on a pulse topic is nothing at all).
    """
    if rendering.source == "video":
        source = {"Source": _token("vs", detection.channel)}
    elif rendering.source == "input":
        source = {"InputToken": f"AlarmIn_{detection.channel}"}
    elif rendering.source == "audio":
        source = {
            "AudioSourceConfigurationToken": _token("asc", detection.channel),
            "Rule": detection.region or rendering.rule,
        }
    else:
        source = {
            "VideoSourceConfigurationToken": _token("vsc", detection.channel),
            "VideoAnalyticsConfigurationToken": _token("vac", detection.channel),
            "Rule": detection.region or rendering.rule,
        }
    topic = rendering.topic
    if rendering.pulse:
        return [(topic, {rendering.item: "1"}, source)] if detection.active else []
    if detection.pulse:
        return [
            (topic, {rendering.item: "true"}, source),
            (topic, {rendering.item: "false"}, source),
        ]
    return [(topic, {rendering.item: "true" if detection.active else "false"}, source)]
