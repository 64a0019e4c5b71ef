"""The firmware check: version strings read, ranges compared, and how sure each answer is."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.homebound.catalog import (
    FirmwareReport,
    Verdict,
    check_firmware,
    load_catalog,
    parse_firmware,
)

CATALOG = load_catalog()


def verdicts(report: FirmwareReport) -> dict[str, Verdict]:
    return {f.vulnerability.cve: f.verdict for f in report.findings}


@pytest.mark.parametrize(
    ("text", "numbers", "build"),
    [
        ("V5.4.0 build 160530", (5, 4, 0), dt.date(2016, 5, 30)),
        ("v5.5.800 Build 210628", (5, 5, 800), dt.date(2021, 6, 28)),
        ("IPC_G5_EN_STD_5.5.113_210317", (5, 5, 113), dt.date(2021, 3, 17)),
        ("2.800.00AC006.0.R, Build Date 2022-01-10", (2, 800, 0), dt.date(2022, 1, 10)),
        ("2.800.0000000.25.R", (2, 800, 0, 25), None),
        (
            "DH_IPC-ACK-Themis_Eng_P_V2.400.0000.14.R.20170713",
            (2, 400, 0, 14),
            dt.date(2017, 7, 13),
        ),
        ("V5.00.R02.00030747.10010.349f17", (5, 0), None),
        ("V5.4.0 build 169999", (5, 4, 0), None),
    ],
)
def test_firmware_strings_are_read(
    text: str, numbers: tuple[int, ...], build: dt.date | None
) -> None:
    version = parse_firmware(text)
    assert version is not None
    assert (version.numbers, version.build) == (numbers, build)


@pytest.mark.parametrize("text", ["", "unknown", "build 160530", "LTS firmware"])
def test_strings_without_a_version_are_not_read(text: str) -> None:
    assert parse_firmware(text) is None


def test_the_listed_model_family_on_listed_firmware_is_known_vulnerable() -> None:
    report = check_firmware(CATALOG, "hikvision", "DS-2CD2132F-IS", "V5.4.0 build 160530")
    assert verdicts(report) == {
        "CVE-2017-7921": Verdict.KNOWN,
        "CVE-2021-36260": Verdict.POSSIBLE,
    }
    assert report.known_exploited
    first = report.findings[0]
    assert first.vulnerability.kev.date == "2026-03-05"
    assert first.reason == "DS-2CD2xx2F-I series"
    data = report.as_dict()
    assert data["read_as"] == {"numbers": [5, 4, 0], "build": "2016-05-30"}
    shown = data["findings"][0]
    assert shown["cve"] == "CVE-2017-7921"
    assert shown["verdict"] == "known_vulnerable"
    assert shown["known_exploited"]
    assert shown["kev_date"] == "2026-03-05"
    assert shown["advisory"].startswith("https://www.hikvision.com/")
    assert check_firmware(CATALOG, None, "x", "nothing").as_dict()["read_as"] is None


@pytest.mark.parametrize(
    ("model", "firmware", "expected"),
    [
        ("DS-2CD2132F-IS", "V5.2.0 build 140721", Verdict.KNOWN),
        ("DS-2CD2142FWD-IS", "V5.4.1 build 160525", Verdict.KNOWN),
        ("DS-2CD2132F-IS", "V5.4.0 build 160531", Verdict.POSSIBLE),
        ("DS-2CD2132F-IS", "V5.4.0", Verdict.POSSIBLE),
        ("DS-2CD2132F-IS", "V5.3.0", Verdict.KNOWN),
        ("DS-2CD2032-I", "V5.3.0 build 150101", Verdict.POSSIBLE),
        ("DS-2CD2132F-IS", "V5.4.41 build 170312", None),
        ("DS-2CD2132F-IS", "V5.0.1 build 130101", None),
    ],
)
def test_cve_2017_7921_ranges(model: str, firmware: str, expected: Verdict | None) -> None:
    """Inside a listed family's range: known; at an undated boundary, or another model of
    the same era: possible; from the fix on, or before the era: nothing."""
    found = verdicts(check_firmware(CATALOG, "hikvision", model, firmware)).get("CVE-2017-7921")
    assert found is expected


@pytest.mark.parametrize(
    ("firmware", "expected"),
    [
        ("V5.5.113 build 210317", Verdict.KNOWN),
        ("IPC_G5_EN_STD_5.5.113_210317", Verdict.KNOWN),
        ("V5.5.82 build 190909", Verdict.POSSIBLE),
        ("V5.5.800 build 210628", None),
        ("V5.7.15 build 230620", None),
        ("V5.3.0 build 151231", None),
        ("V5.5.82", None),
    ],
)
def test_cve_2021_36260_by_listed_version_and_build_date(
    firmware: str, expected: Verdict | None
) -> None:
    report = check_firmware(CATALOG, "hikvision", "DS-2CD2143G0-I", firmware)
    assert verdicts(report).get("CVE-2021-36260") is expected


def test_a_current_hikvision_firmware_has_no_finding() -> None:
    report = check_firmware(CATALOG, "hikvision", "DS-2CD2043G2-I", "V5.7.15 build 230620")
    assert report.findings == ()
    assert not report.known_exploited


def test_oem_firmware_that_cannot_be_compared_is_unknown_not_safe() -> None:
    report = check_firmware(CATALOG, "hikvision", "CMIP7422W", "LTS 2.3", oem=True)
    assert set(verdicts(report).values()) == {Verdict.UNKNOWN_OEM}
    assert {f.vulnerability.cve for f in report.findings} == {"CVE-2017-7921", "CVE-2021-36260"}
    plain = check_firmware(CATALOG, "hikvision", "CMIP7422W", "LTS 2.3")
    assert plain.findings == ()


def test_dahua_advisories_without_a_version_table_say_possibly() -> None:
    report = check_firmware(CATALOG, "dahua", "IPC-HDW2431T-AS-S2", "2.800.0000000.25.R")
    assert verdicts(report) == {
        "CVE-2021-33044": Verdict.POSSIBLE,
        "CVE-2021-33045": Verdict.POSSIBLE,
        "CVE-2022-30563": Verdict.POSSIBLE,
    }
    assert not report.known_exploited
    assert [f.vulnerability.kev.listed for f in report.findings] == [True, True, False]
    later = check_firmware(CATALOG, "dahua", "IPC", "2.840.0000000.1.R, Build Date 2023-03-01")
    assert "CVE-2022-30563" not in verdicts(later)


def test_the_xm530_proof_of_concept_firmware_is_known_and_others_possible() -> None:
    known = check_firmware(
        CATALOG, "xiongmai", "XM530_50X50-WG_8M", "V5.00.R02.00030747.10010.349f17"
    )
    assert verdicts(known) == {"CVE-2025-65856": Verdict.KNOWN}
    assert not known.known_exploited
    other = check_firmware(CATALOG, "xiongmai", "XM530_50X50-WG_8M", "V5.00.R02.000529B2.10010")
    assert verdicts(other) == {"CVE-2025-65856": Verdict.POSSIBLE}
    assert check_firmware(CATALOG, "xiongmai", "XM510", "V4.02").findings == ()


def test_no_maker_no_finding() -> None:
    report = check_firmware(CATALOG, None, "DS-2CD2132F-IS", "V5.4.0 build 160530")
    assert report.findings == ()


@settings(max_examples=300, deadline=None)
@given(
    maker=st.sampled_from(["hikvision", "dahua", "xiongmai", "reolink"]),
    model=st.text(max_size=100),
    firmware=st.text(max_size=400),
    oem=st.booleans(),
)
def test_any_firmware_string_gives_an_answer(
    maker: str, model: str, firmware: str, *, oem: bool
) -> None:
    report = check_firmware(CATALOG, maker, model, firmware, oem=oem)
    assert len(report.firmware) <= 200
    for finding in report.findings:
        assert finding.vulnerability.maker == maker
        assert finding.reason
