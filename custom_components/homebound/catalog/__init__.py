"""Vendor knowledge as data: makers, their brands, the law and known-exploited firmware.

Who made a camera, what governments did about its maker, which firmware is known to be
exploitable, the clouds cameras phone home to, and MAC prefixes.

No Home Assistant imports: this package is plain Python and can be used on its own. The maker
catalogue lives in ``data/*.json`` and is read by :func:`load_catalog` (blocking: run it in an
executor once; it is cached).
"""

from __future__ import annotations

from .cloud import CLOUD_SERVICES, CloudService
from .cloud_lookup import (
    ResolvedName,
    Resolver,
    describe_destination,
    resolve_cloud_domains,
    service_for_domain,
)
from .firmware import Finding, FirmwareReport, Verdict, check_firmware, parse_firmware
from .identify import Confidence, Evidence, Fingerprint, Identification, identify
from .loader import load_catalog
from .mac import all_camera_ouis, normalize_mac, vendor_for_mac
from .model import Brand, Catalog, Maker, RegulatoryAction, Vulnerability
from .schema import CatalogError
from .status import MakerStatus, StatusState, maker_status, summarize
from .vendors import VENDORS, Vendor

__all__ = [
    "CLOUD_SERVICES",
    "VENDORS",
    "Brand",
    "Catalog",
    "CatalogError",
    "CloudService",
    "Confidence",
    "Evidence",
    "Finding",
    "Fingerprint",
    "FirmwareReport",
    "Identification",
    "Maker",
    "MakerStatus",
    "RegulatoryAction",
    "ResolvedName",
    "Resolver",
    "StatusState",
    "Vendor",
    "Verdict",
    "Vulnerability",
    "all_camera_ouis",
    "check_firmware",
    "describe_destination",
    "identify",
    "load_catalog",
    "maker_status",
    "normalize_mac",
    "parse_firmware",
    "resolve_cloud_domains",
    "service_for_domain",
    "summarize",
    "vendor_for_mac",
]
