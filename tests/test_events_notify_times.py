"""Notify messages whose time is missing or unreadable are still read."""

from __future__ import annotations

from custom_components.homebound.events.onvif_messages import parse_notify


def _notify(attributes: str) -> bytes:
    return (
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"'
        ' xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"'
        ' xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body><wsnt:Notify>'
        "<wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic>"
        f'<wsnt:Message><tt:Message {attributes} PropertyOperation="Changed">'
        '<tt:Data><tt:SimpleItem Name="State" Value="true"/></tt:Data>'
        "</tt:Message></wsnt:Message></wsnt:NotificationMessage>"
        "</wsnt:Notify></env:Body></env:Envelope>"
    ).encode()


def test_a_message_without_a_readable_time_is_still_an_event() -> None:
    """Firmware that leaves UtcTime out, or writes it in no ISO form ("Mon 10:00"): the
    message is read, with no time, instead of being dropped as broken."""
    for attributes in ("", 'UtcTime="Mon 10:00"'):
        messages, broken = parse_notify(_notify(attributes))
        assert broken == 0
        assert [(m.topic, m.time, m.data) for m in messages] == [
            ("tns1:VideoSource/MotionAlarm", None, {"State": "true"})
        ]
