"""Vendor knowledge as data: who made a camera (by MAC), and the clouds cameras phone home to.

No Home Assistant imports: this package is plain Python and can be used on its own.
"""

from __future__ import annotations

import re

from .cloud import CLOUD_SERVICES, CloudService
from .cloud_lookup import (
    ResolvedName,
    Resolver,
    describe_destination,
    resolve_cloud_domains,
    service_for_domain,
)
from .vendors import VENDORS, Vendor

__all__ = [
    "CLOUD_SERVICES",
    "VENDORS",
    "CloudService",
    "ResolvedName",
    "Resolver",
    "Vendor",
    "all_camera_ouis",
    "describe_destination",
    "normalize_mac",
    "resolve_cloud_domains",
    "service_for_domain",
    "vendor_for_mac",
]

_HEX12 = re.compile(r"[0-9A-F]{12}")
_GROUPED = re.compile(r"[0-9A-F]{1,2}")
_DOTTED = re.compile(r"[0-9A-F]{4}")

_BY_OUI: dict[str, Vendor] = {oui: vendor for vendor in VENDORS for oui in vendor.ouis}


def normalize_mac(mac: str) -> str | None:
    """Return ``mac`` as 12 uppercase hex digits, or None when it is not a MAC-48 address.

    Accepted: ``aa:bb:cc:dd:ee:ff``, ``AA-BB-CC-DD-EE-FF``, ``a:b:c:d:e:f`` (leading zeros
    dropped, as some ARP tables print them), ``aabb.ccdd.eeff`` and ``aabbccddeeff``. This is the
    project's one MAC parser; ``device.format_mac`` builds the colon form from it.
    """
    text = mac.strip().upper()
    for sep in (":", "-"):
        if sep in text:
            groups = text.split(sep)
            if len(groups) != 6 or not all(_GROUPED.fullmatch(g) for g in groups):
                return None
            return "".join(g.zfill(2) for g in groups)
    if "." in text:
        groups = text.split(".")
        if len(groups) != 3 or not all(_DOTTED.fullmatch(g) for g in groups):
            return None
        return "".join(groups)
    return text if _HEX12.fullmatch(text) else None


def vendor_for_mac(mac: str) -> Vendor | None:
    """Return the camera maker whose MA-L prefix ``mac`` carries, if it is one we know."""
    normalized = normalize_mac(mac)
    if normalized is None:
        return None
    return _BY_OUI.get(normalized[:6])


def all_camera_ouis() -> list[str]:
    """Return every known camera MA-L prefix (6 uppercase hex digits), sorted, without repeats."""
    return sorted(_BY_OUI)
