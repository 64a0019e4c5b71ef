"""The firewall coordinator: hosts the isolation guard and shows what it confirms.

The guard (:class:`~..firewall.IsolationGuard`, no Home Assistant in it) keeps the policy in
force: it applies, compares the whole table by content, watches the ruleset (``nft monitor``)
and repairs within seconds, checks every minute as a backstop, and reports every gap. This
coordinator gives it the policy - built *inside* the guard's lock from every camera entry, the
user's choices and what the network observed (:mod:`.planning`), so a periodic check never
undoes a change the user made meanwhile - and the network's observations before each full check;
and it turns what the guard publishes into what the user sees:

* the entities read a :class:`FirewallState`: a switch is on only for what the firewall
  confirmed by content; a change kept while the router does not answer is *pending*;
* the guard's events become bus events, logbook lines and repairs (:mod:`.notices`), the plan's
  refused keys each camera's repairs (:mod:`.camera_issues`);
* the store is written only when something it keeps changed (:mod:`.store`).

A user's action (a switch, a service call for N cameras, update windows) records every choice
first and then asks the guard for **one** transaction. "Export only" has no backend and no
guard: the policy is still planned, and published as a file whenever it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ..catalog import ResolvedName, resolve_cloud_domains
from ..catalog.cloud_lookup import IPAddress
from ..const import DOMAIN, FIREWALL_CHECK_INTERVAL, LOGGER
from ..firewall import (
    INFORMATIONAL,
    ApplyOutcome,
    AuthRefusedError,
    FirewallError,
    FirewallPolicy,
    FirewallReadings,
    GuardEventKind,
    GuardState,
    GuardUpdate,
    HostKeyChangedError,
    IsolationGap,
    IsolationGuard,
    IsolationPlan,
    PolicyError,
)
from ..kind import is_firewall_entry
from .backend import Backend, resolver
from .camera_issues import CameraIssues
from .export_file import async_publish_rules, async_report_unsafe
from .notices import Notices, error_key, issue_id
from .planning import Planner
from .store import FirewallMemory
from .views import CameraFigures, CameraViews, FirewallState

type FirewallConfigEntry = ConfigEntry[FirewallCoordinator]

__all__ = [
    "CameraFigures",
    "FirewallConfigEntry",
    "FirewallCoordinator",
    "FirewallState",
    "error_key",
    "issue_id",
]


HOST_KEY_RECHECK = timedelta(minutes=3)
"""How often the router's host key is fetched on a new connection, even while the session the
guard uses lives on (issue 15: a key change under a long-lived session went unseen)."""


def is_isolation_entry(entry: ConfigEntry[Any]) -> TypeGuard[FirewallConfigEntry]:
    """Whether the entry is the firewall (cloud isolation) entry."""
    return is_firewall_entry(entry)


class FirewallCoordinator(CameraViews, DataUpdateCoordinator[FirewallState]):
    """Hosts the guard of one firewall (or plans the exported rules) for the entities."""

    config_entry: FirewallConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FirewallConfigEntry,
        backend: Backend | None,
        memory: FirewallMemory,
    ) -> None:
        """Guard ``backend`` (None: export only) with what ``memory`` holds."""
        super().__init__(
            hass, LOGGER, config_entry=entry, name=f"{DOMAIN} firewall", always_update=True
        )
        self.backend = backend
        self.memory = memory
        self.planner = Planner(hass, entry, memory)
        self.notices = Notices(hass, entry)
        self.camera_issues = CameraIssues(hass)
        self.guard: IsolationGuard | None = None
        self.plan: IsolationPlan | None = None
        self.resolved: dict[IPAddress, ResolvedName] = {}
        """Cloud address -> catalogue domain, refreshed periodically on the HA host."""
        self._figures: dict[str, CameraFigures] = {}
        self._exported: FirewallPolicy | None = None
        self._login_refused = False
        """Set when the router refused the login: nothing is tried until reauth reloads."""
        self._isolated_before: list[str] = list(memory.confirmed)
        """Cameras the firewall last confirmed: those a gap that opens leaves exposed."""
        self.data = FirewallState()

    # -- starting and stopping ---------------------------------------------------------------

    async def async_start(self) -> None:
        """Plan, then start the guard (check, apply, watch) or publish the exported rules."""
        await self.planner.async_resolve_contacts()
        if self.backend is None:
            await self._async_publish()
            return
        self.guard = IsolationGuard(
            self.backend,
            self.build,
            listener=self._on_update,
            check_interval=FIREWALL_CHECK_INTERVAL.total_seconds(),
            host_key_interval=HOST_KEY_RECHECK.total_seconds(),
            history=self.memory.gaps,
            observe=self._async_observe,
        )
        state = await self.guard.start(expect_in_force=bool(self.memory.confirmed))
        if isinstance(state.error, AuthRefusedError):
            await self.async_stop()
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="ssh_auth"
            ) from state.error
        self.async_set_updated_data(self._state(state))

    async def async_stop(self) -> None:
        """Stop guarding (the rules stay in force on the firewall) and withdraw the issues."""
        if self.guard is not None:
            await self.guard.stop()
        self.camera_issues.clear()
        self.notices.clear(removing=False)

    # -- the policy (called by the guard, inside its lock) ------------------------------------

    def build(self) -> FirewallPolicy:
        """Plan the policy of the cameras, choices and observations as they are now.

        Raises :class:`~..firewall.PolicyError` only when the allow-list is invalid; a camera's
        refused keys are its repairs, and the rest of the policy stands.
        """
        plan, changed = self.planner.plan()
        if changed:
            self.memory.schedule_save()
        if plan != self.plan:
            self.plan = plan
            self.camera_issues.sync(
                plan, self.planner.chosen, self.names(), self.planner.unresolved()
            )
        return plan.policy

    async def _async_observe(self) -> None:
        """Read what the firewall machine sees of the network (the guard's hook)."""
        assert self.backend is not None
        self.planner.take_view(await self.backend.observe())
        await self.planner.async_resolve_contacts()

    async def _async_publish(self) -> None:
        """Export only: plan and publish the rules when they changed."""
        try:
            policy = self.build()
        except PolicyError as err:
            self.notices.apply_failed(err, "invalid_policy")
            async_report_unsafe(self.hass, self.config_entry, str(err))  # last safe rules kept
            self.async_set_updated_data(FirewallState(error="invalid_policy"))
            return
        if policy != self._exported:
            await async_publish_rules(self.hass, self.config_entry, policy)
            self._exported = policy
        self.async_set_updated_data(FirewallState())

    async def _async_update_data(self) -> FirewallState:
        """Run a full check now (observe, apply if needed, compare, repair, read)."""
        if self.guard is None:
            await self._async_publish()
            return self.data
        if self._login_refused:
            return self.data  # no more logins until the user gives a new one (reauth)
        return self._state(await self.guard.check_now())

    # -- what the guard tells ------------------------------------------------------------------

    @callback
    def _on_update(self, update: GuardUpdate) -> None:
        """Show what the guard found: figures, events, repairs, the store, the entities."""
        state, changed = update.state, update.changed
        save = False
        if "readings" in changed and state.readings is not None:
            save |= self._take_readings(state.readings)
        for event in update.events:
            if event.kind is GuardEventKind.ISOLATION_LOST and event.gap is not None:
                self.memory.gap_cameras[event.gap.started.isoformat()] = self._isolated_before
                save = True
            exposed = self._exposed(event.gap)
            self.notices.guard_event(event, list(self.names(exposed).values()), state.gaps)
        if state.confirmed is not None:
            self._isolated_before = sorted(c.id for c in state.confirmed.cameras)
            if self._isolated_before != self.memory.confirmed:
                self.memory.confirmed = self._isolated_before
                save = True
            if "confirmed" in changed:
                self.notices.in_force()
                self.notices.answered()
        if "gaps" in changed:
            self._keep_gaps(state)
            save = True
        if "error" in changed and isinstance(state.error, PolicyError):
            self.notices.apply_failed(state.error, "invalid_policy")
        if isinstance(state.error, AuthRefusedError) and not self._login_refused:
            self._refused_login()
        if save or self.memory.sightings_due():
            self.memory.schedule_save()
        lost = [e.gap for e in update.events if e.kind is GuardEventKind.ISOLATION_LOST]
        if lost and state.gap is None:  # found and repaired in one check: show it first
            self.async_set_updated_data(self._state(state, gap=lost[-1]))
        self.async_set_updated_data(self._state(state))

    def _refused_login(self) -> None:
        """Stop logging in with a login the router refused, and ask the user for a new one.

        Why stop the guard: its checks and its watcher would otherwise try the refused login
        again every few seconds - which a router answers by refusing every connection from
        Home Assistant for a while (OpenSSH's per-source penalties, fail2ban), the reauth
        flow's own included. The rules stay in force; a successful reauth reloads the entry.
        """
        self._login_refused = True
        self.config_entry.async_start_reauth(self.hass)
        if self.guard is not None:
            self.config_entry.async_create_background_task(
                self.hass, self.guard.stop(), "homebound firewall login refused"
            )

    def _state(self, state: GuardState, gap: IsolationGap | None = None) -> FirewallState:
        error = error_key(state.error) if state.error is not None else None
        return FirewallState(state, dict(self._figures), error, gap or state.gap)

    def _take_readings(self, readings: FirewallReadings) -> bool:
        """Turn the router's counters into ever-growing totals; whether a total changed."""
        before = dict(self.memory.totals.state)
        figures: dict[str, CameraFigures] = {}
        for ident, reading in readings.cameras.items():
            total = self.memory.totals.update(ident, reading.blocked_packets)
            figures[ident] = CameraFigures(total, reading.destinations_24h, reading.recent)
        for ident, (offset, raw) in self.memory.totals.state.items():
            figures.setdefault(ident, CameraFigures(offset + raw))
        self._figures = figures
        return self.memory.totals.state != before

    def _keep_gaps(self, state: GuardState) -> None:
        """Store the closed gaps, and forget which cameras older gaps exposed."""
        self.memory.gaps = list(state.gaps)
        kept = {g.started.isoformat() for g in (*state.gaps, state.gap) if g is not None}
        self.memory.gap_cameras = {k: v for k, v in self.memory.gap_cameras.items() if k in kept}

    # -- what the user does --------------------------------------------------------------------

    @callback
    def cameras_changed(self) -> None:
        """Plan again soon: a camera entry was set up, unloaded or removed."""
        self.config_entry.async_create_background_task(
            self.hass, self._async_cameras_changed(), "homebound cameras changed"
        )

    async def _async_cameras_changed(self) -> None:
        await self.planner.async_resolve_contacts()
        if self.guard is None:
            await self._async_publish()
        elif not self._login_refused:
            await self.guard.check_now()

    def _refuse_while_halted(self) -> None:
        """Refuse a change while nothing may be sent (a new host key, a refused login)."""
        if self.halted is not None:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="host_key_changed")
        if self._login_refused:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="ssh_auth")

    async def async_apply_now(self) -> ApplyOutcome | None:
        """Apply the user's policy in one transaction; a translated error when refused.

        A router that does not answer is no error: the change is *pending* (the guard applies
        it when the router answers, with a logbook line) and the result says so.
        """
        if self.guard is None:
            await self._async_publish()
            return None
        self._refuse_while_halted()
        try:
            outcome = await self.guard.apply_now()
        except HostKeyChangedError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="host_key_changed"
            ) from err
        except PolicyError as err:
            self.notices.apply_failed(err, "invalid_policy")
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="invalid_policy",
                translation_placeholders={"error": str(err)},
            ) from err
        except FirewallError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=error_key(err),
                translation_placeholders={"error": str(err)},
            ) from err
        if outcome is ApplyOutcome.PENDING:
            LOGGER.info("The firewall does not answer; the change is applied when it does")
        return outcome

    async def async_set_isolated(self, cameras: Iterable[str], isolated: bool) -> None:
        """Isolate or release cameras (ids or MACs) in one transaction.

        A camera the user isolates whose every key belongs to someone else cannot be isolated:
        the choice is kept (it applies once the network shows a key of its own) and a
        translated error says why, with its repair.
        """
        self._refuse_while_halted()
        chosen = list(dict.fromkeys(self.camera_id(c) for c in cameras))
        for ident in chosen:
            self.memory.isolated[ident] = isolated
            if not isolated:
                self.memory.windows.pop(ident, None)
        await self.memory.async_save()
        await self.async_apply_now()
        if isolated:
            self._refuse_unmatched(chosen)

    def _refuse_unmatched(self, cameras: list[str]) -> None:
        for ident in cameras:
            match = self.match(ident)
            if match is None or match.isolated:
                continue
            refused = [r.key for r in match.refusals if r.key and r.reason not in INFORMATIONAL]
            if refused:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="camera_keys_refused",
                    translation_placeholders={
                        "camera": self.names([ident])[ident],
                        "keys": ", ".join(refused[:8]),
                    },
                )

    async def async_open_windows(self, cameras: Iterable[str], minutes: int) -> datetime:
        """Let isolated cameras reach everything for ``minutes`` (a firmware update); one change."""
        self._refuse_while_halted()
        until = dt_util.utcnow() + timedelta(minutes=minutes)
        for ident in dict.fromkeys(self.camera_id(c) for c in cameras):
            self.memory.windows[ident] = until
        await self.memory.async_save()
        await self.async_apply_now()

        @callback
        def closed(_: datetime) -> None:
            # The kernel closes the window by itself; this only shows it (and drops it).
            if self.guard is not None:
                self.guard.request_check()
            self.async_update_listeners()

        self.config_entry.async_on_unload(async_track_point_in_utc_time(self.hass, closed, until))
        return until

    async def async_resolve(self, _: datetime | None = None) -> None:
        """Map the catalogue's cloud domains to addresses, to name blocked destinations."""
        self.resolved = await resolve_cloud_domains(resolver(self.hass))
        LOGGER.debug("Cloud domains resolved to %s addresses", len(self.resolved))
        self.async_update_listeners()
