"""The maker catalogue's data files: their schema, their sources, and updating them as data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
import json
from pathlib import Path
import re
import shutil
from typing import Any

import pytest

from custom_components.homebound.catalog import VENDORS, CatalogError, identify, load_catalog
from custom_components.homebound.catalog.loader import DATA_DIR, FILES, parse_catalog
from custom_components.homebound.catalog.model import BrandConfidence
from custom_components.homebound.catalog.schema import words
from devtools import sync_dhcp

type Json = dict[str, Any]
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
ENTRY_LISTS = {
    "makers.json": ("makers", "brands", "ownership"),
    "fingerprints.json": ("fingerprints",),
    "regulation.json": ("actions",),
    "vulnerabilities.json": ("vulnerabilities",),
}


def raw(name: str) -> Json:
    data: Json = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


def entries() -> Iterator[tuple[str, Json]]:
    for name, lists in ENTRY_LISTS.items():
        data = raw(name)
        for key in lists:
            for index, entry in enumerate(data[key]):
                yield f"{name} {key}[{index}]", entry
    yield "regulation.json private_use", raw("regulation.json")["private_use"]


def test_the_shipped_catalogue_loads_and_is_cached() -> None:
    catalog = load_catalog()
    assert catalog is load_catalog()
    assert {"hikvision", "dahua", "xiongmai", "huacheng"} <= set(catalog.makers)
    assert {"lts", "annke", "amcrest", "lorex", "imou", "xmeye", "swann", "night_owl"} <= set(
        catalog.brands
    )
    assert catalog.updated == "2026-12-07"


@pytest.mark.parametrize(("where", "entry"), list(entries()), ids=lambda v: str(v)[:40])
def test_every_entry_names_a_source_and_a_date(where: str, entry: Json) -> None:
    sources = entry.get("sources")
    assert isinstance(sources, list), where
    assert sources, where
    for source in sources:
        assert isinstance(source["ref"], str), where
        assert source["ref"].strip(), where
        assert DATE.fullmatch(source["date"]), (where, source)


def test_every_affiliation_and_kev_listing_names_its_sources() -> None:
    for maker in raw("makers.json")["makers"]:
        for tie in maker.get("affiliations", []):
            assert tie["sources"], maker["key"]
    for vulnerability in raw("vulnerabilities.json")["vulnerabilities"]:
        assert vulnerability["kev"]["sources"], vulnerability["cve"]


def test_the_dates_the_issue_names_are_in_the_data() -> None:
    catalog = load_catalog()
    actions = {action.key: action for action in catalog.actions}
    assert actions["entity_list_2019"].dates["effective"] == "2019-10-09"
    assert actions["fcc_25_71"].dates["effective"] == "2025-12-26"
    cves = {v.cve: v for v in catalog.vulnerabilities}
    assert cves["CVE-2017-7921"].kev.date == "2026-03-05"
    assert cves["CVE-2021-33044"].kev.date == "2024-08"
    assert cves["CVE-2021-33045"].kev.date == "2024-08"
    lorex = [e for e in catalog.ownership if e.party == "lorex"]
    assert any(e.date == "2022-11-23" and "Skywatch" in e.event for e in lorex)
    assert any(e.party == "huacheng" and e.date == "2025-03" for e in catalog.ownership)
    assert catalog.makers["huacheng"].affiliations[0].until == "2025-03"


def test_the_wording_says_none_of_it_makes_home_use_illegal() -> None:
    text = load_catalog().private_use.text
    assert "None of these actions makes it illegal to own or use" in text
    assert "at home" in text


def test_each_action_says_its_scope_plainly() -> None:
    scopes = {action.kind.value: action.scope for action in load_catalog().actions}
    assert "export" in scopes["entity_list"].lower()
    assert "federal agencies" in scopes["ndaa_889"]
    assert "authorisation" in scopes["fcc_covered_list"] or "FCC" in scopes["fcc_covered_list"]


def test_unverified_brands_never_establish_a_maker() -> None:
    for brand in load_catalog().brands.values():
        if brand.confidence is not BrandConfidence.DOCUMENTED or not brand.whole_brand:
            assert not brand.establishes_maker, brand.key


def test_every_mac_vendor_of_the_dhcp_list_belongs_to_one_maker_or_brand() -> None:
    catalog = load_catalog()
    for vendor in VENDORS:
        party = catalog.party_for_oui_vendor(vendor.key)
        assert party is not None, vendor.key


def test_names_are_stored_as_words() -> None:
    assert words("Hikvision.China") == ("hikvision", "china")
    assert words("  Nelly's ") == ("nelly", "s")
    assert words("") == ()


# -- the schema: a broken file fails to load and the message names the field -------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def edit(directory: Path, name: str, change: Callable[[Json], None]) -> None:
    path = directory / name
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _first(key: str) -> Callable[[Json], Json]:
    return lambda data: data[key][0]


BROKEN: dict[str, tuple[str, Callable[[Json], None], str]] = {
    "unknown key": ("makers.json", lambda d: _first("makers")(d).update(color="red"), "color"),
    "no sources": ("makers.json", lambda d: _first("brands")(d).update(sources=[]), "source"),
    "source without date": (
        "fingerprints.json",
        lambda d: _first("fingerprints")(d)["sources"][0].pop("date"),
        "date",
    ),
    "bad date": (
        "regulation.json",
        lambda d: _first("actions")(d)["dates"].update(effective="2019-13-01"),
        "calendar",
    ),
    "unknown maker": (
        "regulation.json",
        lambda d: _first("actions")(d).update(makers=["acme"]),
        "acme",
    ),
    "unknown brand confidence": (
        "makers.json",
        lambda d: _first("brands")(d).update(confidence="probably"),
        "probably",
    ),
    "maker missing but documented": (
        "makers.json",
        lambda d: _first("brands")(d).update(maker=None),
        "unknown",
    ),
    "regex that does not compile": (
        "fingerprints.json",
        lambda d: _first("fingerprints")(d).update(match="regex", value="(["),
        "regular expression",
    ),
    "proposal in force": (
        "regulation.json",
        lambda d: _first("actions")(d).update(kind="proposal"),
        "proposal",
    ),
    "KEV listing without date": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d)["kev"].pop("date"),
        "KEV",
    ),
    "rule without condition": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d).update(rules=[{"verdict": "known", "note": "x"}]),
        "condition",
    ),
    "firmware bound that is no version": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d)["rules"][0].update({"from": "soon"}),
        "firmware version",
    ),
    "not a CVE": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d).update(cve="CVE-17-1"),
        "CVE",
    ),
    "duplicate key": (
        "makers.json",
        lambda d: d["makers"].append(dict(d["makers"][0])),
        "twice",
    ),
    "name not in words": (
        "makers.json",
        lambda d: _first("makers")(d).update(names=["HIKVISION"]),
        "lower-case words",
    ),
    "unknown MAC vendor": (
        "makers.json",
        lambda d: _first("makers")(d).update(oui_vendor="acme"),
        "catalog.vendors",
    ),
    "MAC vendor claimed twice": (
        "makers.json",
        lambda d: d["makers"][1].update(oui_vendor=d["makers"][0]["oui_vendor"]),
        "claimed twice",
    ),
    "advisory that is no https link": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d).update(advisory="hikvision.com/advisory"),
        "https://",
    ),
    "text that is a number": ("makers.json", lambda d: _first("makers")(d).update(name=7), "text"),
    "names that are no list": (
        "makers.json",
        lambda d: _first("makers")(d).update(names="hikvision"),
        "list of non-empty texts",
    ),
    "flag that is text": (
        "makers.json",
        lambda d: _first("brands")(d).update(whole_brand="yes"),
        "true or false",
    ),
    "build day that is no day": (
        "vulnerabilities.json",
        lambda d: d["vulnerabilities"][1]["rules"][1].update(built_before="2021-06"),
        "YYYY-MM-DD",
    ),
    "list that is an object": ("makers.json", lambda d: d.update(ownership={}), "a list"),
    "date that is no date": (
        "makers.json",
        lambda d: d["ownership"][0].update(date="soon"),
        "is not YYYY",
    ),
    "key that is not lower case": (
        "fingerprints.json",
        lambda d: _first("fingerprints")(d).update(key="Hik"),
        "lower-case key",
    ),
    "action without dates": (
        "regulation.json",
        lambda d: _first("actions")(d).update(dates={}),
        "at least one date",
    ),
    "vulnerability without rules": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d).update(rules=[]),
        "at least one rule",
    ),
    "a key both maker and brand": (
        "makers.json",
        lambda d: _first("brands")(d).update(key="hikvision"),
        "both a maker and a brand",
    ),
    "a name given twice": (
        "makers.json",
        lambda d: _first("brands")(d).update(names=["hikvision"]),
        "two makers or brands",
    ),
    "wrong schema version": ("fingerprints.json", lambda d: d.update(schema=2), "schema"),
    "not an object": ("regulation.json", lambda d: d["actions"].append([]), "object"),
    "missing field": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d).pop("fixed"),
        "fixed",
    ),
    "flag written false": (
        "vulnerabilities.json",
        lambda d: _first("vulnerabilities")(d)["rules"][0].update(any=False),
        "true",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_fails_to_load_naming_the_field(data_copy: Path, case: str) -> None:
    name, change, expected = BROKEN[case]
    edit(data_copy, name, change)
    with pytest.raises(CatalogError, match=re.escape(expected)):
        parse_catalog(data_copy)


def test_an_unreadable_file_fails_to_load(data_copy: Path) -> None:
    (data_copy / "makers.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot be read"):
        parse_catalog(data_copy)


def test_a_copy_of_the_shipped_data_loads(data_copy: Path) -> None:
    assert parse_catalog(data_copy) == parse_catalog(DATA_DIR)


def test_the_catalogue_is_updated_by_editing_data_only(data_copy: Path) -> None:
    """A new brand, documented for the whole brand, identifies a camera without a code change."""
    before = identify(parse_catalog(data_copy), manufacturer="Acme Vision")
    assert before.maker is None

    def add_brand(data: Json) -> None:
        data["brands"].append(
            {
                "key": "acme",
                "name": "Acme Vision",
                "names": ["acme vision"],
                "maker": "dahua",
                "confidence": "documented",
                "whole_brand": True,
                "scope": "Test brand.",
                "sources": [{"ref": "a test", "date": "2026-12-07"}],
            }
        )

    edit(data_copy, "makers.json", add_brand)
    after = identify(parse_catalog(data_copy), manufacturer="Acme Vision")
    assert after.maker is not None
    assert after.maker.key == "dahua"
    assert after.manufacturer_label() == "Dahua (sold as Acme Vision)"


def test_sync_dhcp_writes_then_agrees(tmp_path: Path) -> None:
    """devtools/sync_dhcp writes the manifest's DHCP matchers from the catalogue, then agrees."""
    path = tmp_path / "manifest.json"
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    assert not path.exists()
    path.write_text(
        json.dumps({"version": "0.1.0", "dhcp": [], "name": "H", "domain": "homebound"})
    )
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 1
    assert sync_dhcp.main(["--manifest", str(path)]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["domain", "name", "dhcp", "version"]
    assert data["dhcp"][0] == {"registered_devices": True}
    assert {"macaddress": "EC71DB*"} in data["dhcp"]
    assert sync_dhcp.main(["--check", "--manifest", str(path)]) == 0
