"""The maker catalogue's records: makers, brands, government actions, vulnerable firmware.

Who makes what, what governments did about them, which firmware is known to be exploitable,
and how a firmware gives its maker away.

Plain frozen data, built by :mod:`.loader` from the JSON files in ``catalog/data``. Every record
carries the sources it rests on (``Source``: a reference and the date it speaks for), so what
the user is shown can always be traced back; nothing here is a conclusion about one camera
(that is :mod:`.identify`, :mod:`.firmware` and :mod:`.status`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import datetime as dt
from enum import StrEnum
import re


class BrandConfidence(StrEnum):
    """How sure the catalogue is that a brand sells a maker's products."""

    DOCUMENTED = "documented"
    """A cited source says so."""
    INFERRED = "inferred"
    """Inferred from firmware, API or manual text that a cited source shows."""
    UNVERIFIED = "unverified"
    """Only repeated by secondary or opinion sources; never presented as fact."""
    UNKNOWN = "unknown"
    """Nothing found: the maker is not known."""


class Signal(StrEnum):
    """Where a firmware fingerprint is read."""

    VENDOR_API = "vendor_api"
    HTTP_SERVER = "http_server"
    REALM = "realm"
    ROOT_PAGE = "root_page"
    RTSP_SERVER = "rtsp_server"
    ONVIF_MANUFACTURER = "onvif_manufacturer"


class MatchKind(StrEnum):
    """How a fingerprint's value is compared with what was observed."""

    EQUALS = "equals"
    PREFIX = "prefix"
    CONTAINS = "contains"
    REGEX = "regex"


class ActionKind(StrEnum):
    """What kind of government action a regulatory row is."""

    ENTITY_LIST = "entity_list"
    NDAA_889 = "ndaa_889"
    FCC_COVERED_LIST = "fcc_covered_list"
    STATE = "state"
    FOREIGN_GOVERNMENT = "foreign_government"
    PROPOSAL = "proposal"


class ActionStatus(StrEnum):
    """Whether an action is in force or only proposed."""

    IN_FORCE = "in_force"
    PROPOSED = "proposed"


class RuleVerdict(StrEnum):
    """What a matching firmware rule says."""

    KNOWN = "known"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from, and the date it speaks for (``YYYY``, ``YYYY-MM`` or a day).

    The date is the source's own (publication, snapshot) where it has one, otherwise the day
    the project's research read it.
    """

    ref: str
    date: str


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A maker's tie to another maker that government actions may reach through."""

    maker: str
    until: str | None
    relation: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Maker:
    """A company that makes cameras (or their firmware)."""

    key: str
    name: str
    legal_name: str
    names: tuple[str, ...]
    """What a camera may call it (lower case, words separated by single spaces)."""
    oui_vendor: str | None
    """The ``catalog.vendors`` key whose MAC prefixes are registered to it."""
    affiliations: tuple[Affiliation, ...]
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Brand:
    """A name on the box, and the maker behind it as far as the sources go."""

    key: str
    name: str
    names: tuple[str, ...]
    maker: str | None
    confidence: BrandConfidence
    whole_brand: bool
    """Whether the sources speak for the whole brand (not only some models)."""
    scope: str
    oui_vendor: str | None
    sources: tuple[Source, ...]

    @property
    def establishes_maker(self) -> bool:
        """Whether the brand name alone says who made a camera (documented, whole brand)."""
        return (
            self.maker is not None
            and self.confidence is BrandConfidence.DOCUMENTED
            and self.whole_brand
        )


@dataclass(frozen=True, slots=True)
class OwnershipEvent:
    """A change of owner that matters for what a brand's cameras are."""

    party: str
    date: str
    event: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """A firmware fingerprint: a signal, how to match it, and the maker or brand it points to."""

    key: str
    signal: Signal
    match: MatchKind
    value: str
    party: str
    note: str
    sources: tuple[Source, ...]
    pattern: re.Pattern[str] | None = None
    """The compiled ``value`` of a ``regex`` signature."""

    def matches(self, observed: str) -> bool:
        """Whether ``observed`` (already cleaned) carries this fingerprint."""
        if self.match is MatchKind.EQUALS:
            return observed == self.value
        if self.match is MatchKind.PREFIX:
            return observed.startswith(self.value)
        if self.match is MatchKind.CONTAINS:
            return self.value in observed
        return self.pattern is not None and self.pattern.search(observed) is not None


@dataclass(frozen=True, slots=True)
class PrivateUse:
    """What none of the actions does: make owning or using a camera at home illegal."""

    text: str
    basis: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RegulatoryAction:
    """One dated government action naming makers, with its scope said plainly."""

    key: str
    kind: ActionKind
    badge: str
    """A short proper name for a chip: ``Entity List``, ``NDAA §889``."""
    title: str
    jurisdiction: str
    makers: tuple[str, ...]
    covers_affiliates: bool
    """Whether its sources say it reaches the makers' subsidiaries and affiliates."""
    status: ActionStatus
    dates: Mapping[str, str]
    """``announced``, ``adopted``, ``published``, ``effective``: whichever the sources give."""
    scope: str
    sources: tuple[Source, ...]

    @property
    def date(self) -> str:
        """The date the action took effect, else the earliest date known of it."""
        if "effective" in self.dates:
            return self.dates["effective"]
        return min(self.dates.values())


@dataclass(frozen=True, slots=True)
class FirmwareVersion:
    """A firmware string read as numbers and, when it carries one, a build date."""

    text: str
    numbers: tuple[int, ...]
    build: dt.date | None


@dataclass(frozen=True, slots=True)
class Rule:
    """When a firmware is in a vulnerable range: every condition given must hold."""

    verdict: RuleVerdict
    note: str
    models: re.Pattern[str] | None = None
    start: FirmwareVersion | None = None
    """``from``: at or after this version (and build, when both sides have one)."""
    end: FirmwareVersion | None = None
    """``to``: at or before this version (and build)."""
    below: FirmwareVersion | None = None
    """Strictly before this version (the fix)."""
    exact: tuple[str, ...] = ()
    built_from: dt.date | None = None
    built_before: dt.date | None = None
    undated: bool = False
    """Matches only a firmware that carries no build date."""
    any_firmware: bool = False


@dataclass(frozen=True, slots=True)
class Kev:
    """Whether CISA lists a vulnerability as known to be exploited, and since when."""

    listed: bool
    date: str | None
    due: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Vulnerability:
    """A published vulnerability of one maker's firmware and the versions it is known in."""

    cve: str
    maker: str
    title: str
    allows: str
    affected: str
    fixed: str
    advisory: str
    """An https:// link the user can follow (the repair issue's "learn more")."""
    kev: Kev
    rules: tuple[Rule, ...]
    sources: tuple[Source, ...]


type Party = Maker | Brand


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the catalogue knows, loaded once (see :func:`.loader.load_catalog`)."""

    updated: str
    makers: Mapping[str, Maker]
    brands: Mapping[str, Brand]
    ownership: tuple[OwnershipEvent, ...]
    signatures: tuple[Signature, ...]
    private_use: PrivateUse
    actions: tuple[RegulatoryAction, ...]
    vulnerabilities: tuple[Vulnerability, ...]
    names: tuple[tuple[tuple[str, ...], str], ...]
    """(words of a name, maker or brand key), longest names first."""

    def party(self, key: str) -> Party | None:
        """Return the maker or brand with this key."""
        return self.makers.get(key) or self.brands.get(key)

    def party_for_oui_vendor(self, vendor_key: str) -> Party | None:
        """Return the maker or brand whose MAC prefixes ``catalog.vendors`` lists under a key."""
        parties: tuple[Party, ...] = (*self.makers.values(), *self.brands.values())
        return next((p for p in parties if p.oui_vendor == vendor_key), None)

    def party_named(self, words: tuple[str, ...]) -> Party | None:
        """Return the maker or brand a name (as words) begins with, the longest name winning."""
        for name, key in self.names:
            if words[: len(name)] == name:
                return self.party(key)
        return None
