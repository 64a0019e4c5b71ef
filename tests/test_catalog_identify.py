"""Identification from plain observations: how the evidence is weighed, and hostile input."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.homebound.catalog import (
    Confidence,
    Fingerprint,
    Identification,
    identify,
    load_catalog,
)
from custom_components.homebound.catalog.identify import MAX_OBSERVED, clean

CATALOG = load_catalog()
HIK_MAC = "44:19:b6:00:00:01"
DAHUA_MAC = "9c:14:63:00:00:01"
HIK_FIRMWARE = Fingerprint(http_servers=("App-webs/",), realms=("IP Camera(C2183)",))


def run(manufacturer: str, mac: str | None = None, **fingerprint: object) -> Identification:
    return identify(
        CATALOG,
        manufacturer=manufacturer,
        mac=mac,
        fingerprint=Fingerprint(**fingerprint),  # type: ignore[arg-type]
    )


def test_a_relabel_is_named_by_its_real_maker_and_the_brand_on_the_box() -> None:
    found = identify(CATALOG, manufacturer="LTS", mac=HIK_MAC, fingerprint=HIK_FIRMWARE)
    assert found.maker is not None
    assert found.maker.key == "hikvision"
    assert found.brand is not None
    assert found.brand.key == "lts"
    assert found.confidence is Confidence.FIRMWARE
    assert found.manufacturer_label() == "Hikvision (sold as LTS)"
    assert found.oem
    assert {e.signal for e in found.evidence} == {
        "http_server",
        "realm",
        "onvif_manufacturer",
        "mac",
    }
    assert not found.conflicts


def test_the_brand_name_alone_is_not_proof_when_the_sources_cover_only_some_models() -> None:
    """LTS is documented for some doorbells only: its name does not make a camera Hikvision."""
    found = run("LTS")
    assert found.maker is None
    assert found.confidence is Confidence.UNKNOWN
    assert found.manufacturer_label() == "LTS"
    detail = next(e.detail for e in found.evidence if e.signal == "onvif_manufacturer")
    assert "maker hikvision (documented)" in detail


def test_the_mac_alone_gives_the_maker_with_the_weakest_confidence() -> None:
    found = run("LTS", HIK_MAC)
    assert found.maker is not None
    assert found.maker.key == "hikvision"
    assert found.confidence is Confidence.MAC
    assert found.manufacturer_label() == "Hikvision (sold as LTS)"


def test_a_brand_documented_as_a_whole_gives_its_maker() -> None:
    found = run("Amcrest")
    assert found.maker is not None
    assert (found.maker.key, found.confidence) == ("dahua", Confidence.DOCUMENTED)
    assert found.manufacturer_label() == "Dahua (sold as Amcrest)"


def test_a_mac_registered_to_a_brand_leads_to_its_maker() -> None:
    found = run("IPCAM", "9c:8e:cd:00:00:01")
    assert found.maker is not None
    assert found.maker.key == "dahua"
    assert found.brand is not None
    assert found.brand.key == "amcrest"
    assert found.confidence is Confidence.MAC


def test_an_inferred_brand_waits_for_the_firmware() -> None:
    """Lorex is only inferred to be Dahua: by name it stays unknown, by its Dahua API it is."""
    assert run("Lorex").maker is None
    found = run("Lorex", vendor_apis=("dahua_cgi",))
    assert found.maker is not None
    assert found.maker.key == "dahua"
    assert found.manufacturer_label() == "Dahua (sold as Lorex)"


def test_the_fingerprint_wins_over_the_name_and_the_name_is_kept_as_a_conflict() -> None:
    found = identify(CATALOG, manufacturer="Dahua", mac=None, fingerprint=HIK_FIRMWARE)
    assert found.maker is not None
    assert found.maker.key == "hikvision"
    assert found.claimed_maker is not None
    assert found.claimed_maker.key == "dahua"
    assert found.manufacturer_label() == "Hikvision (reports itself as Dahua)"
    assert [e.signal for e in found.conflicts] == ["onvif_manufacturer"]
    assert found.sold_as is None


def test_the_vendor_api_outranks_a_header() -> None:
    found = run("", http_servers=("App-webs/",), vendor_apis=("dahua_cgi",))
    assert found.maker is not None
    assert found.maker.key == "dahua"
    assert [e.detail for e in found.conflicts if e.signal == "http_server"]


def test_two_firmware_signals_of_equal_weight_that_disagree_decide_nothing() -> None:
    found = run("", http_servers=("App-webs/",), rtsp_server="Dahua Rtsp Server")
    assert found.maker is None
    assert found.confidence is Confidence.UNKNOWN
    assert {e.maker for e in found.conflicts} == {"hikvision", "dahua"}


def test_a_name_and_a_mac_that_disagree_decide_nothing() -> None:
    found = run("Dahua", HIK_MAC)
    assert found.maker is None
    assert found.confidence is Confidence.UNKNOWN
    assert len(found.conflicts) == 2


def test_a_maker_missing_from_the_catalogue_is_unknown_not_guessed() -> None:
    found = run("Acme Vision", "02:00:00:00:00:01")
    assert found.maker is None
    assert found.brand is None
    assert found.confidence is Confidence.UNKNOWN
    assert found.manufacturer_label() == "Acme Vision"
    assert found.sold_as is None
    assert [e.signal for e in found.evidence] == []


def test_an_unknown_name_on_known_firmware_is_what_it_is_sold_as() -> None:
    found = identify(CATALOG, manufacturer="Acme Vision", fingerprint=HIK_FIRMWARE)
    assert found.manufacturer_label() == "Hikvision (sold as Acme Vision)"


def test_a_firmware_token_is_not_a_name_on_the_box() -> None:
    found = run("H264", http_servers=("uc-httpd 1.0.0",))
    assert found.maker is not None
    assert found.maker.key == "xiongmai"
    assert found.sold_as is None
    assert found.manufacturer_label() == "Xiongmai"


def test_the_maker_name_itself_is_not_a_brand() -> None:
    found = run("Hikvision.China", HIK_MAC)
    assert found.manufacturer_label() == "Hikvision"
    assert found.confidence is Confidence.DOCUMENTED
    assert found.brand is None


@pytest.mark.parametrize(
    ("page", "maker"),
    [
        ('<script>location.href="/doc/page/login.asp?_"+1</script>', "hikvision"),
        ("<title>NETSurveillance WEB</title>", "xiongmai"),
        ("<title>Welcome</title>", None),
    ],
)
def test_the_web_root_page_is_a_fingerprint(page: str, maker: str | None) -> None:
    found = run("", root_page=page)
    assert (found.maker.key if found.maker else None) == maker


def test_a_signature_that_names_a_brand_gives_no_maker() -> None:
    """``MWS 0.01`` is an Annke line's (and a platform's) server: evidence, never a maker."""
    found = run("ANNKE", http_servers=("MWS 0.01",))
    assert found.maker is None
    assert found.brand is not None
    assert found.brand.key == "annke"
    assert found.manufacturer_label() == "Annke"
    mws = next(e for e in found.evidence if e.signal == "http_server")
    assert mws.party == "annke"
    assert mws.maker is None
    assert "MIPC" in mws.detail


def test_diagnostics_carry_the_evidence_and_its_sources() -> None:
    data = identify(CATALOG, manufacturer="LTS", mac=HIK_MAC, fingerprint=HIK_FIRMWARE).as_dict()
    assert data["label"] == "Hikvision (sold as LTS)"
    assert data["confidence"] == "firmware"
    realm = next(e for e in data["evidence"] if e["signal"] == "realm")
    assert realm["observed"] == "IP Camera(C2183)"
    assert any("ISAPI developer guide" in s for s in realm["sources"])
    assert Fingerprint(root_page="x" * 5000, page_title="T").as_dict()["page_title"] == "T"


def test_camera_text_is_cleaned_before_it_is_shown() -> None:
    assert clean("App-webs/\r\nSet-Cookie: x\x00") == "App-webs/ Set-Cookie: x"
    assert len(clean("A" * 10_000)) == MAX_OBSERVED
    found = run("Evil\u202e\nCorp\x1b[31m", http_servers=("App-webs/",))
    assert found.manufacturer_label() == "Hikvision (sold as Evil Corp [31m)"


@settings(max_examples=300, deadline=None)
@given(
    manufacturer=st.text(max_size=300),
    mac=st.one_of(st.none(), st.text(max_size=40)),
    server=st.text(max_size=300),
    realm=st.text(max_size=300),
    page=st.text(max_size=2000),
    rtsp=st.text(max_size=300),
)
def test_any_observation_gives_a_clean_answer(
    manufacturer: str, mac: str | None, server: str, realm: str, page: str, rtsp: str
) -> None:
    found = identify(
        CATALOG,
        manufacturer=manufacturer,
        mac=mac,
        fingerprint=Fingerprint((server,), (realm,), page, "", rtsp, ("isapi",)),
    )
    label = found.manufacturer_label()
    assert label
    assert label.isprintable()
    assert len(label) <= 2 * MAX_OBSERVED + 40
    assert found.maker is not None  # the ISAPI answer decides
    for evidence in found.evidence:
        assert evidence.observed.isprintable()


def test_a_stored_fingerprint_identifies_the_same_after_a_restart() -> None:
    fingerprint = Fingerprint(
        http_servers=("App-webs/",),
        realms=("IP Camera(C2183)",),
        root_page="<script>location='/doc/page/login.asp?_'</script>" + "x" * 20_000,
        page_title="",
        rtsp_server="",
        vendor_apis=("isapi",),
    )
    stored = Fingerprint.from_store(fingerprint.as_store())
    assert len(stored.root_page) == 4096
    before = identify(CATALOG, manufacturer="LTS", fingerprint=fingerprint)
    after = identify(CATALOG, manufacturer="LTS", fingerprint=stored)
    assert after.as_dict() == before.as_dict()


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        {"http_servers": "App-webs/", "realms": [1, None], "vendor_apis": ["telnet"]},
        {"root_page": 5, "page_title": ["x"], "rtsp_server": "\x00Dahua Rtsp Server"},
    ],
)
def test_a_malformed_stored_fingerprint_is_read_as_far_as_it_goes(stored: object) -> None:
    fingerprint = Fingerprint.from_store(stored)
    assert fingerprint.http_servers == ()
    assert fingerprint.realms == ()
    assert fingerprint.vendor_apis == ()
    assert fingerprint.root_page == ""
    assert fingerprint.rtsp_server in {"", "Dahua Rtsp Server"}
