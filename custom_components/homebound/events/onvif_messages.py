"""ONVIF notification messages, from PullMessages answers and from Notify POSTs alike.

PullMessages answers arrive through onvif-zeep-async as zeep objects whose tt:Message is left
as XML (Homebound's event WSDL does not declare it, see ``device/wsdl/events.wsdl``). Notify
bodies POSTed to Home Assistant's webhook are parsed here with our own safe parser
(``events/xml.py``) rather than with ``NotificationManager.process``: that one parses Notify
with the PullMessages type (so CurrentTime and TerminationTime come back None) and accepts huge
trees. The tt:Message of both is read by the same code, and both end up as
:class:`OnvifMessage`, which the topic table (``onvif_topics.py``) reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
from typing import Any, Final

from lxml import etree

from .xml import local, parse_xml

MAX_MESSAGES: Final = 100
"""Messages read from one answer or POST at most (the rest are counted as malformed)."""
MAX_ITEMS: Final = 32
"""Source or Data items read from one message at most."""


@dataclass(frozen=True, slots=True)
class OnvifMessage:
    """One notification message: topic, time, operation and its Source and Data items."""

    topic: str
    time: dt.datetime | None = None
    operation: str = ""
    """PropertyOperation: Initialized, Changed, Deleted, or "" for a plain event."""
    source: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


def normalize_topic(topic: str) -> str:
    """Strip whitespace and trailing ``/`` or ``/.``, as some firmwares send them."""
    text = " ".join(topic.split())
    while text.endswith(("/", "/.")):
        text = text.removesuffix("/.").removesuffix("/")
    return text


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# -- zeep objects (PullMessages) ------------------------------------------------------------


def _zeep_items(holder: Any) -> dict[str, str]:
    items: dict[str, str] = {}
    for item in (getattr(holder, "SimpleItem", None) or [])[:MAX_ITEMS]:
        name = getattr(item, "Name", None)
        if name is not None:
            items[str(name)] = str(getattr(item, "Value", "") or "")
    return items


def from_pull_result(result: Any) -> tuple[list[OnvifMessage], int]:
    """Return the messages of a PullMessages answer, and how many could not be read."""
    messages: list[OnvifMessage] = []
    broken = 0
    raw = list(getattr(result, "NotificationMessage", None) or [])
    broken += max(0, len(raw) - MAX_MESSAGES)
    for notification in raw[:MAX_MESSAGES]:
        topic = getattr(getattr(notification, "Topic", None), "_value_1", None)
        message = getattr(getattr(notification, "Message", None), "_value_1", None)
        if not isinstance(topic, str) or message is None:
            broken += 1
            continue
        if isinstance(message, etree._Element):  # noqa: SLF001 - lxml's public element type
            if (read := _from_message(topic.strip(), message)) is None:
                broken += 1
            else:
                messages.append(read)
            continue
        utc = getattr(message, "UtcTime", None)
        messages.append(
            OnvifMessage(
                topic=normalize_topic(topic),
                time=utc if isinstance(utc, dt.datetime) else _time(str(utc or "")),
                operation=str(getattr(message, "PropertyOperation", "") or ""),
                source=_zeep_items(getattr(message, "Source", None)),
                data=_zeep_items(getattr(message, "Data", None)),
            )
        )
    return messages, broken


# -- XML (Notify) -----------------------------------------------------------------------------


def _xml_items(message: etree._Element, holder: str) -> dict[str, str]:
    items: dict[str, str] = {}
    for node in message:
        if not isinstance(node.tag, str) or local(node.tag) != holder:
            continue
        for item in list(node)[:MAX_ITEMS]:
            if isinstance(item.tag, str) and local(item.tag) == "SimpleItem":
                name = item.get("Name")
                if name is not None:
                    items[name] = item.get("Value") or ""
    return items


def _from_element(notification: etree._Element) -> OnvifMessage | None:
    topic: str | None = None
    message: etree._Element | None = None
    for node in notification:
        if not isinstance(node.tag, str):
            continue
        name = local(node.tag)
        if name == "Topic":
            topic = (node.text or "").strip()
        elif name == "Message":
            message = next((c for c in node if isinstance(c.tag, str)), None)
    if not topic or message is None:
        return None
    return _from_message(topic, message)


def _from_message(topic: str, message: etree._Element) -> OnvifMessage | None:
    """Read one tt:Message element (of a Notify body or a PullMessages answer)."""
    if not topic or not isinstance(message.tag, str) or local(message.tag) != "Message":
        return None
    return OnvifMessage(
        topic=normalize_topic(topic),
        time=_time(message.get("UtcTime")),
        operation=message.get("PropertyOperation") or "",
        source=_xml_items(message, "Source"),
        data=_xml_items(message, "Data"),
    )


def parse_notify(body: bytes) -> tuple[list[OnvifMessage], int]:
    """Return the messages of a wsnt:Notify body, and how many could not be read.

    Raises ``UnsafeXmlError`` for a body that is not a safe, well-formed XML document.
    """
    root = parse_xml(body)
    messages: list[OnvifMessage] = []
    broken = 0
    notifications = [
        node
        for node in root.iter()
        if isinstance(node.tag, str) and local(node.tag) == "NotificationMessage"
    ]
    broken += max(0, len(notifications) - MAX_MESSAGES)
    for notification in notifications[:MAX_MESSAGES]:
        parsed = _from_element(notification)
        if parsed is None:
            broken += 1
        else:
            messages.append(parsed)
    return messages, broken
