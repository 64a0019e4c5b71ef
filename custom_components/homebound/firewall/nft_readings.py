"""From the kernel's table to what the entities show, and to what verify reports."""

from __future__ import annotations

from datetime import datetime, timedelta
import ipaddress

from .nft_content import content_of
from .nft_expect import RuleBaseline, compare, expected_table
from .nft_render import FAMILY, TABLE, Rendered, counter_name
from .nft_state import RawAttempt, TableState
from .policy import CameraIdentity, FirewallPolicy
from .readings import (
    DISTINCT_WINDOW,
    RECENT_LIMIT,
    BlockedAttempt,
    BlockedDestination,
    CameraReading,
    FirewallReadings,
)


def _owners(policy: FirewallPolicy) -> dict[str, CameraIdentity]:
    """Map each MAC and address (as text) to its camera, once per read."""
    owners = {cam.mac: cam for cam in policy.cameras if cam.mac}
    owners.update({str(addr): cam for cam in policy.cameras for addr in cam.addresses})
    return owners


def _owner(attempt: RawAttempt, owners: dict[str, CameraIdentity]) -> CameraIdentity | None:
    """Find the camera an attempt belongs to: by MAC, or by the source address."""
    source = attempt.source
    if not attempt.set_name.startswith("att_mac"):
        try:
            source = str(ipaddress.ip_address(source))
        except ValueError:
            return None
    return owners.get(source)


def readings(policy: FirewallPolicy, state: TableState, now: datetime) -> FirewallReadings:
    """Per-camera figures from one listing of the table."""
    seen: dict[str, dict[BlockedDestination, datetime]] = {c.id: {} for c in policy.cameras}
    owners = _owners(policy)
    for attempt in state.attempts:
        cam = _owner(attempt, owners)
        if cam is None:
            continue
        timeout = state.timeouts.get(attempt.set_name, policy.attempts_timeout)
        left = attempt.expires if attempt.expires is not None else float(timeout)
        last_seen = now - timedelta(seconds=max(0.0, timeout - left))
        dest = BlockedDestination(attempt.address, attempt.protocol, attempt.port)
        known = seen[cam.id].get(dest)
        if known is None or last_seen > known:
            seen[cam.id][dest] = last_seen
    cameras = {}
    for cam in policy.cameras:
        tried = seen[cam.id]
        recent = sorted(tried.items(), key=lambda item: (item[1], str(item[0])), reverse=True)
        cameras[cam.id] = CameraReading(
            mac=cam.id,
            blocked_packets=state.counters.get(counter_name(cam), 0),
            destinations_24h=sum(1 for t in tried.values() if now - t <= DISTINCT_WINDOW),
            recent=tuple(BlockedAttempt(d, t) for d, t in recent[:RECENT_LIMIT]),
        )
    return FirewallReadings(read_at=now, cameras=cameras)


def problems(
    expected: Rendered,
    policy: FirewallPolicy,
    state: TableState,
    baseline: RuleBaseline | None = None,
) -> list[str]:
    """List what keeps ``policy`` from being in force, as stable codes (empty: in force).

    ``expected`` is the script rendered for the moment of the check (update windows with the
    seconds they have left). The whole table is compared by content (:mod:`.nft_expect`); the
    camera codes are checked from the policy itself as well, so they never depend on how the
    renderer spells its sets.
    """
    if not state.present:
        return ["table_missing"]
    want = expected_table(expected.script, FAMILY, TABLE)
    found = compare(want, content_of(state.items, TABLE, want.dynamic), baseline)
    cams = state.elements.get("cams", frozenset())
    mapped = state.elements.get("ctr_mac", frozenset())
    for cam in policy.cameras:
        if cam.mac and (cam.mac not in cams or cam.mac not in mapped):
            found.append(f"camera_missing:{cam.id}")
        if counter_name(cam) not in state.counters:
            found.append(f"counter_missing:{cam.id}")
    return found
