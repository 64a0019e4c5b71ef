"""Helpers for tests of the isolation guard: a listener that records, waits bounded on events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import json

from custom_components.homebound.firewall.guard_state import (
    GuardEvent,
    GuardEventKind,
    GuardState,
    GuardUpdate,
)

from .lab import Lab

EVENT_TIMEOUT = 30.0
"""Most seconds a test waits for one guard event (a bound, never an expectation)."""


@dataclass
class Recorder:
    """The guard's listener: keeps every update and wakes waiters."""

    updates: list[GuardUpdate] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, update: GuardUpdate) -> None:
        self.updates.append(update)
        self._changed.set()

    def events(self, kind: GuardEventKind | None = None) -> list[GuardEvent]:
        """Every event so far (of one kind)."""
        return [e for u in self.updates for e in u.events if kind is None or e.kind is kind]

    async def wait_event(
        self, kind: GuardEventKind, *, after: int = 0, timeout: float = EVENT_TIMEOUT
    ) -> GuardEvent:
        """The first event of ``kind`` beyond the first ``after`` of that kind."""
        found = await self.wait(lambda: len(self.events(kind)) > after, timeout)
        assert found, f"no {kind} event within {timeout} s; got {self.events()}"
        return self.events(kind)[after]

    async def wait_state(
        self, condition: Callable[[GuardState], bool], state: Callable[[], GuardState],
        timeout: float = EVENT_TIMEOUT,
    ) -> bool:  # fmt: skip
        """Wait until ``condition(state())`` holds (bounded); whether it did."""
        return await self.wait(lambda: condition(state()), timeout)

    async def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return condition()
        return True


def handle_of(lab: Lab, chain: str, index: int) -> int:
    """The kernel handle of a chain's ``index``-th rule (negative: from the end)."""
    listing = json.loads(lab.nft("-a", "-j", "list", "chain", "inet", "homebound", chain).stdout)
    handles = [item["rule"]["handle"] for item in listing["nftables"] if "rule" in item]
    return int(handles[index])
