"""The logbook's words for the firewall's events: every gap, a change kept, the router away.

The events are fired by :mod:`.notices` with plain values (names printable and short, error
texts escaped); here they become one line each in the logbook - "Firewall on 192.168.1.1 lost
cloud isolation: its rules were removed". Logbook lines are English in Home Assistant (its own
integrations describe theirs the same way); the events' data are for automations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from ..const import DOMAIN
from ..firewall import safe_name
from .notices import (
    EVENT_ISOLATION_LOST,
    EVENT_ISOLATION_RESTORED,
    EVENT_PENDING,
    EVENT_PENDING_APPLIED,
    EVENT_REACHABLE,
    EVENT_UNREACHABLE,
)

_CAUSES: Final = {"removed": "its rules were removed", "changed": "its rules were changed"}


class LogbookEvent(Protocol):
    """What the logbook hands a describer (its ``LazyEventPartialState``)."""

    @property
    def data(self) -> Mapping[str, Any]:
        """The event's data."""
        ...

    @property
    def event_type(self) -> str | None:
        """The event's type."""
        ...


type Describe = Callable[[str, str, Callable[[LogbookEvent], dict[str, str]]], None]


def _text(value: object, limit: int = 200) -> str:
    return safe_name(value if isinstance(value, str) else "", limit)


def _cameras(data: Mapping[str, Any]) -> str:
    names = [_text(n, 64) for n in data.get("cameras") or () if isinstance(n, str)]
    return f" ({', '.join(names)} exposed)" if names else ""


def _lost(data: Mapping[str, Any]) -> str:
    cause = _CAUSES.get(str(data.get("cause")), "its rules were not in force")
    problems = ", ".join(_text(p, 64) for p in data.get("problems") or () if isinstance(p, str))
    return f"lost cloud isolation: {cause}{f' ({problems})' if problems else ''}{_cameras(data)}"


def _restored(data: Mapping[str, Any]) -> str:
    duration = data.get("duration")
    lasted = f" after {duration:.1f} s" if isinstance(duration, int | float) else ""
    how = ", repaired by Homebound" if data.get("repaired") else ""
    return f"restored cloud isolation{lasted}{how}"


def _with_error(start: str) -> Callable[[Mapping[str, Any]], str]:
    def message(data: Mapping[str, Any]) -> str:
        error = _text(data.get("error"))
        return f"{start}: {error}" if error else start

    return message


_MESSAGES: Final[dict[str, Callable[[Mapping[str, Any]], str]]] = {
    EVENT_ISOLATION_LOST: _lost,
    EVENT_ISOLATION_RESTORED: _restored,
    EVENT_PENDING: _with_error("keeps a change until the router answers"),
    EVENT_PENDING_APPLIED: lambda _data: "applied the change that waited for the router",
    EVENT_UNREACHABLE: _with_error("cannot reach the router"),
    EVENT_REACHABLE: lambda _data: "reaches the router again",
}


def describe(event: LogbookEvent) -> dict[str, str]:
    """Return the logbook line of one of the firewall's events."""
    data = event.data
    found = _MESSAGES.get(event.event_type or "")
    message = found(data) if found is not None else "reported something"
    return {"name": _text(data.get("name"), 64) or "Homebound firewall", "message": message}


def async_describe_isolation_events(async_describe_event: Describe) -> None:
    """Describe each of the firewall's events for the logbook."""
    for event_type in _MESSAGES:
        async_describe_event(DOMAIN, event_type, describe)
