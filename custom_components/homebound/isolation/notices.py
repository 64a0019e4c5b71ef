"""What the user is told when the guard reports something: bus events, the logbook, repairs.

Every gap in the isolation is shown, also one the guard repaired within a second: a bus event
(``homebound_isolation_lost`` / ``homebound_isolation_restored``, with the cause and how long it
lasted - for automations that notify), a logbook line for each (described by
:mod:`.logbook`), the "isolation lost" repair while it is open, and - when the gap deserves the
user's attention - a repair that stays until the user acknowledges it (:func:`deserves_repair`).
A change kept while the router does not answer, the router going away and coming back, get
their own events and logbook lines; a changed host key and rules the firewall refused get their
repairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN
from ..firewall import (
    ApplyFailedError,
    AuthRefusedError,
    FirewallError,
    GapFinder,
    GuardEvent,
    GuardEventKind,
    HostKeyChangedError,
    IsolationGap,
    NftMissingError,
    NftMissingWithNetlinkError,
    NoNftNoNetlinkError,
    NoPersistenceError,
    NotPermittedError,
    PolicyError,
    RouterOutputError,
    RouterUnreachableError,
)
from .wording import md, seconds

EVENT_ISOLATION_LOST: Final = f"{DOMAIN}_isolation_lost"
EVENT_ISOLATION_RESTORED: Final = f"{DOMAIN}_isolation_restored"
EVENT_PENDING: Final = f"{DOMAIN}_isolation_pending"
EVENT_PENDING_APPLIED: Final = f"{DOMAIN}_isolation_pending_applied"
EVENT_UNREACHABLE: Final = f"{DOMAIN}_firewall_unreachable"
EVENT_REACHABLE: Final = f"{DOMAIN}_firewall_reachable"
EVENTS: Final = (
    EVENT_ISOLATION_LOST,
    EVENT_ISOLATION_RESTORED,
    EVENT_PENDING,
    EVENT_PENDING_APPLIED,
    EVENT_UNREACHABLE,
    EVENT_REACHABLE,
)
"""The bus events the firewall entry fires (each one described for the logbook)."""

_FIRED: Final = {
    GuardEventKind.PENDING: EVENT_PENDING,
    GuardEventKind.PENDING_APPLIED: EVENT_PENDING_APPLIED,
    GuardEventKind.UNREACHABLE: EVENT_UNREACHABLE,
    GuardEventKind.REACHABLE: EVENT_REACHABLE,
}

LONG_GAP: Final = timedelta(seconds=10)
"""A gap longer than this gets the repair the user must acknowledge."""
REPEAT_WITHIN: Final = timedelta(hours=1)
REPEAT_COUNT: Final = 2
"""This many gaps within REPEAT_WITHIN get that repair too, however short each was."""
UNKNOWN_START: Final = frozenset({GapFinder.START, GapFinder.CHECK})
"""Gaps found only by these began at an unknown time (HA was down; the watcher was blind)."""

ISSUE_GAPS: Final = "isolation_gaps"
ISSUE_LOST: Final = "isolation_lost"
ISSUE_HOST_KEY: Final = "host_key_changed"
ISSUE_APPLY: Final = "apply_failed"
ISSUE_KINDS: Final = (
    ISSUE_APPLY,
    ISSUE_LOST,
    ISSUE_HOST_KEY,
    ISSUE_GAPS,
    "remove_failed",
    "rules_exported",  # export_file.RULES_EXPORTED (it imports this module)
    "rules_not_written",  # export_file.EXPORT_FAILED
)
"""The firewall entry's own repair issues (``<kind>_<entry id>``)."""


def error_key(err: FirewallError) -> str:
    """Return the translation key that tells the user what went wrong."""
    # Most specific first: subclasses before their bases. Literal keys, so that the tests'
    # translation check sees every key this can return.
    if isinstance(err, HostKeyChangedError):
        return "host_key_changed"
    if isinstance(err, AuthRefusedError):
        return "ssh_auth"
    if isinstance(err, RouterUnreachableError):
        return "ssh_unreachable"
    if isinstance(err, NoPersistenceError):
        return "no_persistence"
    if isinstance(err, NftMissingWithNetlinkError):
        return "local_haos"
    if isinstance(err, NftMissingError):
        return "nft_missing"
    if isinstance(err, NoNftNoNetlinkError):
        return "local_impossible"
    if isinstance(err, NotPermittedError):
        return "nft_not_permitted"
    if isinstance(err, PolicyError):
        return "invalid_policy"
    if isinstance(err, ApplyFailedError):
        return "apply_rejected"
    if isinstance(err, RouterOutputError):
        return "router_output"
    return "firewall_error"


def issue_id(kind: str, entry: ConfigEntry) -> str:
    """Return the id of one of the firewall entry's repair issues."""
    return f"{kind}_{entry.entry_id}"


def deserves_repair(gap: IsolationGap, history: Sequence[IsolationGap]) -> bool:
    """Whether a closed gap gets the repair that stays until the user acknowledges it.

    Why these thresholds: the guard restores a flushed or edited table within about two
    seconds (``nft monitor``; a few over a slow SSH link), so a gap of a few seconds is one
    it handled, and the logbook, the event and the gap sensor say so. Longer than
    :data:`LONG_GAP` (ten seconds: five times the goal, beyond any repair that went well)
    means the camera had time to reach its cloud - a whole session, a firmware check - and the
    guard could not keep up (router away, repairs rate-limited, watcher blind). A gap whose
    start is unknown (found when Home Assistant started, or only by the periodic check) may
    have lasted that long. And a second gap within an hour, however short, means something on
    the router keeps undoing the rules (a script, a firmware, a person): one router restart
    is routine, two are a pattern. Each of those the user should hear about until they say
    they have.
    """
    if gap.found_by in UNKNOWN_START:
        return True
    if gap.duration is None or gap.duration > LONG_GAP:
        return True
    recent = [
        g for g in history if g.ended is not None and g.started >= gap.started - REPEAT_WITHIN
    ]
    return len(recent) >= REPEAT_COUNT


def gap_data(gap: IsolationGap, entry: ConfigEntry, cameras: Sequence[str]) -> dict[str, Any]:
    """Return the data of a gap's bus event: plain values only (``cameras``: their names)."""
    duration = gap.duration
    return {
        "entry_id": entry.entry_id,
        "name": entry.title,
        "cause": gap.cause.value,
        "problems": list(gap.problems),
        "started": gap.started.isoformat(),
        "ended": gap.ended.isoformat() if gap.ended else None,
        "duration": round(duration.total_seconds(), 3) if duration is not None else None,
        "repaired": gap.repaired,
        "found_by": gap.found_by.value,
        "cameras": list(cameras),
    }


class Notices:
    """Turns the guard's events into bus events and repair issues for one firewall entry."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Tell about ``entry``'s firewall."""
        self._hass = hass
        self._entry = entry

    def guard_event(
        self, event: GuardEvent, cameras: Sequence[str], history: Sequence[IsolationGap]
    ) -> None:
        """Show one event; ``cameras`` were isolated when a gap began, ``history`` the gaps."""
        hass, entry = self._hass, self._entry
        if event.kind is GuardEventKind.ISOLATION_LOST and event.gap is not None:
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id(ISSUE_LOST, entry),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_LOST,
                translation_placeholders={"problems": md(", ".join(event.gap.problems), 300)},
            )
            hass.bus.async_fire(EVENT_ISOLATION_LOST, gap_data(event.gap, entry, cameras))
        elif event.kind is GuardEventKind.ISOLATION_RESTORED and event.gap is not None:
            ir.async_delete_issue(hass, DOMAIN, issue_id(ISSUE_LOST, entry))
            hass.bus.async_fire(EVENT_ISOLATION_RESTORED, gap_data(event.gap, entry, cameras))
            if deserves_repair(event.gap, history):
                self._gaps_issue(event.gap, history)
        elif event.kind is GuardEventKind.HOST_KEY_CHANGED and isinstance(
            event.error, HostKeyChangedError
        ):
            self._host_key_issue(event.error)
        elif event.kind is GuardEventKind.APPLY_FAILED and event.error is not None:
            self.apply_failed(event.error)
        elif (fired := _FIRED.get(event.kind)) is not None:
            error = md(str(event.error), 300) if event.error is not None else None
            data = {"entry_id": entry.entry_id, "name": entry.title, "error": error}
            hass.bus.async_fire(fired, data)

    def _gaps_issue(self, gap: IsolationGap, history: Sequence[IsolationGap]) -> None:
        """Raise (or bring up to date) the repair the user acknowledges."""
        closed = [g for g in history if g.ended is not None] or [gap]
        durations = [g.duration for g in closed if g.duration is not None]
        unknown = any(g.found_by in UNKNOWN_START for g in closed)
        longest = seconds(max(durations)) if durations else "?"
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(ISSUE_GAPS, self._entry),
            is_fixable=True,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_GAPS,
            translation_placeholders={
                "count": str(len(closed)),
                "longest": f"{longest}{'+' if unknown else ''}",
                "last": gap.started.isoformat(timespec="seconds"),
                "problems": md(", ".join(gap.problems), 300),
            },
            data={"entry_id": self._entry.entry_id},
        )

    def _host_key_issue(self, err: HostKeyChangedError) -> None:
        """Ask the user about the router's new host key (nothing is sent until then)."""
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(ISSUE_HOST_KEY, self._entry),
            is_fixable=True,
            severity=ir.IssueSeverity.CRITICAL,
            translation_key=ISSUE_HOST_KEY,
            translation_placeholders={
                "host": err.host,
                "pinned": err.pinned,
                "offered": err.offered,
            },
            data={"entry_id": self._entry.entry_id, "offered": err.offered},
        )

    def apply_failed(self, err: FirewallError, reason: str | None = None) -> None:
        """Raise the fixable repair of rules the firewall refused (or an invalid allow-list)."""
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(ISSUE_APPLY, self._entry),
            is_fixable=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_APPLY,
            translation_placeholders={"error": md(str(err), 300)},
            data={"entry_id": self._entry.entry_id, "reason": reason or error_key(err)},
        )

    def in_force(self) -> None:
        """Withdraw the issues about the policy not being held (the firewall holds it now)."""
        for kind in (ISSUE_APPLY, ISSUE_LOST):
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(kind, self._entry))

    def answered(self) -> None:
        """Withdraw a host-key issue of an earlier run (the router answered with the pin)."""
        ir.async_delete_issue(self._hass, DOMAIN, issue_id(ISSUE_HOST_KEY, self._entry))

    def clear(self, *, removing: bool) -> None:
        """Withdraw the issues of a firewall that unloads (all of them when it is removed)."""
        kinds = ISSUE_KINDS if removing else (ISSUE_LOST, ISSUE_APPLY)
        for kind in kinds:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(kind, self._entry))
