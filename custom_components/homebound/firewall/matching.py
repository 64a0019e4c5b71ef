"""From cameras' claims and the network's observations to match keys, and to a policy.

A camera's own report is a hint. What makes a key:

* the camera's MAC is the one the network shows at the address Home Assistant reaches the
  camera at (its *contact* address: the entry's host, resolved). A MAC the entry or the camera
  claims but the network does not show there is not used (``mac_mismatch`` when the network
  shows another, ``unconfirmed`` when it shows none);
* its addresses are every address the network ties to that MAC (:class:`~.sightings.Sightings`:
  neighbour tables, leases, discovery; uncontested, seen in the last week) - IPv6 ones the
  camera never reported included;
* a camera whose MAC the network never showed is matched by its contact addresses only
  (:attr:`CameraMatch.by_address_only`: the glue raises the "isolated by address only" repair
  until the MAC is learnt);
* a reported address that the network ties to another MAC is refused (``seen_on_other_mac``);
  one nothing ties to anybody is a hint not taken (``unconfirmed``).

:func:`plan_isolation` then builds the policy with :func:`~.policy.plan_policy`, protecting the
Home Assistant host's, the gateways' and the servers' MACs (given, or learnt from the network at
their addresses) and the firewall machine's own MACs and addresses.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from .errors import PolicyError
from .keys import CameraIdentity, canonical_mac
from .observe import NetworkView
from .policy import FirewallPolicy, IPAddress, plan_policy
from .refusals import Refusal, RefusalReason
from .safe import parse_address, plain_address, safe_name, shown
from .sightings import Sightings


@dataclass(frozen=True, slots=True)
class CameraClaim:
    """What Home Assistant knows about one camera, none of it trusted as a key by itself."""

    id: str
    """The glue's stable id for the camera (say, the config entry id)."""
    isolate: bool = True
    """Whether the user wants it isolated (the others are bystanders: protected from these)."""
    contact: tuple[str, ...] = ()
    """Addresses Home Assistant reaches the camera at (the entry's host, resolved)."""
    macs: tuple[str, ...] = ()
    """MACs claimed for it: the entry's, the camera's own report, DHCP discovery's."""
    reported: tuple[str, ...] = ()
    """Addresses the camera reported about itself (ONVIF ``GetNetworkInterfaces``)."""
    name: str = ""


@dataclass(frozen=True, slots=True)
class CameraMatch:
    """What one camera is matched by, and every key refused for it."""

    id: str
    mac: str
    """The MAC the network showed for it; empty when none."""
    addresses: tuple[IPAddress, ...]
    """Every address it is matched by (after the policy's checks)."""
    isolated: bool
    """Whether the policy blocks it (it wants isolation and kept a key)."""
    by_address_only: bool
    """Isolated without a MAC: the "isolated by address only" repair."""
    refusals: tuple[Refusal, ...] = ()


@dataclass(frozen=True, slots=True)
class IsolationPlan:
    """The policy to apply and, per camera, what it matches and what it refused."""

    policy: FirewallPolicy
    cameras: Mapping[str, CameraMatch] = field(default_factory=dict)
    refusals: tuple[Refusal, ...] = ()


def _routable(addr: IPAddress) -> bool:
    """Whether a forwarded packet can carry ``addr`` as its source."""
    return not (addr.is_link_local or addr.is_loopback or addr.is_multicast or addr.is_unspecified)


def match_camera(
    claim: CameraClaim, sightings: Sightings, protected_macs: Collection[str] = ()
) -> tuple[CameraIdentity, list[Refusal]]:
    """Decide one camera's keys from the network; the refusals of its claims.

    When the MAC the network shows at the camera is a protected machine's (``protected_macs``:
    a camera behind the HA host, or one answering ARP for it), the camera keeps only its contact
    addresses: the machine's other addresses are the machine's, not the camera's. The policy
    then refuses the MAC itself.
    """
    refusals: list[Refusal] = []

    def refuse(key: str, reason: RefusalReason, detail: str) -> None:
        refusals.append(Refusal(claim.id, key, reason, "", detail))

    contact: list[IPAddress] = []
    for text in claim.contact:
        addr = parse_address(text)
        if addr is None:
            if parse_address(text.split("%", 1)[0]) is not None:
                refuse(shown(text), RefusalReason.MALFORMED, "a contact address with a scope id")
            continue  # a host name the glue could not resolve: nothing to match by
        contact.append(addr)
    owners = {owner for a in contact if (owner := sightings.owner(a)) is not None}
    mac = next(iter(owners)) if len(owners) == 1 else ""
    for text in claim.macs:
        try:
            claimed = canonical_mac(text)
        except PolicyError as err:
            refuse(shown(text), RefusalReason.MALFORMED, str(err))
            continue
        if mac and claimed != mac:
            refuse(claimed, RefusalReason.MAC_MISMATCH, f"the network shows {mac} at the camera")
        elif not mac:
            refuse(claimed, RefusalReason.UNCONFIRMED, "the network never showed it at the camera")
    if mac:
        keys = [a for a in sightings.addresses(mac) if _routable(a)]
        if mac in protected_macs:
            keys = [a for a in keys if a in contact]
    else:
        keys = [a for a in contact if _routable(a) and not sightings.contested(a)]
        keys = [a for a in keys if sightings.owner(a) is None]
    for text in claim.reported:
        addr = parse_address(text)
        if addr is None:
            refuse(shown(text), RefusalReason.MALFORMED, "not an address (or one with a scope id)")
        elif addr in keys or not _routable(addr):
            continue
        elif (owner := sightings.owner(addr)) is not None and owner != mac:
            refuse(
                plain_address(addr), RefusalReason.SEEN_ON_OTHER_MAC, f"the network shows {owner}"
            )
        else:
            refuse(plain_address(addr), RefusalReason.UNCONFIRMED, "the network never tied it")
    identity = CameraIdentity(
        mac,
        tuple(a for a in keys if isinstance(a, IPv4Address)),
        tuple(a for a in keys if isinstance(a, IPv6Address)),
        safe_name(claim.name),
        claim.id,
    )
    return identity, refusals


def protected_keys(
    sightings: Sightings,
    settings: Mapping[str, Any],
    *,
    view: NetworkView | None = None,
    ha_macs: Iterable[str] = (),
    gateway_macs: Iterable[str] = (),
) -> tuple[dict[str, RefusalReason], dict[IPAddress, RefusalReason]]:
    """MACs and addresses no camera may claim, beyond the allow-list's own hosts and servers.

    The MACs the network shows at the Home Assistant hosts', gateways' and servers' addresses,
    those given (the HA host's own adapters), and the firewall machine's own MACs and addresses.
    """
    macs: dict[str, RefusalReason] = {}
    addresses: dict[IPAddress, RefusalReason] = {}
    own = (
        RefusalReason.HA_HOST
        if view is not None and view.where == "ha_host"
        else RefusalReason.GATEWAY
    )
    for given, reason in ((ha_macs, RefusalReason.HA_HOST), (gateway_macs, RefusalReason.GATEWAY)):
        for text in given:
            try:
                macs.setdefault(canonical_mac(text), reason)
            except PolicyError:
                continue
    if view is not None:
        for mac in view.own_macs:
            macs.setdefault(mac, own)
        for addr in view.own_addresses:
            addresses.setdefault(addr, own)
    fields = {
        "ha_hosts": RefusalReason.HA_HOST,
        "gateways": RefusalReason.GATEWAY,
        "ntp_servers": RefusalReason.ALLOWED_SERVER,
        "dns_servers": RefusalReason.ALLOWED_SERVER,
        "ntp_redirect": RefusalReason.ALLOWED_SERVER,
    }
    for name, reason in fields.items():
        value = settings.get(name)
        for text in [value] if isinstance(value, str) else list(value or ()):
            host = parse_address(text)
            if host is None:
                continue
            for holder in (sightings.owner(host), *sightings.contested(host)):
                if holder:
                    macs.setdefault(holder, reason)
    return macs, addresses


def plan_isolation(
    claims: Iterable[CameraClaim],
    sightings: Sightings,
    settings: Mapping[str, Any],
    *,
    view: NetworkView | None = None,
    ha_macs: Iterable[str] = (),
    gateway_macs: Iterable[str] = (),
    update_windows: Mapping[str, datetime] | None = None,
) -> IsolationPlan:
    """Build the policy from the cameras' claims and what the network observed.

    ``settings`` is the allow-list as :func:`~.policy.plan_policy` takes it (``ha_hosts``,
    ``gateways``, ``lan_ranges``, ``ntp_servers``, ``dns_servers``, ``ntp_redirect``,
    optionally ``attempts_timeout``). ``view`` is the last :meth:`observe` (its own keys are
    protected); ``update_windows`` is keyed by camera id. Raises :class:`PolicyError` only for
    an invalid allow-list.
    """
    claims = list(claims)
    macs, addresses = protected_keys(
        sightings, settings, view=view, ha_macs=ha_macs, gateway_macs=gateway_macs
    )
    matched = {claim.id: match_camera(claim, sightings, macs) for claim in claims}
    isolated = [matched[c.id][0] for c in claims if c.isolate]
    bystanders = [matched[c.id][0] for c in claims if not c.isolate]
    policy = plan_policy(
        cameras=isolated,
        bystanders=bystanders,
        protected_macs=macs,
        protected_addresses=addresses,
        update_windows=update_windows,
        **settings,
    )
    refusals = [r for _, found in matched.values() for r in found]
    refusals += policy.refusals
    by_camera: dict[str, list[Refusal]] = {}
    for refusal in refusals:
        by_camera.setdefault(refusal.camera, []).append(refusal)
    in_policy = {cam.id: cam for cam in policy.cameras}
    cameras: dict[str, CameraMatch] = {}
    for claim in claims:
        kept = in_policy.get(claim.id)
        identity = kept or matched[claim.id][0]
        cameras[claim.id] = CameraMatch(
            id=claim.id,
            mac=identity.mac,
            addresses=identity.addresses,
            isolated=kept is not None,
            by_address_only=kept is not None and kept.by_address_only,
            refusals=tuple(by_camera.get(claim.id, ())),
        )
    return IsolationPlan(policy, cameras, tuple(refusals))
