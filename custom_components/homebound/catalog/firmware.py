"""Is this firmware known to be vulnerable? Version strings read and compared with the catalogue.

A passive check, from what the camera reports (ONVIF ``FirmwareVersion`` and model): it never
sends anything to the camera. It is only as sure as the data: fixes are per platform and
vendors backport them, ONVIF does not name the platform, and OEM firmware uses its own version
strings. So a rule says ``known`` only where its source lists that very version for that model
family; everything else it can say is ``possible`` ("check the advisory"), and a relabelled
camera whose version cannot be compared (no version, or no build date to place it) is
``unknown: OEM firmware``, never silence dressed as safety.

Version strings seen: Hikvision ``V5.4.0 build 160530`` and ``IPC_G5_EN_STD_5.5.113_210317``,
Dahua ``2.800.0000000.25.R`` (sometimes with a date), Xiongmai ``V5.00.R02.00030747.10010.349f17``.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from enum import StrEnum
import re
from typing import Any, Final

from .model import Catalog, FirmwareVersion, Rule, RuleVerdict, Vulnerability

_NUMBERS: Final = re.compile(r"(?<![\d.])[Vv]?(\d{1,5}(?:\.\d{1,9}){1,3})(?![\d])")
_BUILD_YYMMDD: Final = re.compile(r"(?:build\s*|_)(\d{2})(\d{2})(\d{2})(?!\d)", re.IGNORECASE)
_DATE_YYYYMMDD: Final = re.compile(r"(?<!\d)(20\d{2})[-./]?(\d{2})[-./]?(\d{2})(?!\d)")
_SPACES: Final = re.compile(r"\s+")
_PAD: Final = 4
MAX_FIRMWARE_TEXT: Final = 200


class Verdict(StrEnum):
    """What the check says about one vulnerability and this camera."""

    KNOWN = "known_vulnerable"
    """The source lists this firmware (for this model family) as vulnerable."""
    POSSIBLE = "possibly_vulnerable"
    """It may be: the data cannot be sure (per-platform fixes, backports) — check the advisory."""
    UNKNOWN_OEM = "unknown_oem_firmware"
    """A relabelled camera whose firmware version cannot be compared."""


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_firmware(text: str) -> FirmwareVersion | None:
    """Read a firmware string as version numbers and an optional build date; None if it has none.

    Hikvision builds are ``yymmdd`` after ``build`` or ``_``; other firmwares may carry
    ``yyyymmdd`` or ``yyyy-mm-dd``. Only the first version-looking group counts.
    """
    text = _SPACES.sub(" ", text.strip())[:MAX_FIRMWARE_TEXT]
    found = _NUMBERS.search(text)
    if found is None:
        return None
    numbers = tuple(int(part) for part in found.group(1).split("."))
    build: dt.date | None = None
    rest = text[found.end() :]
    if (short := _BUILD_YYMMDD.search(rest)) is not None:
        build = _date(2000 + int(short.group(1)), int(short.group(2)), int(short.group(3)))
    elif (long := _DATE_YYYYMMDD.search(rest)) is not None:
        build = _date(int(long.group(1)), int(long.group(2)), int(long.group(3)))
    return FirmwareVersion(text=text, numbers=numbers, build=build)


def _padded(version: FirmwareVersion) -> tuple[int, ...]:
    return version.numbers + (0,) * (_PAD - len(version.numbers))


def _compare(version: FirmwareVersion, bound: FirmwareVersion) -> int | None:
    """-1, 0 or 1; None when the numbers are equal and only the bound has a build date.

    A bound without a build date is the whole version (every build of it).
    """
    a, b = _padded(version), _padded(bound)
    if a != b:
        return -1 if a < b else 1
    if bound.build is None:
        return 0
    if version.build is None:
        return None
    return (version.build > bound.build) - (version.build < bound.build)


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


def _exact(version: FirmwareVersion, raw: str, listed: tuple[str, ...]) -> bool:
    for item in listed:
        if _normal(item) == _normal(raw):
            return True
        other = parse_firmware(item)
        if (
            other is not None
            and other.build is not None
            and version.build is not None
            and _compare(version, other) == 0
        ):
            return True
    return False


class _Match(StrEnum):
    IN = "in"
    OUT = "out"
    UNSURE = "unsure"


def _bounds(rule: Rule, version: FirmwareVersion | None) -> _Match:
    """Whether the version is within ``from``/``to``/``below``; UNSURE at an undated boundary."""
    checks = [(rule.start, (0, 1)), (rule.end, (-1, 0)), (rule.below, (-1,))]
    if all(bound is None for bound, _ in checks):
        return _Match.IN
    if version is None:
        return _Match.OUT
    unsure = False
    for bound, wanted in checks:
        if bound is None:
            continue
        order = _compare(version, bound)
        if order is None:
            unsure = True
        elif order not in wanted:
            return _Match.OUT
    return _Match.UNSURE if unsure else _Match.IN


def _evaluate(rule: Rule, model: str, raw: str, version: FirmwareVersion | None) -> _Match:
    if rule.models is not None and rule.models.search(model) is None:
        return _Match.OUT
    if rule.any_firmware:
        return _Match.IN
    if rule.exact:
        return _Match.IN if version is not None and _exact(version, raw, rule.exact) else _Match.OUT
    if rule.undated:
        return _Match.IN if version is None or version.build is None else _Match.OUT
    build = version.build if version is not None else None
    if rule.built_from is not None or rule.built_before is not None:
        if build is None:
            return _Match.OUT
        if rule.built_from is not None and build < rule.built_from:
            return _Match.OUT
        if rule.built_before is not None and build >= rule.built_before:
            return _Match.OUT
    return _bounds(rule, version)


@dataclass(frozen=True, slots=True)
class Finding:
    """One vulnerability that this camera's firmware is (or may be) exposed to."""

    vulnerability: Vulnerability
    verdict: Verdict
    reason: str
    """Why, in words, for diagnostics: the rule's note or why it could not be compared."""

    @property
    def known_exploited(self) -> bool:
        """Known vulnerable to a vulnerability CISA lists as exploited."""
        return self.verdict is Verdict.KNOWN and self.vulnerability.kev.listed

    def as_dict(self) -> dict[str, Any]:
        """For attributes, the repair issue's placeholders and diagnostics."""
        vulnerability = self.vulnerability
        return {
            "cve": vulnerability.cve,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "title": vulnerability.title,
            "allows": vulnerability.allows,
            "affected": vulnerability.affected,
            "fixed": vulnerability.fixed,
            "advisory": vulnerability.advisory,
            "known_exploited": vulnerability.kev.listed,
            "kev_date": vulnerability.kev.date,
            "sources": [f"{s.ref} ({s.date})" for s in vulnerability.sources],
        }


@dataclass(frozen=True, slots=True)
class FirmwareReport:
    """What the check found for one camera."""

    maker: str | None
    model: str
    firmware: str
    version: FirmwareVersion | None
    findings: tuple[Finding, ...]

    @property
    def known(self) -> tuple[Finding, ...]:
        """The findings that are known, not only possible."""
        return tuple(f for f in self.findings if f.verdict is Verdict.KNOWN)

    @property
    def known_exploited(self) -> bool:
        """Whether the camera runs firmware known vulnerable to a CISA-listed vulnerability."""
        return any(f.known_exploited for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics: what was compared and what was found."""
        version = self.version
        return {
            "maker": self.maker,
            "model": self.model,
            "firmware": self.firmware,
            "read_as": None
            if version is None
            else {
                "numbers": list(version.numbers),
                "build": version.build.isoformat() if version.build else None,
            },
            "findings": [finding.as_dict() for finding in self.findings],
        }


def _finding(
    vulnerability: Vulnerability,
    model: str,
    raw: str,
    version: FirmwareVersion | None,
    *,
    oem: bool,
) -> Finding | None:
    for rule in vulnerability.rules:
        match = _evaluate(rule, model, raw, version)
        if match is _Match.OUT:
            continue
        if match is _Match.UNSURE:
            reason = f"{rule.note} (the firmware carries no build date to compare)"
            return Finding(vulnerability, Verdict.POSSIBLE, reason)
        verdict = Verdict.KNOWN if rule.verdict is RuleVerdict.KNOWN else Verdict.POSSIBLE
        return Finding(vulnerability, verdict, rule.note)
    if oem and (version is None or version.build is None):
        return Finding(
            vulnerability,
            Verdict.UNKNOWN_OEM,
            "relabelled firmware whose version string cannot be compared with the advisory",
        )
    return None


def check_firmware(
    catalog: Catalog, maker: str | None, model: str, firmware: str, *, oem: bool = False
) -> FirmwareReport:
    """Match a camera's model and firmware against the maker's known vulnerabilities.

    ``maker`` is the real maker's key (from :func:`.identify.identify`); ``oem`` says the camera
    is sold under another name, whose firmware strings the advisories rarely list. Nothing is
    found for a camera whose maker is not known.
    """
    model = model.strip()[:MAX_FIRMWARE_TEXT]
    raw = _SPACES.sub(" ", firmware.strip())[:MAX_FIRMWARE_TEXT]
    version = parse_firmware(raw)
    findings: list[Finding] = []
    if maker is not None:
        for vulnerability in catalog.vulnerabilities:
            if vulnerability.maker != maker:
                continue
            finding = _finding(vulnerability, model, raw, version, oem=oem)
            if finding is not None:
                findings.append(finding)
    order = {Verdict.KNOWN: 0, Verdict.POSSIBLE: 1, Verdict.UNKNOWN_OEM: 2}
    findings.sort(key=lambda f: (order[f.verdict], not f.vulnerability.kev.listed))
    return FirmwareReport(maker, model, raw, version, tuple(findings))
