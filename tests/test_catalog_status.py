"""Maker status: which dated actions name a camera's maker, said plainly, and the summary."""

from __future__ import annotations

from custom_components.homebound.catalog import (
    Fingerprint,
    StatusState,
    check_firmware,
    identify,
    load_catalog,
    maker_status,
    summarize,
)
from custom_components.homebound.catalog.status import MakerStatus

CATALOG = load_catalog()


def status_of(manufacturer: str, mac: str | None = None, **print_: object) -> MakerStatus:
    found = identify(
        CATALOG,
        manufacturer=manufacturer,
        mac=mac,
        fingerprint=Fingerprint(**print_),  # type: ignore[arg-type]
    )
    return maker_status(CATALOG, found)


def test_a_hikvision_inside_an_lts_box_is_listed() -> None:
    status = status_of("LTS", "44:19:b6:00:00:01", vendor_apis=("isapi",))
    assert status.state is StatusState.LISTED
    assert status.summary == "Entity List · NDAA §889 · FCC Covered List"
    assert status.badges[:3] == ("Entity List", "NDAA §889", "FCC Covered List")
    assert status.covered
    attributes = status.attributes()
    assert attributes["maker"] == "Hikvision"
    assert attributes["sold_as"] == "LTS"
    assert attributes["confidence"] == "firmware"
    entity = next(a for a in attributes["actions"] if a["kind"] == "entity_list")
    assert entity["date"] == "2019-10-09"
    assert "export licence" in entity["scope"]
    assert entity["sources"]
    assert "None of these actions makes it illegal" in attributes["home_use"]
    assert attributes["catalog_date"] == "2026-12-07"


def test_each_action_keeps_its_own_dates_and_scope() -> None:
    actions = {a["key"]: a for a in status_of("Dahua").attributes()["actions"]}
    assert actions["fcc_25_71"]["dates"] == {
        "adopted": "2025-10-28",
        "effective": "2025-12-26",
        "published": "2025-11-25",
    }
    assert "already owned" in actions["fcc_25_71"]["scope"]
    assert actions["ndaa_889_a"]["date"] == "2019-08-13"
    assert actions["texas_2026_01"]["jurisdiction"] == "US-TX"


def test_a_lorex_built_by_dahua_shows_the_sale_of_the_brand() -> None:
    status = status_of("Lorex", vendor_apis=("dahua_cgi",))
    assert status.state is StatusState.LISTED
    events = [(e.party, e.date) for e in status.ownership]
    assert ("lorex", "2022-11-23") in events
    assert ("dahua", "2024-01") in events


def test_imou_reaches_dahuas_actions_only_through_the_affiliation_that_ended() -> None:
    status = status_of("Imou", "90:6a:94:00:00:01")
    assert status.identification.manufacturer_label() == "Huacheng (sold as Imou)"
    assert status.state is StatusState.AFFILIATE
    assert status.badges == ()
    assert status.summary == ""
    assert not status.covered
    assert status.actions
    for action in status.actions:
        assert action.via == "dahua"
        assert action.action.covers_affiliates
        assert "until 2025-03" in action.note
        assert "not established" in action.note
    assert ("huacheng", "2025-03") in [(e.party, e.date) for e in status.ownership]


def test_a_state_ban_alone_is_the_summary() -> None:
    status = status_of("Uniview", "48:ea:63:00:00:01")
    assert status.state is StatusState.LISTED
    assert status.summary == "Texas state ban"
    assert not status.covered


def test_a_proposal_is_never_shown_as_in_force() -> None:
    status = status_of("TP-Link")
    assert [a.action.key for a in status.proposals] == ["tplink_proposal_2025"]
    assert all(a.action.key != "tplink_proposal_2025" for a in status.actions)
    assert status.summary == "Texas state ban"


def test_a_maker_without_actions_and_an_unknown_maker() -> None:
    assert status_of("Reolink").state is StatusState.NONE_KNOWN
    unknown = status_of("ANNKE", http_servers=("MWS 0.01",))
    assert unknown.state is StatusState.UNKNOWN_MAKER
    assert unknown.actions == ()
    assert unknown.attributes()["maker"] is None
    assert unknown.attributes()["brand"] == "Annke"


def test_the_household_summary() -> None:
    cameras = [
        ("HIKVISION", "DS-2CD2132F-IS", "V5.4.0 build 160530", ("isapi",)),
        ("Amcrest", "IP4M-1041B", "2.800.0000000.25.R", ("dahua_cgi",)),
        ("H264", "XM530_50X50-WG_8M", "V5.00.R02.00030747.10010.349f17", ()),
        ("Acme", "X1", "1.0", ()),
    ]
    pairs = []
    for manufacturer, model, firmware, apis in cameras:
        found = identify(
            CATALOG, manufacturer=manufacturer, fingerprint=Fingerprint(vendor_apis=apis)
        )
        key = found.maker.key if found.maker else None
        report = check_firmware(CATALOG, key, model, firmware, oem=found.oem)
        pairs.append((maker_status(CATALOG, found), report))
    summary = summarize(pairs)
    assert summary.cameras == 4
    assert summary.covered == 2
    assert summary.known_exploited == 1
    assert summary.known_vulnerable == 2
    assert summary.possibly_vulnerable == 1
    assert summary.unknown_maker == 1
