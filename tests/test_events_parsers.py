"""Event parsers on what real firmwares send: ONVIF Notify, Hikvision and Dahua parts, framing."""

from __future__ import annotations

import pytest

from custom_components.homebound.events import EventKind
from custom_components.homebound.events.dahua import DahuaPartError, kinds_from_caps, parse_event
from custom_components.homebound.events.hikvision import (
    kinds_from_triggers,
    parse_alert,
)
from custom_components.homebound.events.multipart import MultipartStream, boundary_of
from custom_components.homebound.events.onvif_messages import (
    OnvifMessage,
    normalize_topic,
    parse_notify,
)
from custom_components.homebound.events.onvif_topics import (
    classify,
    classify_with_onvif_parsers,
    truth,
)
from custom_components.homebound.events.readers import Channels
from custom_components.homebound.events.xml import UnsafeXmlError, parse_xml

NOTIFY = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"
  xmlns:tns1="http://www.onvif.org/ver10/topics">
 <env:Body><wsnt:Notify>
  <wsnt:NotificationMessage>
   <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
     >tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>
   <wsnt:Message><tt:Message UtcTime="2026-12-01T10:00:00Z" PropertyOperation="Changed">
    <tt:Source>
     <tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc_main"/>
     <tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/>
    </tt:Source>
    <tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data>
   </tt:Message></wsnt:Message>
  </wsnt:NotificationMessage>
  <wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm/</wsnt:Topic>
   <wsnt:Message><tt:Message UtcTime="2026-12-01T10:00:01" PropertyOperation="Initialized">
    <tt:Source><tt:SimpleItem Name="Source" Value="vs_main"/></tt:Source>
    <tt:Data><tt:SimpleItem Name="State" Value="1"/></tt:Data>
   </tt:Message></wsnt:Message>
  </wsnt:NotificationMessage>
  <wsnt:NotificationMessage><wsnt:Topic>tns1:Broken</wsnt:Topic></wsnt:NotificationMessage>
 </wsnt:Notify></env:Body></env:Envelope>"""


def test_notify_is_read_like_pull_messages() -> None:
    messages, broken = parse_notify(NOTIFY)
    assert broken == 1
    assert [m.topic for m in messages] == [
        "tns1:RuleEngine/CellMotionDetector/Motion",
        "tns1:VideoSource/MotionAlarm",
    ]
    first, second = messages
    assert first.operation == "Changed"
    assert first.source == {
        "VideoSourceConfigurationToken": "vsc_main",
        "Rule": "MyMotionDetectorRule",
    }
    assert first.data == {"IsMotion": "true"}
    assert first.time is not None
    assert first.time.tzinfo is not None
    assert second.time is not None
    assert second.time.tzinfo is not None  # a time without zone is taken as UTC


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("1", True),
        ("Active", True),
        ("ON", True),
        ("false", False),
        ("0", False),
        ("inactive", False),
        ("maybe", None),
        ("", None),
        (None, None),
    ],
)
def test_truth(text: str | None, value: bool | None) -> None:
    assert truth(text) is value


def _message(
    topic: str, data: dict[str, str], source: dict[str, str] | None = None
) -> OnvifMessage:
    return OnvifMessage(topic=topic, data=data, source=source or {"Source": "vs_main"})


@pytest.mark.parametrize(
    ("topic", "data", "states"),
    [
        ("tns1:VideoSource/MotionAlarm", {"State": "1"}, [(EventKind.MOTION, True)]),
        (
            "tns1:RuleEngine/CellMotionDetector/Motion",
            {"IsMotion": "false"},
            [(EventKind.MOTION, False)],
        ),
        (
            "tns1:RuleEngine/FieldDetector/ObjectsInside",
            {"IsInside": "true"},
            [(EventKind.INTRUSION, True)],
        ),
        (
            "tns1:RuleEngine/TamperDetector/Tamper",
            {"IsTamper": "active"},
            [(EventKind.TAMPER, True)],
        ),
        (
            "tns1:AudioAnalytics/Audio/DetectedSound",
            {"IsSoundDetected": "on"},
            [(EventKind.AUDIO, True)],
        ),
        (
            "tns1:Device/Trigger/DigitalInput",
            {"LogicalState": "true"},
            [(EventKind.DIGITAL_INPUT, True)],
        ),
        (
            "tns1:RuleEngine/MyRuleDetector/PeopleDetect",
            {"State": "true"},
            [(EventKind.PERSON, True)],
        ),
        (
            "tns1:RuleEngine/MyRuleDetector/VehicleDetect",
            {"State": "true"},
            [(EventKind.VEHICLE, True)],
        ),
        (
            "tns1:RuleEngine/MyRuleDetector/DogCatDetect",
            {"State": "false"},
            [(EventKind.ANIMAL, False)],
        ),
        ("tns1:RuleEngine/MyRuleDetector/FaceDetect", {"State": "true"}, [(EventKind.FACE, True)]),
        (
            "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering",
            {"IsLoitering": "1"},
            [(EventKind.LOITERING, True)],
        ),
        (
            "tns1:RuleEngine/TPSmartEventDetector/TPSmartEvent",
            {"IsPeople": "true", "IsVehicle": "false"},
            [(EventKind.PERSON, True), (EventKind.VEHICLE, False)],
        ),
        (
            "tns1:VideoSource/GlobalSceneChange/ImagingService",
            {"State": "true"},
            [(EventKind.TAMPER, True)],
        ),
        ("tnsvendor:Custom/Something", {"IsMotion": "true"}, [(EventKind.MOTION, True)]),
    ],
)
def test_topic_table(
    topic: str, data: dict[str, str], states: list[tuple[EventKind, bool]]
) -> None:
    reading = classify(_message(topic, data))
    assert reading is not None
    assert list(reading.states) == states


def test_line_crossing_is_a_pulse_with_its_rule() -> None:
    reading = classify(
        _message(
            "tns1:RuleEngine/LineDetector/Crossed",
            {"ObjectId": "7"},
            {"Rule": "Gate", "VideoSourceConfigurationToken": "vsc"},
        )
    )
    assert reading is not None
    assert reading.pulse
    assert reading.states == ((EventKind.LINE_CROSSING, True),)
    assert (reading.rule, reading.channel_token) == ("Gate", "vsc")


def test_unknown_topics_and_values() -> None:
    assert classify(_message("tns1:Monitoring/ProcessorUsage", {"Value": "12"})) is None
    known_but_unreadable = classify(_message("tns1:VideoSource/MotionAlarm", {"State": "maybe"}))
    assert known_but_unreadable is not None
    assert known_but_unreadable.states == ()


async def test_onvif_parsers_name_what_the_table_lacks() -> None:
    """A Reolink-style topic the table has no row for, read through onvif-parsers' registry."""
    reading = await classify_with_onvif_parsers(
        _message("tns1:RuleEngine/MyRuleDetector/Visitor", {"State": "true"})
    )
    # onvif-parsers knows "Visitor" (a doorbell press); it is no kind of Homebound's.
    assert reading is None
    assert await classify_with_onvif_parsers(_message("tns1:Nobody/Knows", {"State": "1"})) is None
    # Ajax's motion topic: onvif-parsers says what it is; the value "1" is read here (the
    # parser itself compares with "true" and would say off).
    ajax = _message("tns1:RuleEngine/tnsajax:MotionDetector/Detection", {"Detected": "1"})
    assert classify(ajax) is None
    reading = await classify_with_onvif_parsers(ajax)
    assert reading is not None
    assert reading.states == ((EventKind.MOTION, True),)


def test_topic_normalisation() -> None:
    assert normalize_topic("  tns1:RuleEngine/X/. ") == "tns1:RuleEngine/X"
    assert normalize_topic("tns1:A//") == "tns1:A"


def test_channels() -> None:
    single = Channels(video_sources=("vs_main",))
    assert single.onvif("vsc_main") == ""
    assert single.numbered(3) == ""
    nvr = Channels(video_sources=("vs1", "vs2"), aliases={"vsc2": "vs2"})
    assert nvr.onvif("vsc2") == "2"
    assert nvr.onvif("vs1") == "1"
    assert nvr.onvif("other") == "other"
    assert nvr.numbered(0, zero_based=True) == "1"


# -- Hikvision -------------------------------------------------------------------------------


def _alert(event_type: str, state: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
        "<ipAddress>198.18.0.5</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>"
        "<channelID>1</channelID><dateTime>2026-12-01T10:00:00+01:00</dateTime>"
        f"<activePostCount>1</activePostCount><eventType>{event_type}</eventType>"
        f"<eventState>{state}</eventState><eventDescription>x</eventDescription>{extra}"
        "</EventNotificationAlert>"
    ).encode()


def test_hikvision_alerts() -> None:
    motion = parse_alert(_alert("VMD", "active"))
    assert (motion.kind, motion.active, motion.channel) == (EventKind.MOTION, True, "1")
    assert not motion.heartbeat
    assert parse_alert(_alert("videoloss", "inactive")).heartbeat
    human = parse_alert(
        _alert(
            "VMD",
            "active",
            "<DetectionRegionList><DetectionRegion><detectionTarget>human"
            "</detectionTarget></DetectionRegion></DetectionRegionList>",
        )
    )
    assert human.kind is EventKind.PERSON
    line = parse_alert(
        _alert(
            "linedetection",
            "active",
            "<DetectionRegionList><DetectionRegion>"
            "<regionID>2</regionID></DetectionRegion></DetectionRegionList>",
        )
    )
    assert (line.kind, line.region) == (EventKind.LINE_CROSSING, "2")
    io = parse_alert(_alert("IO", "active", "<inputIOPortID>3</inputIOPortID>"))
    assert (io.kind, io.channel) == (EventKind.DIGITAL_INPUT, "3")
    assert parse_alert(_alert("diskfull", "active")).kind is None
    with pytest.raises(UnsafeXmlError):
        parse_alert(b"<Other/>")
    with pytest.raises(UnsafeXmlError):
        parse_alert(_alert("VMD", "sometimes"))


def test_hikvision_triggers() -> None:
    body = b"""<EventTriggerList xmlns="http://www.hikvision.com/ver20/XMLSchema">
      <EventTrigger><eventType>VMD</eventType><videoInputChannelID>1</videoInputChannelID></EventTrigger>
      <EventTrigger><eventType>linedetection</eventType><videoInputChannelID>1</videoInputChannelID></EventTrigger>
      <EventTrigger><eventType>IO</eventType><inputIOPortID>1</inputIOPortID></EventTrigger>
      <EventTrigger><eventType>diskfull</eventType></EventTrigger></EventTriggerList>"""
    assert kinds_from_triggers(body) == {
        (EventKind.MOTION, "1"),
        (EventKind.LINE_CROSSING, "1"),
        (EventKind.DIGITAL_INPUT, "1"),
    }


# -- Dahua -----------------------------------------------------------------------------------


def test_dahua_lines() -> None:
    motion = parse_event(b"Code=VideoMotion;action=Start;index=0")
    assert (motion.kind, motion.action, motion.index) == (EventKind.MOTION, "start", 0)
    stop = parse_event(b"Code=VideoMotion;action=Stop;index=1\r\n")
    assert (stop.action, stop.index) == ("stop", 1)
    assert parse_event(b"Heartbeat").heartbeat
    crossed = parse_event(
        b"Code=CrossLineDetection;action=Pulse;index=0;"
        b'data={\n "Name" : "Gate",\n "Class": "Normal"\n}'
    )
    assert (crossed.kind, crossed.action, crossed.region) == (
        EventKind.LINE_CROSSING,
        "pulse",
        "Gate",
    )
    human = parse_event(
        b'Code=VideoMotion;action=Start;index=0;data={"Object":{"ObjectType":"Human"}}'
    )
    assert human.kind is EventKind.PERSON
    assert parse_event(b"Code=NewFile;action=Pulse;index=0").kind is None
    for bad in (b"hello", b"Code=VideoMotion;action=Maybe;index=0", b"Code=X;action=Start;index=a"):
        with pytest.raises(DahuaPartError):
            parse_event(bad)


def test_dahua_caps() -> None:
    body = (
        b"caps.AlarmInSupport=true\r\ncaps.MotionDetectSupport=true\r\n"
        b"caps.AudioDetectSupport=false\n"
    )
    assert kinds_from_caps(body) == {EventKind.DIGITAL_INPUT, EventKind.MOTION}


# -- multipart framing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "boundary"),
    [
        ("multipart/mixed; boundary=boundary", "boundary"),
        ('multipart/x-mixed-replace; boundary="--myboundary"', "myboundary"),
        ("text/plain", None),
    ],
)
def test_boundary_of(content_type: str, boundary: str | None) -> None:
    assert boundary_of(content_type) == boundary


FRAMINGS = {
    "crlf_with_length": (
        "boundary",
        b"--boundary\r\nContent-Type: application/xml\r\nContent-Length: 5\r\n\r\nhello\r\n"
        b"--boundary\r\nContent-Type: application/xml\r\nContent-Length: 5\r\n\r\nworld\r\n",
    ),
    "lf_without_length": (
        "boundary",
        b"--boundary\nContent-Type: text/plain\n\nhello\n"
        b"--boundary\nContent-Type: text/plain\n\nworld\n--boundary\n",
    ),
    "dahua_spaced": (
        "myboundary",
        b"-- myboundary\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n"
        b"-- myboundary\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nworld\r\n",
    ),
    "unnamed_boundary": (
        None,
        b"--xyz\r\nContent-Length: 5\r\n\r\nhello\r\n--xyz\r\nContent-Length: 5\r\n\r\nworld\r\n",
    ),
    "no_headers": ("b", b"--b\r\n\r\nhello\r\n--b\r\nhello-not-a-header\r\n--b\r\n"),
}


@pytest.mark.parametrize("name", sorted(FRAMINGS))
@pytest.mark.parametrize("chunk", [1, 3, 64, 100_000])
def test_framings_in_any_chunking(name: str, chunk: int) -> None:
    boundary, body = FRAMINGS[name]
    stream = MultipartStream(boundary)
    parts = []
    for start in range(0, len(body), chunk):
        parts.extend(stream.feed(body[start : start + chunk]))
    bodies = [part.body for part in parts]
    if name == "no_headers":
        assert bodies == [b"hello", b"hello-not-a-header"]
    else:
        assert bodies == [b"hello", b"world"]
    assert stream.dropped == 0


def test_a_part_that_never_ends_is_dropped_and_the_stream_recovers() -> None:
    stream = MultipartStream("b", max_part=1024)
    assert stream.feed(b"--b\r\nContent-Length: 99999999\r\n\r\n" + b"x" * 2000) == []
    assert stream.dropped == 1
    endless = MultipartStream("b", max_part=1024)
    assert endless.feed(b"--b\r\n\r\n" + b"y" * 5000) == []
    parts = endless.feed(b"\r\n--b\r\nContent-Length: 2\r\n\r\nok\r\n")
    assert [p.body for p in parts] == [b"ok"]
    assert endless.dropped >= 1


# -- hostile XML --------------------------------------------------------------------------------


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"""
EXTERNAL = (
    b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"""
)


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        EXTERNAL,
        b"<a>" * 100_000,
        b"\x00\xff",
        b"",
        # The same attacks in encodings a byte search for "<!DOCTYPE" does not see.
        BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "").encode("utf-16"),
        BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "").encode("utf-16-le"),
        BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "").encode("utf-32"),
        b'<?xml version="1.0" encoding="UTF-7"?>'
        + EXTERNAL.removeprefix(b'<?xml version="1.0"?>').decode().encode("utf-7"),
    ],
)
def test_hostile_xml_is_refused(body: bytes) -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(body)


def test_documents_in_ascii_based_encodings_are_read() -> None:
    """UTF-8 (declared or not) and Latin-1 documents are cameras' own: they are read."""
    for declaration, text in (
        (b"", "Entrée"),
        (b'<?xml version="1.0" encoding="UTF-8"?>', "Entrée"),
        (b"<?xml version='1.0' encoding='ISO-8859-1'?>", "Entree"),
    ):
        body = declaration + f"<a><b>{text}</b></a>".encode()
        assert parse_xml(body).findtext("b") == text
