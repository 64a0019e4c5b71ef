"""The firewall coordinator: keeps the policy in force on the firewall and reads its figures.

Every check interval it builds the policy from the camera entries and the user's choices,
applies it when it changed (a camera isolated or released, an address learnt), verifies it and
reads each camera's counters and attempted destinations. When verify finds the isolation gone
(``fw4 flush``, a reboot, someone editing the table) it raises a repair issue, applies again
and clears the issue once verify agrees. A changed SSH host key stops everything: nothing is
sent to a machine that may not be the router until the user accepts the key. A router that
does not answer is not an error of the entities: the coordinator keeps running, and each
camera's "Cloud isolation" problem sensor turns on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .catalog import ResolvedName, resolve_cloud_domains
from .catalog.cloud_lookup import IPAddress
from .const import CONF_ISOLATE_NEW, DOMAIN, FIREWALL_CHECK_INTERVAL, LOGGER
from .firewall import (
    ApplyFailedError,
    AuthRefusedError,
    BlockedAttempt,
    CameraIdentity,
    FirewallError,
    FirewallPolicy,
    FirewallReadings,
    HostKeyChangedError,
    IsolationStatus,
    NftMissingError,
    NftMissingWithNetlinkError,
    NoNftNoNetlinkError,
    NoPersistenceError,
    NotPermittedError,
    PolicyError,
    RouterOutputError,
    RouterUnreachableError,
    build_policy,
)
from .firewall_backend import Backend, policy_settings, resolver
from .firewall_cameras import KnownCamera, known_cameras
from .firewall_store import FirewallMemory

type FirewallConfigEntry = ConfigEntry[FirewallCoordinator]

_REJECTED = (ApplyFailedError, NotPermittedError, NftMissingError)
"""Errors that mean the firewall refused the rules (a repair issue), not that it is away."""


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


@dataclass(frozen=True, slots=True)
class CameraFigures:
    """What one camera's sensors show."""

    total: int
    """Blocked packets since Homebound first isolated it (never decreases)."""
    destinations_24h: int = 0
    recent: tuple[BlockedAttempt, ...] = ()
    """Newest first."""


@dataclass(frozen=True, slots=True)
class FirewallState:
    """One check of the firewall."""

    status: IsolationStatus | None = None
    """What verify found (None before the first check, and for "export only")."""
    figures: Mapping[str, CameraFigures] = field(default_factory=dict)
    error: str | None = None
    """Translation key of why the firewall could not be checked; None when it answered."""
    read_at: datetime | None = None


class FirewallCoordinator(DataUpdateCoordinator[FirewallState]):
    """Holds the policy in force on one firewall and reads its per-camera figures."""

    config_entry: FirewallConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: FirewallConfigEntry,
        backend: Backend | None,
        memory: FirewallMemory,
    ) -> None:
        """Check ``backend`` (None: export only, nothing to check) every interval."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} firewall",
            update_interval=FIREWALL_CHECK_INTERVAL if backend is not None else None,
            always_update=True,
        )
        self.backend = backend
        self.memory = memory
        self.cameras: dict[str, KnownCamera] = {}
        self.resolved: dict[IPAddress, ResolvedName] = {}
        """Cloud address -> catalogue domain, refreshed periodically on the HA host."""
        self.halted: HostKeyChangedError | None = None
        """Set when the router's host key changed: nothing is sent until it is accepted."""
        self.applied: FirewallPolicy | None = None
        self._lock = asyncio.Lock()
        self._away_logged = False

    # -- what the entities ask -------------------------------------------------------------

    def is_isolated(self, mac: str) -> bool:
        """Whether the user wants this camera's cloud blocked."""
        choice = self.memory.isolated.get(mac)
        if choice is None:
            return bool(self.config_entry.data.get(CONF_ISOLATE_NEW))
        return choice

    def window_open(self, mac: str) -> bool:
        """Whether the camera's update window is open (everything allowed) now."""
        until = self.memory.windows.get(mac)
        return until is not None and until > dt_util.utcnow()

    def isolation_problem(self, mac: str) -> bool:
        """Whether the camera is not isolated although it should be."""
        if not self.is_isolated(mac) or self.window_open(mac):
            return False
        state = self.data
        if state is None or state.error is not None or state.status is None:
            return True
        return not state.status.in_force

    def figures(self, mac: str) -> CameraFigures | None:
        """Return the camera's figures from the last read (None before it was ever isolated)."""
        return self.data.figures.get(mac) if self.data is not None else None

    # -- the policy ------------------------------------------------------------------------

    def build(self) -> FirewallPolicy:
        """Build the policy of the cameras and choices as they are now (PolicyError if unsafe)."""
        now = dt_util.utcnow()
        self.memory.windows = {m: t for m, t in self.memory.windows.items() if t > now}
        self.cameras = known_cameras(self.hass, self.memory.addresses)
        changed = False
        default = bool(self.config_entry.data.get(CONF_ISOLATE_NEW))
        for mac, camera in self.cameras.items():
            if mac not in self.memory.isolated:
                # Cameras there when the firewall was added stay as they were; later ones
                # get the "isolate new cameras" default, kept as their own choice.
                self.memory.isolated[mac] = default and self.memory.initialized
                changed = True
            if camera.reported and list(camera.reported) != self.memory.addresses.get(mac):
                self.memory.addresses[mac] = list(camera.reported)
                changed = True
        if not self.memory.initialized:
            self.memory.initialized = True
            changed = True
        if changed:
            self.memory.schedule_save()
        isolated = [
            CameraIdentity.parse(mac, camera.addresses, camera.name)
            for mac, camera in sorted(self.cameras.items())
            if self.memory.isolated.get(mac)
        ]
        macs = {camera.mac for camera in isolated}
        return build_policy(
            cameras=isolated,
            update_windows={m: t for m, t in self.memory.windows.items() if m in macs},
            **policy_settings(self.config_entry.data),
        )

    # -- checking ----------------------------------------------------------------------------

    async def _async_update_data(self) -> FirewallState:
        """Apply if needed, verify (re-applying lost isolation) and read the figures."""
        if self.backend is None:
            return FirewallState()
        if self.halted is not None:
            return self._failed("host_key_changed")
        try:
            policy = self.build()
        except PolicyError as err:
            self._raise_apply_failed("invalid_policy", str(err))
            return self._failed("invalid_policy")
        try:
            async with self._lock:
                status = await self._enforce(policy)
                readings = await self.backend.read(policy)
        except HostKeyChangedError as err:
            self._halt(err)
            return self._failed("host_key_changed")
        except AuthRefusedError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="ssh_auth"
            ) from err
        except FirewallError as err:
            if not self._away_logged:
                LOGGER.info("The firewall cannot be checked: %s", err)
                self._away_logged = True
            return self._failed(error_key(err))
        if self._away_logged:
            LOGGER.info("The firewall answers again")
            self._away_logged = False
        ir.async_delete_issue(self.hass, DOMAIN, issue_id("host_key_changed", self.config_entry))
        return FirewallState(status, self._figures(readings), None, readings.read_at)

    def _failed(self, key: str) -> FirewallState:
        previous = self.data or FirewallState()
        return FirewallState(previous.status, previous.figures, key, previous.read_at)

    async def _enforce(self, policy: FirewallPolicy) -> IsolationStatus:
        assert self.backend is not None
        if policy != self.applied:
            await self._apply(policy)
        status = await self.backend.verify(policy)
        if not status.in_force:
            lost = issue_id("isolation_lost", self.config_entry)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                lost,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="isolation_lost",
                translation_placeholders={"problems": ", ".join(status.problems)},
            )
            LOGGER.warning("Camera isolation was lost (%s); applying it again", status.problems)
            await self._apply(policy)
            status = await self.backend.verify(policy)
            if status.in_force:
                ir.async_delete_issue(self.hass, DOMAIN, lost)
                LOGGER.warning("Camera isolation is restored")
        return status

    async def _apply(self, policy: FirewallPolicy) -> None:
        assert self.backend is not None
        self.applied = None
        try:
            result = await self.backend.apply(policy)
        except _REJECTED as err:
            self._raise_apply_failed(error_key(err), str(err))
            raise
        self.applied = policy
        ir.async_delete_issue(self.hass, DOMAIN, issue_id("apply_failed", self.config_entry))
        if result.newly_isolated:
            LOGGER.info("Isolated %s (%s rules)", ", ".join(result.newly_isolated), result.rules)

    def _raise_apply_failed(self, key: str, detail: str) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id("apply_failed", self.config_entry),
            is_fixable=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key="apply_failed",
            translation_placeholders={"error": detail},
            data={"entry_id": self.config_entry.entry_id, "reason": key},
        )

    def _halt(self, err: HostKeyChangedError) -> None:
        """Stop talking to the router, and ask the user about its new host key."""
        self.halted = err
        LOGGER.error("The firewall's SSH host key changed; Homebound stopped using it: %s", err)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id("host_key_changed", self.config_entry),
            is_fixable=True,
            severity=ir.IssueSeverity.CRITICAL,
            translation_key="host_key_changed",
            translation_placeholders={
                "host": err.host,
                "pinned": err.pinned,
                "offered": err.offered,
            },
            data={"entry_id": self.config_entry.entry_id, "offered": err.offered},
        )

    def _figures(self, readings: FirewallReadings) -> dict[str, CameraFigures]:
        figures: dict[str, CameraFigures] = {}
        for mac, reading in readings.cameras.items():
            total = self.memory.totals.update(mac, reading.blocked_packets)
            figures[mac] = CameraFigures(total, reading.destinations_24h, reading.recent)
        for mac, (offset, raw) in self.memory.totals.state.items():
            figures.setdefault(mac, CameraFigures(offset + raw))
        self.memory.schedule_save()
        return figures

    # -- what the user does ------------------------------------------------------------------

    def _refuse_while_halted(self) -> None:
        if self.halted is not None:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="host_key_changed")

    async def async_apply_now(self) -> None:
        """Apply the policy at once, then check; a translated error when that fails."""
        if self.backend is not None:
            self._refuse_while_halted()
            try:
                policy = self.build()
                async with self._lock:
                    await self._apply(policy)
            except HostKeyChangedError as err:
                self._halt(err)
                raise HomeAssistantError(
                    translation_domain=DOMAIN, translation_key="host_key_changed"
                ) from err
            except PolicyError as err:
                self._raise_apply_failed("invalid_policy", str(err))
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
        await self.async_refresh()

    async def async_set_isolated(self, mac: str, isolated: bool) -> None:
        """Isolate or release one camera now (refused while the host key is in question)."""
        self._refuse_while_halted()
        self.memory.isolated[mac] = isolated
        if not isolated:
            self.memory.windows.pop(mac, None)
        await self.memory.async_save()
        await self.async_apply_now()

    async def async_open_window(self, mac: str, minutes: int) -> datetime:
        """Let an isolated camera reach everything for ``minutes`` (a firmware update)."""
        self._refuse_while_halted()
        until = dt_util.utcnow() + timedelta(minutes=minutes)
        self.memory.windows[mac] = until
        await self.memory.async_save()
        await self.async_apply_now()

        @callback
        def closed(_: datetime) -> None:
            # The kernel closes the window by itself; this only updates the entities.
            self.config_entry.async_create_background_task(
                self.hass, self.async_request_refresh(), "homebound update window closed"
            )

        self.config_entry.async_on_unload(async_track_point_in_utc_time(self.hass, closed, until))
        return until

    async def async_resolve(self, _: datetime | None = None) -> None:
        """Map the catalogue's cloud domains to addresses, to name blocked destinations."""
        self.resolved = await resolve_cloud_domains(resolver(self.hass))
        LOGGER.debug("Cloud domains resolved to %s addresses", len(self.resolved))
        self.async_update_listeners()
