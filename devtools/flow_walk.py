"""The path a user takes to add a camera by its address, walked the same way by tests and bench.

"Add integration → Homebound → Camera → Enter an address by hand → the address submitted" is
walked here once, against any :class:`FlowDriver`: the tests drive Home Assistant's flow manager
in their own process (``tests/flows.py``), the benchmark a running ``hass`` over its REST API
(:class:`RestFlows`). What the bench times is therefore the path the tests prove, step for step.

Nothing here prints or judges a time: :func:`add_by_address` returns when each screen came, and
the caller decides what to do with it (the bench prints figures; tests never assert timings).
It imports nothing of Home Assistant, so the bench's own process can use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
import time
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from devtools.hass_process import HassProcess

DOMAIN: Final = "homebound"
MANUAL_ENTRY: Final = "manual"
PROGRESS: Final = frozenset({"progress", "progress_done"})

type Result = Mapping[str, Any]


class FlowDriver(Protocol):
    """Opens Homebound's "Add integration" flow and answers its screens."""

    async def start(self) -> Result:
        """Open the flow; return its first screen."""
        ...

    async def submit(self, flow_id: str, data: Mapping[str, Any]) -> Result:
        """Submit ``data`` on the current screen; return the next one."""
        ...

    async def after_progress(self, flow_id: str) -> Result:
        """Return the screen after a progress step, once the work behind it is done."""
        ...


class WalkError(Exception):
    """The flow showed something the path does not expect (a screen, an error, an abort)."""


@dataclass(frozen=True, slots=True)
class Walk:
    """When each screen of one walk came (seconds of ``clock``), and how it ended."""

    result: Result
    """The flow's answer to the submitted address: a created entry, or a form with errors."""
    opened: float
    """When the flow was asked to open."""
    first_form: float
    """When the first form (not the menu, not a progress step) was on screen."""
    address_form: float
    """When the address form was on screen."""
    submitted: float
    """When the address went in."""
    answered: float
    """When the flow answered it (the entry exists; its entities come later)."""
    waited: float
    """Seconds spent in progress steps (a search) before the address form: 0 when none."""


async def _past_progress(
    driver: FlowDriver, result: Result, clock: Callable[[], float]
) -> tuple[Result, float]:
    """Follow progress steps to the next screen; return it and the seconds they took."""
    began = clock()
    waited = False
    while result.get("type") in PROGRESS:
        waited = True
        result = await driver.after_progress(str(result["flow_id"]))
    return result, (clock() - began) if waited else 0.0


def _expect(result: Result, kind: str, step: str) -> None:
    if result.get("type") != kind or result.get("step_id") != step:
        msg = (
            f"expected the {kind} {step!r}, got type={result.get('type')}"
            f" step={result.get('step_id')} errors={result.get('errors')}"
            f" reason={result.get('reason')}"
        )
        raise WalkError(msg)


async def open_address_form(
    driver: FlowDriver, clock: Callable[[], float] = time.monotonic
) -> tuple[Result, float, float]:
    """Walk to the address form; return it, when the first form came and the seconds waited."""
    result = await driver.start()
    if result.get("type") == "menu":  # "Add integration" asks: a camera or the firewall
        result = await driver.submit(str(result["flow_id"]), {"next_step_id": "camera"})
    result, waited = await _past_progress(driver, result, clock)
    first_form = clock()
    _expect(result, "form", "pick")
    result = await driver.submit(str(result["flow_id"]), {"device": MANUAL_ENTRY})
    _expect(result, "form", "manual")
    return result, first_form, waited


async def add_by_address(
    driver: FlowDriver, address: Mapping[str, Any], clock: Callable[[], float] = time.monotonic
) -> Walk:
    """Open the flow, choose the address form, submit ``address``; time every screen."""
    opened = clock()
    form, first_form, waited = await open_address_form(driver, clock)
    address_form = submitted = clock()
    result = await driver.submit(str(form["flow_id"]), address)
    return Walk(
        result=result,
        opened=opened,
        first_form=first_form,
        address_form=address_form,
        submitted=submitted,
        answered=clock(),
        waited=waited,
    )


class RestFlows:
    """A :class:`FlowDriver` for a running ``hass``, over its REST API (the bench, the demo)."""

    def __init__(self, hass: HassProcess, *, poll: float = 0.05) -> None:
        """Drive Homebound's flows on ``hass``; re-read a progress step every ``poll`` s."""
        self.hass = hass
        self.poll = poll

    async def start(self) -> Result:
        """Open Homebound's flow."""
        return await self.hass.flow_start(DOMAIN)

    async def submit(self, flow_id: str, data: Mapping[str, Any]) -> Result:
        """Submit a screen."""
        return await self.hass.flow_step(flow_id, dict(data))

    async def after_progress(self, flow_id: str) -> Result:
        """Re-read the flow until it has moved past its progress step."""
        while True:
            await asyncio.sleep(self.poll)
            result = await self.hass.flow_get(flow_id)
            if result.get("type") != "progress":
                return result
