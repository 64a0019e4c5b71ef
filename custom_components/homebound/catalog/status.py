"""What governments did about a camera's maker, said plainly, and the household summary.

The status lists the catalogue's dated actions that name the maker (or reached it through an
affiliation, such as Huacheng/Imou while it was Dahua's subsidiary), each with its scope and
sources, and always the reminder that none of them makes owning or using the camera at home
illegal. A camera whose maker is not established gets no actions at all: a suspected maker is
never shown as the maker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .firmware import FirmwareReport, Verdict
from .identify import Confidence, Identification
from .model import ActionKind, ActionStatus, Catalog, OwnershipEvent, RegulatoryAction

_BADGE_ORDER: Final = {
    ActionKind.ENTITY_LIST: 0,
    ActionKind.NDAA_889: 1,
    ActionKind.FCC_COVERED_LIST: 2,
    ActionKind.STATE: 3,
    ActionKind.FOREIGN_GOVERNMENT: 4,
    ActionKind.PROPOSAL: 5,
}
US_FEDERAL: Final = frozenset(
    {ActionKind.ENTITY_LIST, ActionKind.NDAA_889, ActionKind.FCC_COVERED_LIST}
)


class StatusState(StrEnum):
    """The state of the Maker status sensor (an enum: each value is translated)."""

    LISTED = "listed"
    """Government actions in force name the maker."""
    AFFILIATE = "affiliate"
    """Actions reached the maker through an affiliation (see the actions' notes)."""
    NONE_KNOWN = "none_known"
    """The catalogue knows no action naming the maker."""
    UNKNOWN_MAKER = "unknown_maker"
    """The maker is not established, so nothing is said."""


@dataclass(frozen=True, slots=True)
class StatusAction:
    """An action as it applies to this camera's maker."""

    action: RegulatoryAction
    via: str | None = None
    """The affiliated maker the action names, when it reaches this maker through it."""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """For the sensor's attributes and diagnostics."""
        action = self.action
        return {
            "key": action.key,
            "kind": action.kind.value,
            "badge": action.badge,
            "title": action.title,
            "jurisdiction": action.jurisdiction,
            "date": action.date,
            "dates": dict(action.dates),
            "status": action.status.value,
            "scope": action.scope,
            "via": self.via,
            "note": self.note,
            "sources": [f"{s.ref} ({s.date})" for s in action.sources],
        }


@dataclass(frozen=True, slots=True)
class MakerStatus:
    """Everything the Maker status sensor shows for one camera."""

    state: StatusState
    identification: Identification
    actions: tuple[StatusAction, ...]
    """In force, direct and through affiliations, badge order then date."""
    proposals: tuple[StatusAction, ...]
    ownership: tuple[OwnershipEvent, ...]
    private_use: str
    catalog_date: str

    @property
    def badges(self) -> tuple[str, ...]:
        """Short names of the actions in force that name the maker itself, once each."""
        return tuple(dict.fromkeys(a.action.badge for a in self.actions if a.via is None))

    @property
    def summary(self) -> str:
        """Return ``Entity List · NDAA §889 · FCC Covered List``, or "" when nothing names it.

        The US federal actions naming the maker, else every action's badge.
        """
        federal = dict.fromkeys(
            a.action.badge for a in self.actions if a.via is None and a.action.kind in US_FEDERAL
        )
        return " · ".join(federal or self.badges)

    @property
    def covered(self) -> bool:
        """Whether a US federal action in force names the maker itself."""
        return any(a.via is None and a.action.kind in US_FEDERAL for a in self.actions)

    def attributes(self) -> dict[str, Any]:
        """Return the sensor's state attributes (names proposed for the glue and the card)."""
        ident = self.identification
        return {
            "maker": ident.maker.name if ident.maker else None,
            "maker_key": ident.maker.key if ident.maker else None,
            "sold_as": ident.sold_as,
            "brand": ident.brand.name if ident.brand else None,
            "confidence": ident.confidence.value,
            "badges": list(self.badges),
            "summary": self.summary,
            "covered": self.covered,
            "actions": [a.as_dict() for a in self.actions],
            "proposals": [a.as_dict() for a in self.proposals],
            "ownership": [
                {"party": e.party, "date": e.date, "event": e.event} for e in self.ownership
            ],
            "home_use": self.private_use,
            "catalog_date": self.catalog_date,
        }


def _ordered(items: Iterable[StatusAction]) -> tuple[StatusAction, ...]:
    return tuple(sorted(items, key=lambda a: (_BADGE_ORDER[a.action.kind], a.action.date)))


def maker_status(catalog: Catalog, identification: Identification) -> MakerStatus:
    """Return the regulatory status of the camera's maker, each action with scope and sources."""
    maker = identification.maker
    direct: list[StatusAction] = []
    related: list[StatusAction] = []
    parties: set[str] = set()
    if maker is not None:
        parties.add(maker.key)
        direct = [StatusAction(a) for a in catalog.actions if maker.key in a.makers]
        for tie in maker.affiliations:
            parties.add(tie.maker)
            parent = catalog.makers[tie.maker]
            period = f" until {tie.until}" if tie.until else ""
            note = (
                f"Names {parent.name} and its subsidiaries and affiliates; {maker.name} was one"
                f"{period}. Whether it still applies after that is not established."
            )
            related += [
                StatusAction(a, tie.maker, note)
                for a in catalog.actions
                if tie.maker in a.makers and a.covers_affiliates
            ]
    if identification.brand is not None:
        parties.add(identification.brand.key)
    in_force = [a for a in (*direct, *related) if a.action.status is ActionStatus.IN_FORCE]
    proposed = [a for a in direct if a.action.status is ActionStatus.PROPOSED]
    if maker is None:
        state = StatusState.UNKNOWN_MAKER
    elif any(a.via is None for a in in_force):
        state = StatusState.LISTED
    elif in_force:
        state = StatusState.AFFILIATE
    else:
        state = StatusState.NONE_KNOWN
    return MakerStatus(
        state=state,
        identification=identification,
        actions=_ordered(in_force),
        proposals=_ordered(proposed),
        ownership=tuple(e for e in catalog.ownership if e.party in parties),
        private_use=catalog.private_use.text,
        catalog_date=catalog.updated,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """The household figures for the summary sensor on the Homebound service device."""

    cameras: int
    covered: int
    """Cameras whose maker a US federal action names (Entity List, NDAA §889, FCC)."""
    known_exploited: int
    """Cameras on firmware known vulnerable to a CVE CISA lists as exploited."""
    known_vulnerable: int
    possibly_vulnerable: int
    unknown_maker: int
    """Cameras whose maker could not be established."""


def summarize(cameras: Iterable[tuple[MakerStatus, FirmwareReport]]) -> Summary:
    """Count the covered makers and vulnerable firmwares among the user's cameras."""
    counts = {"cameras": 0, "covered": 0, "exploited": 0, "known": 0, "possible": 0, "unknown": 0}
    for status, report in cameras:
        counts["cameras"] += 1
        counts["covered"] += status.covered
        counts["exploited"] += report.known_exploited
        counts["known"] += bool(report.known)
        counts["possible"] += not report.known and any(
            f.verdict is Verdict.POSSIBLE for f in report.findings
        )
        counts["unknown"] += status.identification.confidence is Confidence.UNKNOWN
    return Summary(
        cameras=counts["cameras"],
        covered=counts["covered"],
        known_exploited=counts["exploited"],
        known_vulnerable=counts["known"],
        possibly_vulnerable=counts["possible"],
        unknown_maker=counts["unknown"],
    )
