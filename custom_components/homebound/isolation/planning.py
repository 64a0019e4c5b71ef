"""From the camera entries, the user's choices and the network's observations to a plan.

Every camera entry is a :class:`~..firewall.CameraClaim` - isolated or not (the others are
bystanders: their keys are protected from the isolated ones), with or without a MAC:

* ``contact``: where Home Assistant reaches the camera (the entry's host, resolved); the
  network's observation at that address decides the camera's MAC;
* ``macs``: what the entry claims (often the camera's own ONVIF report when it was added) and
  what DHCP discovery saw - claims the plan checks, never keys by themselves;
* ``reported``: the addresses the camera reports over ONVIF - hints, refused when the network
  ties them to another MAC.

What the network observed is kept in the store's :class:`~..firewall.Sightings`: fed by the
backend's :meth:`~..firewall.FirewallBackend.observe` on every full check and by Home Assistant's
DHCP discovery (the entry's ``observed_mac`` at its host: recorded when it changes, as a lease
is); bindings expire as :mod:`..firewall.sightings` says (a week unseen, or seen on another MAC).
:func:`~..firewall.plan_isolation` then leaves out every key that would match someone else.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..const import CONF_ISOLATE_NEW
from ..firewall import (
    CameraClaim,
    IsolationPlan,
    NetworkView,
    Observation,
    Source,
    parse_address,
    plain_address,
    plan_isolation,
)
from ..link import CameraFacts, camera_facts
from . import cameras
from .backend import policy_settings
from .cameras import facts_mac
from .store import FirewallMemory


class Planner:
    """Builds the firewall entry's plan; keeps the last network view and the resolved hosts."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, memory: FirewallMemory) -> None:
        """Plan for the firewall ``entry``'s allow-list with what ``memory`` holds."""
        self._hass = hass
        self._entry = entry
        self._memory = memory
        self.view: NetworkView | None = None
        """The last observation of the network (its machine's own keys are protected)."""
        self.contacts: dict[str, tuple[str, ...]] = {}
        """A camera entry's host -> the addresses it resolved to (refreshed each full check)."""
        self.cameras: dict[str, CameraFacts] = {}
        """Camera id -> the facts of its entry, as of the last plan."""

    # -- what the network says ----------------------------------------------------------------

    def take_view(self, view: NetworkView) -> None:
        """Remember one observation of the network, and forget what expired."""
        self._memory.sightings.record(view.observations)
        self.view = view

    async def async_resolve_contacts(self) -> None:
        """Find where Home Assistant reaches each camera entry (names resolved in parallel)."""
        hosts = sorted({facts.host for facts in camera_facts(self._hass) if facts.host})
        found = await asyncio.gather(
            *(cameras.contact_addresses(self._hass, host) for host in hosts)
        )
        self.contacts = dict(zip(hosts, found, strict=True))

    def unresolved(self) -> set[str]:
        """Cameras whose host was not looked up yet (their repairs wait for it)."""
        return {ident for ident, f in self.cameras.items() if f.host not in self.contacts}

    def _record_dhcp(self, facts: CameraFacts, now: datetime) -> bool:
        """Take what DHCP discovery saw of a camera in once per change; whether it was new."""
        addr = parse_address(facts.host)
        if facts.observed_mac is None or addr is None:
            return False
        seen = Observation.make(facts.observed_mac, addr, Source.DHCP_DISCOVERY, now)
        if seen is None:
            return False
        pair = [seen.mac, plain_address(seen.address)]
        if self._memory.dhcp.get(facts.entry_id) == pair:
            return False
        self._memory.dhcp[facts.entry_id] = pair
        self._memory.sightings.record([seen])
        return True

    # -- the user's choices -------------------------------------------------------------------

    def _choices(self, found: list[CameraFacts]) -> bool:
        """Give new cameras their default choice, adopt MAC-keyed ones; whether any changed."""
        memory = self._memory
        changed = memory.adopt({mac: f.entry_id for f in found if (mac := facts_mac(f))})
        default = bool(self._entry.data.get(CONF_ISOLATE_NEW))
        for facts in found:
            if facts.entry_id not in memory.isolated:
                # Cameras there when the firewall was added stay as they were; later ones
                # get the "isolate new cameras" default, kept as their own choice.
                memory.isolated[facts.entry_id] = default and memory.initialized
                changed = True
        if not memory.initialized:
            memory.initialized = True
            changed = True
        return changed

    def chosen(self, ident: str) -> bool:
        """Whether the user wants this camera isolated."""
        return bool(self._memory.isolated.get(ident))

    # -- the plan -----------------------------------------------------------------------------

    def plan(self) -> tuple[IsolationPlan, bool]:
        """Build the plan of the cameras, choices and sightings as they are now.

        Returns the plan and whether anything the store keeps changed on the way (a new
        camera's default choice, a DHCP observation, an update window that closed). Raises
        :class:`~..firewall.PolicyError` only when the allow-list itself is invalid.
        """
        now = dt_util.utcnow()
        memory = self._memory
        memory.sightings.expire(now)
        found = camera_facts(self._hass)
        self.cameras = {facts.entry_id: facts for facts in found}
        changed = self._choices(found)
        for facts in found:
            changed |= self._record_dhcp(facts, now)
        windows = {k: t for k, t in memory.windows.items() if t > now and self.chosen(k)}
        if windows != memory.windows:
            memory.windows = windows
            changed = True
        claims = [
            CameraClaim(
                id=facts.entry_id,
                isolate=self.chosen(facts.entry_id),
                contact=self.contacts.get(facts.host, ()),
                macs=tuple(m for m in (facts.mac, facts.observed_mac) if m),
                reported=facts.reported,
                name=facts.name,
            )
            for facts in sorted(found, key=lambda f: f.entry_id)
        ]
        plan = plan_isolation(
            claims,
            memory.sightings,
            policy_settings(self._entry.data),
            view=self.view,
            update_windows=windows,
        )
        return plan, changed
