"""Load the maker catalogue from its JSON files, strictly, once.

The files in ``catalog/data`` are the catalogue: updating what is known (a new brand, a new
regulatory action, a new CVE) is an edit of data, never of code. This module and
:mod:`.schema` are their schema:
every object's keys are listed here and nothing else is accepted, every entry must name its
sources with dates, every reference to a maker or brand must resolve, every pattern must
compile. A file that breaks a rule fails to load with :class:`CatalogError` naming the file and
the field, rather than giving a user a half-true answer.

Loading reads files, so it must not run on the event loop: the glue calls :func:`load_catalog`
in an executor (``hass.async_add_executor_job``); the result is cached per directory, so later
calls cost nothing. Why not a JSON Schema library: Home Assistant does not ship one and this
package must not need Home Assistant; the checks below are the few the data needs.
"""

from __future__ import annotations

from collections.abc import Callable
import functools
import json
from pathlib import Path
import re
from typing import Final

from .model import (
    ActionKind,
    ActionStatus,
    Affiliation,
    Brand,
    BrandConfidence,
    Catalog,
    Kev,
    Maker,
    MatchKind,
    OwnershipEvent,
    PrivateUse,
    RegulatoryAction,
    Rule,
    RuleVerdict,
    Signal,
    Signature,
    Vulnerability,
)
from .schema import (
    CatalogError,
    Obj,
    key_of,
    names_of,
    oui_vendor_of,
    sources,
    words,
)

DATA_DIR: Final = Path(__file__).with_name("data")
SCHEMA_VERSION: Final = 1
FILES: Final = ("makers.json", "fingerprints.json", "regulation.json", "vulnerabilities.json")

_CVE: Final = re.compile(r"CVE-\d{4}-\d{4,7}")


def _maker(item: object, where: str) -> Maker:
    obj = Obj(item, where, "key name legal_name names sources", "oui_vendor affiliations note")
    affiliations = []
    for raw, at in obj.objs("affiliations"):
        tie = Obj(raw, at, "maker relation sources", "until")
        until = None if not tie.has("until") else tie.date("until")
        relation = tie.text("relation")
        affiliations.append(Affiliation(key_of(tie, "maker"), until, relation, sources(tie)))
    return Maker(
        key=key_of(obj),
        name=obj.text("name"),
        legal_name=obj.text("legal_name"),
        names=names_of(obj),
        oui_vendor=oui_vendor_of(obj),
        affiliations=tuple(affiliations),
        note=obj.data.get("note") or "",
        sources=sources(obj),
    )


def _brand(item: object, where: str) -> Brand:
    fields = "key name names maker confidence whole_brand scope sources"
    obj = Obj(item, where, fields, "oui_vendor")
    confidence = obj.choice("confidence", BrandConfidence)
    maker = None if obj.data["maker"] is None else key_of(obj, "maker")
    if (maker is None) != (confidence is BrandConfidence.UNKNOWN):
        raise CatalogError(f"{obj.at('maker')}: no maker exactly when the confidence is unknown")
    return Brand(
        key=key_of(obj),
        name=obj.text("name"),
        names=names_of(obj),
        maker=maker,
        confidence=confidence,
        whole_brand=obj.flag("whole_brand"),
        scope=obj.text("scope"),
        oui_vendor=oui_vendor_of(obj),
        sources=sources(obj),
    )


def _signature(item: object, where: str) -> Signature:
    obj = Obj(item, where, "key signal match value party sources", "note")
    match = obj.choice("match", MatchKind)
    return Signature(
        key=key_of(obj),
        signal=obj.choice("signal", Signal),
        match=match,
        value=obj.text("value"),
        party=key_of(obj, "party"),
        note=obj.data.get("note") or "",
        sources=sources(obj),
        pattern=obj.pattern("value") if match is MatchKind.REGEX else None,
    )


def _action(item: object, where: str) -> RegulatoryAction:
    fields = "key kind badge title jurisdiction makers covers_affiliates status dates scope sources"
    obj = Obj(item, where, fields)
    dates = Obj(obj.data["dates"], obj.at("dates"), "", "announced adopted published effective")
    if not dates.data:
        raise CatalogError(f"{dates.where}: at least one date")
    kind, status = obj.choice("kind", ActionKind), obj.choice("status", ActionStatus)
    if (kind is ActionKind.PROPOSAL) != (status is ActionStatus.PROPOSED):
        raise CatalogError(f"{obj.at('status')}: a proposal is exactly what is not in force")
    return RegulatoryAction(
        key=key_of(obj),
        kind=kind,
        badge=obj.text("badge"),
        title=obj.text("title"),
        jurisdiction=obj.text("jurisdiction"),
        makers=obj.texts("makers"),
        covers_affiliates=obj.flag("covers_affiliates"),
        status=status,
        dates={name: dates.date(name) for name in sorted(dates.data)},
        scope=obj.text("scope"),
        sources=sources(obj),
    )


_CONDITIONS: Final = "models from to below exact built_from built_before undated any"


def _rule(item: object, where: str) -> Rule:
    obj = Obj(item, where, "verdict note", _CONDITIONS)
    if not set(obj.data) & (set(_CONDITIONS.split()) - {"models"}):
        raise CatalogError(f"{where}: a rule needs a firmware condition (or any: true)")
    for flag in ("undated", "any"):
        if obj.has(flag) and not obj.flag(flag):
            raise CatalogError(f"{obj.at(flag)}: write it as true or leave it out")
    return Rule(
        verdict=obj.choice("verdict", RuleVerdict),
        note=obj.text("note"),
        models=obj.pattern("models"),
        start=obj.firmware("from"),
        end=obj.firmware("to"),
        below=obj.firmware("below"),
        exact=obj.texts("exact"),
        built_from=obj.day("built_from"),
        built_before=obj.day("built_before"),
        undated=obj.has("undated"),
        any_firmware=obj.has("any"),
    )


def _vulnerability(item: object, where: str) -> Vulnerability:
    fields = "cve maker title allows affected fixed advisory kev rules sources"
    obj = Obj(item, where, fields)
    cve = obj.text("cve")
    if not _CVE.fullmatch(cve):
        raise CatalogError(f"{obj.at('cve')}: {cve!r} is not a CVE id")
    if not obj.text("advisory").startswith("https://"):
        raise CatalogError(f"{obj.at('advisory')}: the advisory link is an https:// address")
    kev_obj = Obj(obj.data["kev"], obj.at("kev"), "listed sources", "date due")
    listed = kev_obj.flag("listed")
    if listed and not kev_obj.has("date"):
        raise CatalogError(f"{kev_obj.at('date')}: a KEV listing has a date")
    kev = Kev(
        listed,
        kev_obj.date("date") if kev_obj.has("date") else None,
        kev_obj.date("due") if kev_obj.has("due") else None,
        sources(kev_obj),
    )
    rules = tuple(_rule(raw, at) for raw, at in obj.objs("rules"))
    if not rules:
        raise CatalogError(f"{obj.at('rules')}: at least one rule")
    return Vulnerability(
        cve=cve,
        maker=key_of(obj, "maker"),
        title=obj.text("title"),
        allows=obj.text("allows"),
        affected=obj.text("affected"),
        fixed=obj.text("fixed"),
        advisory=obj.text("advisory"),
        kev=kev,
        rules=rules,
        sources=sources(obj),
    )


def _read(directory: Path, name: str, keys: str) -> Obj:
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CatalogError(f"{name}: cannot be read: {err}") from None
    top = Obj(data, name, f"schema updated {keys}")
    if top.data["schema"] != SCHEMA_VERSION:
        raise CatalogError(f"{name}.schema: expected {SCHEMA_VERSION}")
    top.date("updated")
    return top


def _unique[T](items: list[T], key: Callable[[T], str], where: str) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        if (name := key(item)) in found:
            raise CatalogError(f"{where}: {name!r} is listed twice")
        found[name] = item
    return found


def _check_references(catalog: Catalog) -> None:
    """Every maker, brand and MAC-vendor reference resolves; no name or vendor is claimed twice."""
    makers, parties = set(catalog.makers), set(catalog.makers) | set(catalog.brands)
    if overlap := sorted(set(catalog.makers) & set(catalog.brands)):
        raise CatalogError(f"makers.json: {overlap[0]!r} is both a maker and a brand")

    def known(key: str, allowed: set[str], where: str) -> None:
        if key not in allowed:
            raise CatalogError(f"{where}: {key!r} is not in the catalogue")

    for maker in catalog.makers.values():
        for tie in maker.affiliations:
            known(tie.maker, makers, f"makers.json {maker.key}.affiliations")
    for brand in catalog.brands.values():
        if brand.maker is not None:
            known(brand.maker, makers, f"makers.json {brand.key}.maker")
    for event in catalog.ownership:
        known(event.party, parties, "makers.json ownership")
    for signature in catalog.signatures:
        known(signature.party, parties, f"fingerprints.json {signature.key}.party")
    for action in catalog.actions:
        for key in action.makers:
            known(key, makers, f"regulation.json {action.key}.makers")
    for vulnerability in catalog.vulnerabilities:
        known(vulnerability.maker, makers, f"vulnerabilities.json {vulnerability.cve}.maker")
    everyone: tuple[Maker | Brand, ...] = (*catalog.makers.values(), *catalog.brands.values())
    vendors = [p.oui_vendor for p in everyone]
    claimed = [v for v in vendors if v is not None]
    if len(claimed) != len(set(claimed)):
        raise CatalogError("makers.json: a catalog.vendors key is claimed twice")
    names = [name for name, _ in catalog.names]
    if len(names) != len(set(names)):
        raise CatalogError("makers.json: a name is given to two makers or brands")


def parse_catalog(directory: Path) -> Catalog:
    """Read and check every file; raise :class:`CatalogError` at the first broken rule."""
    makers_file = _read(directory, "makers.json", "makers brands ownership")
    prints_file = _read(directory, "fingerprints.json", "fingerprints")
    rules_file = _read(directory, "regulation.json", "private_use actions")
    vulns_file = _read(directory, "vulnerabilities.json", "vulnerabilities")

    makers = _unique(
        [_maker(i, w) for i, w in makers_file.objs("makers")], lambda m: m.key, "makers"
    )
    brands = _unique(
        [_brand(i, w) for i, w in makers_file.objs("brands")], lambda b: b.key, "brands"
    )
    ownership = []
    for item, where in makers_file.objs("ownership"):
        obj = Obj(item, where, "party date event sources")
        ownership.append(
            OwnershipEvent(key_of(obj, "party"), obj.date("date"), obj.text("event"), sources(obj))
        )
    signatures = _unique(
        [_signature(i, w) for i, w in prints_file.objs("fingerprints")],
        lambda s: s.key,
        "fingerprints",
    )
    private = Obj(
        rules_file.data["private_use"], "regulation.json.private_use", "text basis sources"
    )
    actions = _unique(
        [_action(i, w) for i, w in rules_file.objs("actions")], lambda a: a.key, "actions"
    )
    vulnerabilities = _unique(
        [_vulnerability(i, w) for i, w in vulns_file.objs("vulnerabilities")],
        lambda v: v.cve,
        "vulnerabilities",
    )
    names = [(words(name), m.key) for m in makers.values() for name in m.names]
    names += [(words(name), b.key) for b in brands.values() for name in b.names]
    names.sort(key=lambda item: -len(item[0]))
    updated = max(f.data["updated"] for f in (makers_file, prints_file, rules_file, vulns_file))
    catalog = Catalog(
        updated=updated,
        makers=makers,
        brands=brands,
        ownership=tuple(ownership),
        signatures=tuple(signatures.values()),
        private_use=PrivateUse(private.text("text"), private.text("basis"), sources(private)),
        actions=tuple(sorted(actions.values(), key=lambda a: a.date)),
        vulnerabilities=tuple(vulnerabilities.values()),
        names=tuple(names),
    )
    _check_references(catalog)
    return catalog


@functools.cache
def load_catalog(directory: Path = DATA_DIR) -> Catalog:
    """Return the catalogue, read once per directory; blocking I/O: call it in an executor."""
    return parse_catalog(directory)
