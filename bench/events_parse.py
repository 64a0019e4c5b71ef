"""Event-parse throughput: events per second on one core for each of Homebound's parsers.

The bodies are what the simulator's personas send (one ONVIF Notify with one motion message,
a Hikvision EventNotificationAlert part, a Dahua event line with its rule data); each parser
reads its body over and over in this process, so the figure is CPU time per event with nothing
else counted.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any

from custom_components.homebound.events.dahua import parse_event
from custom_components.homebound.events.hikvision import parse_alert
from custom_components.homebound.events.onvif_messages import parse_notify
from custom_components.homebound.events.onvif_topics import classify

NOTIFY = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
 xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing"
 xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tns1="http://www.onvif.org/ver10/topics">
<env:Header><wsa:Action>http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify</wsa:Action>
</env:Header><env:Body><wsnt:Notify><wsnt:NotificationMessage>
<wsnt:SubscriptionReference><wsa:Address>http://127.0.0.1:8000/onvif/subscription/1</wsa:Address>
</wsnt:SubscriptionReference>
<wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
>tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>
<wsnt:Message><tt:Message UtcTime="2026-12-01T10:00:00Z" PropertyOperation="Changed">
<tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc_main"/>
<tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="vac_main"/>
<tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/></tt:Source>
<tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data>
</tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></env:Body></env:Envelope>"""

HIKVISION = b"""<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<ipAddress>127.0.0.1</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>
<macAddress>44:19:b6:00:00:01</macAddress><channelID>1</channelID>
<dateTime>2026-12-01T10:00:00+00:00</dateTime><activePostCount>1</activePostCount>
<eventType>linedetection</eventType><eventState>active</eventState>
<eventDescription>linedetection alarm</eventDescription>
<DetectionRegionList><DetectionRegionEntry><regionID>1</regionID>
<detectionTarget>human</detectionTarget></DetectionRegionEntry></DetectionRegionList>
<channelName>Camera 01</channelName></EventNotificationAlert>"""

DAHUA = (
    b"Code=CrossLineDetection;action=Start;index=0;data={\n"
    b'\t"Class":\t"Normal",\n\t"Name":\t"Rule1",\n'
    b'\t"Object":\t{"ObjectType":\t"Human", "ObjectID":\t1},\n\t"UTC":\t1795000000\n}'
)


def _onvif(body: bytes) -> Any:
    messages, _ = parse_notify(body)
    return [classify(message) for message in messages]


PARSERS: dict[str, tuple[Callable[[bytes], Any], bytes]] = {
    "ONVIF Notify (parse + classify)": (_onvif, NOTIFY),
    "Hikvision alert part": (parse_alert, HIKVISION),
    "Dahua event part": (parse_event, DAHUA),
}


def run(seconds: float = 1.0) -> dict[str, float]:
    """Events per second of each parser, each parsing for about ``seconds`` of CPU time."""
    figures: dict[str, float] = {}
    for name, (parse, body) in PARSERS.items():
        if parse(body) is None:  # the body must be understood, or the figure means nothing
            raise RuntimeError(f"{name}: the sample body was not understood")
        count, started = 0, time.process_time()
        while (elapsed := time.process_time() - started) < seconds:
            for _ in range(100):
                parse(body)
            count += 100
        figures[name] = count / elapsed
    return figures


def rows(figures: dict[str, float]) -> list[list[str]]:
    """Return the throughput table (first row: header)."""
    return [
        ["parser", "events/s (one core)", "µs per event"],
        *([name, f"{rate:,.0f}", f"{1e6 / rate:.1f}"] for name, rate in figures.items()),
    ]
