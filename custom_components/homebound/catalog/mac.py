"""MAC addresses: the project's one parser, and the camera maker a MAC prefix is registered to.

Plain Python (re-exported by the package). A MAC prefix names who registered the network
interface's block, often the parent OEM rather than the brand on the box: a hint for discovery
and identification, never proof on its own.
"""

from __future__ import annotations

import re
from typing import Final

from .vendors import VENDORS, Vendor

_HEX12: Final = re.compile(r"[0-9A-F]{12}")
_GROUPED: Final = re.compile(r"[0-9A-F]{1,2}")
_DOTTED: Final = re.compile(r"[0-9A-F]{4}")

_BY_OUI: Final[dict[str, Vendor]] = {oui: vendor for vendor in VENDORS for oui in vendor.ouis}


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
