"""Tests for the vendor catalogue: MAC prefix data and the lookup helpers."""

from __future__ import annotations

import ast
from pathlib import Path
import re

import pytest

from custom_components.homebound.catalog import (
    VENDORS,
    Vendor,
    all_camera_ouis,
    normalize_mac,
    vendor_for_mac,
)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "custom_components" / "homebound" / "catalog"


def test_vendor_keys_are_unique_slugs() -> None:
    keys = [vendor.key for vendor in VENDORS]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key), key


def test_every_vendor_has_name_prefixes_and_brands() -> None:
    for vendor in VENDORS:
        assert vendor.name
        assert vendor.ouis, vendor.key
        assert vendor.brands, vendor.key
        assert isinstance(vendor.ouis, tuple)
        assert isinstance(vendor.brands, tuple)


def test_prefixes_are_six_uppercase_hex_digits() -> None:
    for vendor in VENDORS:
        for oui in vendor.ouis:
            assert re.fullmatch(r"[0-9A-F]{6}", oui), (vendor.key, oui)


def test_no_prefix_is_listed_twice() -> None:
    seen: dict[str, str] = {}
    for vendor in VENDORS:
        for oui in vendor.ouis:
            assert oui not in seen, f"{oui} in both {seen[oui]} and {vendor.key}"
            seen[oui] = vendor.key


def test_expected_vendors_and_counts() -> None:
    counts = {vendor.key: len(vendor.ouis) for vendor in VENDORS}
    assert counts == {
        "hikvision": 40,
        "ezviz": 10,
        "dahua": 29,
        "imou": 3,
        "uniview": 3,
        "tiandy": 2,
        "hualai": 2,
        "wyze": 4,
        "reolink": 1,
        "amcrest": 3,
        "lorex": 1,
        "swann": 1,
        "imilab": 4,
        "gwell": 1,
    }


def test_router_makers_and_unverified_prefixes_are_absent() -> None:
    keys = {vendor.key for vendor in VENDORS}
    assert not keys & {"tplink", "tp_link", "xiongmai"}
    ouis = set(all_camera_ouis())
    # TP-Link router blocks, and the Imou prefixes seen only in a third-party list.
    assert not ouis & {"000AEB", "001478", "0019E0", "5CA6E6", "60A4B7", "302450", "AC3DFA"}
    # Wyze's MA-M block must not be widened to a whole /24.
    assert "A4DA22" not in ouis


def test_vendor_is_frozen() -> None:
    vendor = VENDORS[0]
    with pytest.raises(AttributeError):
        vendor.key = "other"  # type: ignore[misc]


def test_all_camera_ouis_is_sorted_unique_and_complete() -> None:
    ouis = all_camera_ouis()
    assert ouis == sorted(set(ouis))
    assert set(ouis) == {oui for vendor in VENDORS for oui in vendor.ouis}
    assert len(ouis) == 104
    # A fresh list each call: callers may mutate it.
    ouis.clear()
    assert all_camera_ouis()


@pytest.mark.parametrize(
    ("mac", "expected"),
    [
        ("ec:71:db:12:34:56", "EC71DB123456"),
        ("EC-71-DB-12-34-56", "EC71DB123456"),
        ("ec71.db12.3456", "EC71DB123456"),
        ("EC71DB123456", "EC71DB123456"),
        ("  ec71db123456\n", "EC71DB123456"),
        ("0:1f:54:a:b:c", "001F540A0B0C"),
        ("", None),
        ("ec:71:db:12:34", None),
        ("ec:71:db:12:34:56:78", None),
        ("ec:71:db:12:34:5g", None),
        ("ec:71:db:123:4:56", None),
        ("ec71db12345", None),
        ("ec71.db12.345", None),
        ("ec71.db12.3456.7890", None),
        ("ec:71-db:12:34:56", None),
        ("not a mac", None),
    ],
)
def test_normalize_mac(mac: str, expected: str | None) -> None:
    assert normalize_mac(mac) == expected


@pytest.mark.parametrize(
    ("mac", "key"),
    [
        ("ec:71:db:00:00:01", "reolink"),
        ("BC-AD-28-AA-BB-CC", "hikvision"),
        ("08:54:11:00:00:00", "hikvision"),
        ("fcb6.9d00.0001", "dahua"),
        ("0c:a6:4c:01:02:03", "ezviz"),
        ("906a94010203", "imou"),
        ("c4:79:05:00:00:00", "uniview"),
        ("e4:e6:6c:00:00:00", "tiandy"),
        ("18:50:73:00:00:00", "hualai"),
        ("2c:aa:8e:00:00:00", "wyze"),
        ("a0:60:32:00:00:00", "amcrest"),
        ("0:1f:54:1:2:3", "lorex"),
        ("bc:51:fe:00:00:00", "swann"),
        ("b8:88:80:00:00:00", "imilab"),
        ("4c:b0:08:00:00:00", "gwell"),
    ],
)
def test_vendor_for_mac_known(mac: str, key: str) -> None:
    vendor = vendor_for_mac(mac)
    assert isinstance(vendor, Vendor)
    assert vendor.key == key


@pytest.mark.parametrize(
    "mac",
    [
        "00:00:5e:00:53:01",  # documentation MAC range
        "5c:a6:e6:00:00:00",  # a TP-Link router
        "a4:da:22:20:00:00",  # Wyze MA-M: not matched by design
        "garbage",
        "",
    ],
)
def test_vendor_for_mac_unknown(mac: str) -> None:
    assert vendor_for_mac(mac) is None


@pytest.mark.parametrize("path", sorted(CATALOG_DIR.rglob("*.py")), ids=lambda p: p.name)
def test_catalog_imports_nothing_from_home_assistant(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n.split(".")[0] == "homeassistant" for n in names), path.name
