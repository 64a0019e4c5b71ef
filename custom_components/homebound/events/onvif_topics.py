"""Which ONVIF topics mean what: the table from topics and items to :class:`EventKind`.

Home Assistant's onvif integration hands each message to onvif-parsers, whose parsers read the
first Data item by position and compare it with the literal ``"true"``: a camera sending
``State="1"`` (home-assistant/core#37545) or ``active`` never turns a sensor on, and every topic
it lacks is a warning per message. Homebound reads items by name with a tolerant value reader,
knows the standard and common vendor topics itself (below), and asks onvif-parsers only about
topics this table lacks — to learn what kind of detection they report; the on/off value is
read here either way. Unknown topics are counted, never logged per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Final

from .model import EventKind
from .onvif_messages import OnvifMessage

_TRUE: Final = frozenset({"true", "1", "active", "on", "yes", "start", "started"})
_FALSE: Final = frozenset({"false", "0", "inactive", "off", "no", "stop", "stopped"})


def truth(value: str | None) -> bool | None:
    """Read an on/off value the way firmwares write it; None when it is neither."""
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def topic_path(topic: str) -> tuple[str, ...]:
    """``tns1:RuleEngine/tnsaxis:Foo/Bar`` -> ``("ruleengine", "foo", "bar")``."""
    return tuple(
        part.rsplit(":", 1)[-1].strip().lower() for part in topic.split("/") if part.strip()
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """What one message says: kinds and their state, the channel token, the rule."""

    states: tuple[tuple[EventKind, bool], ...]
    channel_token: str
    rule: str
    pulse: bool = False


# Data item names, lower case, that carry one kind's state on any topic.
_ITEM_KINDS: Final[dict[str, EventKind]] = {
    "ismotion": EventKind.MOTION,
    "motion": EventKind.MOTION,
    "ispeople": EventKind.PERSON,
    "ishuman": EventKind.PERSON,
    "isperson": EventKind.PERSON,
    "isvehicle": EventKind.VEHICLE,
    "iscar": EventKind.VEHICLE,
    "ispet": EventKind.ANIMAL,
    "isanimal": EventKind.ANIMAL,
    "isdogcat": EventKind.ANIMAL,
    "isface": EventKind.FACE,
    "islinecross": EventKind.LINE_CROSSING,
    "islinecrossing": EventKind.LINE_CROSSING,
    "isintrusion": EventKind.INTRUSION,
    "isinside": EventKind.INTRUSION,
    "isloitering": EventKind.LOITERING,
    "istamper": EventKind.TAMPER,
    "issounddetected": EventKind.AUDIO,
}

# Topic paths (without prefixes, lower case) whose kind does not follow from their items: the
# kind, and the item that holds the state when it has a generic name (State, LogicalState).
_TOPICS: Final[dict[tuple[str, ...], tuple[EventKind, str]]] = {
    ("videosource", "motionalarm"): (EventKind.MOTION, "state"),
    ("ruleengine", "cellmotiondetector", "motion"): (EventKind.MOTION, "ismotion"),
    ("ruleengine", "motionregiondetector", "motion"): (EventKind.MOTION, "state"),
    ("ruleengine", "fielddetector", "objectsinside"): (EventKind.INTRUSION, "isinside"),
    ("ruleengine", "tamperdetector", "tamper"): (EventKind.TAMPER, "istamper"),
    ("ruleengine", "loiteringdetector", "objectisloitering"): (EventKind.LOITERING, "isloitering"),
    ("audioanalytics", "audio", "detectedsound"): (EventKind.AUDIO, "issounddetected"),
    ("device", "trigger", "digitalinput"): (EventKind.DIGITAL_INPUT, "logicalstate"),
    ("device", "trigger", "alarmin"): (EventKind.DIGITAL_INPUT, "state"),
    ("device", "alarmin"): (EventKind.DIGITAL_INPUT, "state"),
    ("ruleengine", "myruledetector", "peopledetect"): (EventKind.PERSON, "state"),
    ("ruleengine", "myruledetector", "vehicledetect"): (EventKind.VEHICLE, "state"),
    ("ruleengine", "myruledetector", "dogcatdetect"): (EventKind.ANIMAL, "state"),
    ("ruleengine", "myruledetector", "facedetect"): (EventKind.FACE, "state"),
    ("ruleengine", "myruledetector", "motion"): (EventKind.MOTION, "state"),
    ("ruleengine", "peopledetector", "people"): (EventKind.PERSON, "ispeople"),
    ("ruleengine", "linecrossdetector", "linecross"): (EventKind.LINE_CROSSING, "islinecross"),
    ("useralarm", "iva", "humanshapedetect"): (EventKind.PERSON, "state"),
}
# Topics that report a happening without duration (no "off" follows).
_PULSES: Final[dict[tuple[str, ...], EventKind]] = {
    ("ruleengine", "linedetector", "crossed"): EventKind.LINE_CROSSING,
}
# Image-health topics that mean someone covered, moved or blinded the camera.
_TAMPER_PREFIXES: Final = (
    ("videosource", "globalscenechange"),
    ("videosource", "imagetooblurry"),
    ("videosource", "imagetoodark"),
)

_CHANNEL_ITEMS: Final = (
    "VideoSourceConfigurationToken",
    "VideoSourceToken",
    "Source",
    "InputToken",
    "AudioSourceConfigurationToken",
    "VideoSource",
)
_RULE_ITEMS: Final = ("Rule", "RuleName", "Region", "RegionName")
# Kinds for which a rule or region is a different sensor (one per line, field, zone).
_RULE_KINDS: Final = frozenset({EventKind.LINE_CROSSING, EventKind.INTRUSION, EventKind.LOITERING})
_DIGITAL_ITEMS: Final = ("logicalstate", "state", "level")


def _channel(message: OnvifMessage) -> str:
    for name in _CHANNEL_ITEMS:
        if value := message.source.get(name):
            return value
    return ""


def _rule(message: OnvifMessage, kinds: set[EventKind]) -> str:
    if not kinds & _RULE_KINDS:
        return ""
    for name in _RULE_ITEMS:
        if value := message.source.get(name):
            return value
    return ""


def _first_truth(values: Iterable[str]) -> bool | None:
    """Return the first on/off value among ``values``."""
    return next((state for state in map(truth, values) if state is not None), None)


def classify(message: OnvifMessage) -> Reading | None:
    """Return what ``message`` says about which kinds; None for a topic unknown here."""
    path = topic_path(message.topic)
    data = {name.lower(): value for name, value in message.data.items()}
    states: dict[EventKind, bool] = {}
    if path in _PULSES:
        kind = _PULSES[path]
        return Reading(((kind, True),), _channel(message), _rule(message, {kind}), pulse=True)
    known = _TOPICS.get(path)
    if known is not None:
        kind, item = known
        names = _DIGITAL_ITEMS if kind is EventKind.DIGITAL_INPUT else (item, "state")
        state = _first_truth(data[n] for n in names if n in data)
        if state is not None:
            states[kind] = state
    elif any(path[: len(prefix)] == prefix for prefix in _TAMPER_PREFIXES):
        if (state := _first_truth(data.values())) is not None:
            states[EventKind.TAMPER] = state
    # Items named after a kind count on any topic (Tapo's TPSmartEvent, vendor analytics).
    for name, text in data.items():
        kind_of_item = _ITEM_KINDS.get(name)
        item_state = truth(text)
        if kind_of_item is not None and item_state is not None:
            states.setdefault(kind_of_item, item_state)
    if not states:
        return None if known is None else Reading((), _channel(message), "")
    return Reading(tuple(states.items()), _channel(message), _rule(message, set(states)))


# -- onvif-parsers, for topics the table lacks ----------------------------------------------

_NAME_KINDS: Final = (
    ("person", EventKind.PERSON),
    ("people", EventKind.PERSON),
    ("human", EventKind.PERSON),
    ("vehicle", EventKind.VEHICLE),
    ("pet", EventKind.ANIMAL),
    ("animal", EventKind.ANIMAL),
    ("dog", EventKind.ANIMAL),
    ("face", EventKind.FACE),
    ("line", EventKind.LINE_CROSSING),
    ("field", EventKind.INTRUSION),
    ("intrusion", EventKind.INTRUSION),
    ("loiter", EventKind.LOITERING),
    ("tamper", EventKind.TAMPER),
    ("sound", EventKind.AUDIO),
    ("audio", EventKind.AUDIO),
    ("digital input", EventKind.DIGITAL_INPUT),
    ("motion", EventKind.MOTION),
)


def _as_zeep(message: OnvifMessage) -> SimpleNamespace:
    """Return the shape onvif-parsers reads (zeep's NotificationMessage), built from our message."""

    def items(values: dict[str, str]) -> SimpleNamespace:
        return SimpleNamespace(
            SimpleItem=[SimpleNamespace(Name=k, Value=v) for k, v in values.items()]
        )

    return SimpleNamespace(
        Topic=SimpleNamespace(_value_1=message.topic),
        Message=SimpleNamespace(
            _value_1=SimpleNamespace(
                Source=items(message.source),
                Data=items(message.data),
                UtcTime=message.time,
                PropertyOperation=message.operation,
            )
        ),
    )


async def classify_with_onvif_parsers(message: OnvifMessage) -> Reading | None:
    """Ask onvif-parsers what kind a topic unknown to the table reports; read the value here."""
    import onvif_parsers  # noqa: PLC0415 - imported on first unknown topic only
    from onvif_parsers.errors import UnknownTopicError  # noqa: PLC0415

    try:
        entities = await onvif_parsers.parse(message.topic, "homebound", _as_zeep(message))
    except UnknownTopicError:
        return None
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        # The parsers read items by position; a message of another shape is not ours to fix.
        return None
    states: dict[EventKind, bool] = {}
    value = _first_truth(message.data.values())
    for entity in entities:
        if entity.platform != "binary_sensor" or value is None:
            continue
        name = entity.name.lower()
        kind = next((k for word, k in _NAME_KINDS if word in name), None)
        if kind is None and entity.device_class == "motion":
            kind = EventKind.MOTION
        if kind is not None:
            states.setdefault(kind, value)
    if not states:
        return None
    return Reading(tuple(states.items()), _channel(message), _rule(message, set(states)))
