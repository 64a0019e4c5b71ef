"""Per-camera checks of a policy: bad keys are left out, the rest of the policy stands.

Every key that is malformed, protected or claimed by two cameras is left out with a typed
:class:`~.refusals.Refusal`; ``strict`` turns the first refusal into a :class:`PolicyError`
(for :func:`~.policy.build_policy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from .errors import PolicyError
from .keys import CameraIdentity, IPAddress, canonical_mac, host_address
from .ranges import is_public_ipv4, is_translation
from .refusals import Refusal, RefusalReason
from .safe import parse_address, plain_address, safe_name, shown


@dataclass(slots=True)
class Vetting:
    """The per-camera checks of one policy build."""

    protected: dict[str, RefusalReason]
    strict: bool
    refusals: list[Refusal]

    def refuse(
        self, cam: str, key: str, reason: RefusalReason, detail: str, other: str = ""
    ) -> None:
        """Leave ``key`` out of camera ``cam`` (or raise, when strict)."""
        if self.strict:
            raise PolicyError(detail)
        self.refusals.append(Refusal(cam, key, reason, other, detail))

    def mac(self, ident: str, mac: str) -> str:
        """Return the camera's MAC canonical, or empty (refused when malformed)."""
        if not mac:
            return ""
        try:
            return canonical_mac(mac)
        except PolicyError as err:
            self.refuse(ident, shown(mac), RefusalReason.MALFORMED, str(err))
            return ""

    def address(self, ident: str, raw: object) -> IPAddress | None:
        """Return one of the camera's addresses parsed, or None (refused when unusable)."""
        try:
            addr = host_address(raw, f"camera {shown(ident)}")
        except PolicyError as err:
            self.refuse(ident, shown(raw), RefusalReason.MALFORMED, str(err))
            return None
        if is_public_ipv4(addr) or is_translation(addr):
            detail = f"camera {shown(ident)} claims {addr}, not an address on a home network"
            self.refuse(ident, plain_address(addr), RefusalReason.NOT_ON_LAN, detail)
            return None
        return addr


def _loose_mac(mac: str) -> str:
    try:
        return canonical_mac(mac) if mac else ""
    except PolicyError:
        return ""


def _keys_of(mac: str, addresses: Iterable[object]) -> list[str]:
    """Return a camera's keys as text, for counting claims (bystanders are not validated)."""
    keys = [mac] if mac else []
    keys += [plain_address(a) for raw in addresses if (a := parse_address(raw)) is not None]
    return list(dict.fromkeys(keys))


def vet_cameras(
    cameras: Iterable[CameraIdentity], bystanders: Iterable[CameraIdentity], vetting: Vetting
) -> list[CameraIdentity]:
    """Leave out every key that is malformed, protected or claimed by two cameras."""
    unique: dict[str, tuple[CameraIdentity, str]] = {}
    for cam in cameras:
        ident = cam.ident or _loose_mac(cam.mac) or cam.mac or ""
        if not ident:
            raise PolicyError("a camera without a MAC needs an id")
        if ident in unique:
            detail = f"camera {shown(ident)} is listed twice"
            vetting.refuse(ident, shown(ident), RefusalReason.OTHER_CAMERA, detail, ident)
            continue
        unique[ident] = (cam, vetting.mac(ident, cam.mac))
    owners: dict[str, list[str]] = {}
    claims = [(i, mac, cam.addresses) for i, (cam, mac) in unique.items()]
    claims += [(b.id, _loose_mac(b.mac), b.addresses) for b in bystanders]
    for ident, mac, addresses in claims:
        for text in _keys_of(mac, addresses):
            owners.setdefault(text, []).append(ident)
    kept: list[CameraIdentity] = []
    for ident, (cam, mac) in unique.items():
        valid = [a for raw in cam.addresses if (a := vetting.address(ident, raw)) is not None]
        good: list[str | IPAddress] = []
        candidates: list[str | IPAddress] = [*([mac] if mac else []), *valid]
        for key in dict.fromkeys(candidates):
            label = key if isinstance(key, str) else plain_address(key)
            others = [o for o in owners.get(label, []) if o != ident]
            reason = vetting.protected.get(label)
            if reason is not None:
                detail = f"camera {shown(ident)} claims {label}, a protected address ({reason})"
                vetting.refuse(ident, label, reason, detail)
            elif others:
                detail = (
                    f"camera {label} is listed twice"
                    if isinstance(key, str)
                    else f"{label} is claimed by {shown(others[0])} and {shown(ident)}"
                )
                vetting.refuse(ident, label, RefusalReason.OTHER_CAMERA, detail, others[0])
            else:
                good.append(key)
        ipv4 = tuple(k for k in good if isinstance(k, IPv4Address))
        ipv6 = tuple(k for k in good if isinstance(k, IPv6Address))
        good_mac = mac if mac and mac in good else ""
        if not good_mac and not ipv4 and not ipv6:
            detail = f"camera {shown(ident)} has nothing left to be matched by"
            vetting.refuse(ident, "", RefusalReason.NOTHING_TO_MATCH, detail)
            continue
        kept.append(CameraIdentity(good_mac, ipv4, ipv6, safe_name(cam.name), ident))
    return kept
