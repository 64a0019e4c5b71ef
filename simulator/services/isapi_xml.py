"""Hikvision ISAPI documents: DeviceInfo, EventTriggerList, EventNotificationAlert.

Shapes follow public captures of Hikvision cameras (namespace ``hikvision.com/ver20``, CRLF
between elements). Each detection kind has its ISAPI event type; person, vehicle and animal are
the AcuSense kind of motion (``VMD`` whose DetectionRegionEntry names a ``detectionTarget``),
line crossing, intrusion and loitering name their region. Tampering is ``shelteralarm`` on the
stream and ``tamperdetection`` among the triggers, as firmwares do.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from typing import TYPE_CHECKING, Final
import uuid
from xml.sax.saxutils import escape

from ..detections import Detection, Kind

if TYPE_CHECKING:
    from ..state import CameraState

NAMESPACE: Final = "http://www.hikvision.com/ver20/XMLSchema"
XML_DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8"?>'
DEFAULT_REGION: Final = "1"
HEARTBEAT_TYPE: Final = "videoloss"


@dataclass(frozen=True, slots=True)
class HikType:
    """How ISAPI names one kind: alert event type, trigger event type, target, region."""

    event_type: str
    trigger: str
    target: str | None = None
    """AcuSense ``detectionTarget`` (human, vehicle, animal)."""
    region: bool = False
    """Whether alerts carry a DetectionRegionList with a regionID."""


EVENT_TYPES: Final[dict[Kind, HikType]] = {
    Kind.MOTION: HikType("VMD", "VMD"),
    Kind.PERSON: HikType("VMD", "VMD", target="human"),
    Kind.VEHICLE: HikType("VMD", "VMD", target="vehicle"),
    Kind.ANIMAL: HikType("VMD", "VMD", target="animal"),
    Kind.FACE: HikType("faceDetection", "facedetection"),
    Kind.LINE_CROSSING: HikType("linedetection", "linedetection", region=True),
    Kind.INTRUSION: HikType("fielddetection", "fielddetection", region=True),
    Kind.LOITERING: HikType("loitering", "loitering", region=True),
    Kind.TAMPER: HikType("shelteralarm", "tamperdetection"),
    Kind.AUDIO: HikType("audioexception", "audioexception"),
    Kind.DIGITAL_INPUT: HikType("IO", "IO"),
}


def _document(root: str, lines: list[str]) -> list[str]:
    return [XML_DECLARATION, f'<{root} version="2.0" xmlns="{NAMESPACE}">', *lines, f"</{root}>"]


def device_info(state: CameraState) -> list[str]:
    """``GET /ISAPI/System/deviceInfo``."""
    config = state.config
    device_id = uuid.uuid5(uuid.NAMESPACE_URL, f"homebound-simulator:{config.serial}")
    return _document(
        "DeviceInfo",
        [
            f"<deviceName>{escape(config.name)}</deviceName>",
            f"<deviceID>{device_id}</deviceID>",
            "<deviceDescription>IPCamera</deviceDescription>",
            "<deviceLocation>hangzhou</deviceLocation>",
            "<systemContact>Hikvision.China</systemContact>",
            f"<model>{escape(config.model)}</model>",
            f"<serialNumber>{escape(config.serial)}</serialNumber>",
            f"<macAddress>{config.mac.lower()}</macAddress>",
            f"<firmwareVersion>{escape(config.firmware)}</firmwareVersion>",
            "<firmwareReleasedDate>build 230620</firmwareReleasedDate>",
            "<encoderVersion>V7.3</encoderVersion>",
            "<encoderReleasedDate>build 230601</encoderReleasedDate>",
            f"<hardwareVersion>{escape(config.hardware_id)}</hardwareVersion>",
            "<deviceType>IPCamera</deviceType>",
            "<telecontrolID>88</telecontrolID>",
            "<supportBeep>false</supportBeep>",
            "<supportVideoLoss>false</supportVideoLoss>",
        ],
    )


def triggers(kinds: frozenset[Kind]) -> list[str]:
    """``GET /ISAPI/Event/triggers``: one EventTrigger per event type set up, on channel 1."""
    lines: list[str] = []
    seen: set[str] = set()
    for kind in Kind:
        if kind not in kinds or (trigger := EVENT_TYPES[kind].trigger) in seen:
            continue
        seen.add(trigger)
        if kind is Kind.DIGITAL_INPUT:
            where = ["<inputIOPortID>1</inputIOPortID>"]
        else:
            where = [
                "<videoInputChannelID>1</videoInputChannelID>",
                "<dynVideoInputChannelID>1</dynVideoInputChannelID>",
            ]
        lines += [
            "<EventTrigger>",
            f"<id>{trigger}-1</id>",
            f"<eventType>{trigger}</eventType>",
            f"<eventDescription>{trigger} Event trigger Information</eventDescription>",
            *where,
            "<EventTriggerNotificationList>",
            "<EventTriggerNotification>",
            "<id>center</id>",
            "<notificationMethod>center</notificationMethod>",
            "<notificationRecurrence>beginning</notificationRecurrence>",
            "</EventTriggerNotification>",
            "</EventTriggerNotificationList>",
            "</EventTrigger>",
        ]
    return _document("EventTriggerList", lines)


def _regions(hik: HikType, detection: Detection) -> list[str]:
    if not hik.region and hik.target is None:
        return []
    entry = ["<DetectionRegionEntry>"]
    if hik.region:
        entry += [
            f"<regionID>{escape(detection.region or DEFAULT_REGION)}</regionID>",
            "<sensitivityLevel>50</sensitivityLevel>",
            "<RegionCoordinatesList>",
            *(
                f"<RegionCoordinates><positionX>{x}</positionX><positionY>{y}</positionY>"
                "</RegionCoordinates>"
                for x, y in ((120, 140), (120, 860), (880, 860), (880, 140))
            ),
            "</RegionCoordinatesList>",
        ]
    if hik.target is not None:
        entry += [
            f"<detectionTarget>{hik.target}</detectionTarget>",
            "<TargetRect><X>412</X><Y>305</Y><width>96</width><height>288</height></TargetRect>",
        ]
    return ["<DetectionRegionList>", *entry, "</DetectionRegionEntry>", "</DetectionRegionList>"]


def alert(
    state: CameraState,
    event_type: str,
    active: bool,
    channel: int,
    count: int,
    extra: list[str] | None = None,
    *,
    io_port: bool = False,
) -> list[str]:
    """One EventNotificationAlert as the camera writes it on the alert stream."""
    when = state.now().astimezone(dt.UTC).replace(microsecond=0).isoformat()
    tag = "inputIOPortID" if io_port else "channelID"
    where = f"<{tag}>{channel}</{tag}>"
    return _document(
        "EventNotificationAlert",
        [
            f"<ipAddress>{state.host}</ipAddress>",
            f"<portNo>{state.onvif_port}</portNo>",
            "<protocol>HTTP</protocol>",
            f"<macAddress>{state.config.mac.lower()}</macAddress>",
            where,
            f"<dateTime>{when}</dateTime>",
            f"<activePostCount>{count}</activePostCount>",
            f"<eventType>{event_type}</eventType>",
            f"<eventState>{'active' if active else 'inactive'}</eventState>",
            f"<eventDescription>{event_type} alarm</eventDescription>",
            *(extra or []),
            f"<channelName>Camera {channel:02d}</channelName>",
        ],
    )


def detection_alert(
    state: CameraState, detection: Detection, active: bool, count: int
) -> list[str]:
    """Return the alert that says ``detection`` is on (``active``) or over."""
    hik = EVENT_TYPES[detection.kind]
    return alert(
        state,
        hik.event_type,
        active,
        detection.channel,
        count,
        _regions(hik, detection),
        io_port=detection.kind is Kind.DIGITAL_INPUT,
    )


def heartbeat(state: CameraState) -> list[str]:
    """Return what a quiet stream says now and then: channel 1 has no video loss."""
    return alert(state, HEARTBEAT_TYPE, False, 1, 0)
