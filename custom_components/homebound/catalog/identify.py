"""Who really made a camera: its ONVIF name, its MAC prefix and its firmware's fingerprint, weighed.

Three kinds of evidence, strongest first:

* **firmware** — what the camera's software gives away in answers it sends anyway: a vendor
  API that answered (ISAPI, Dahua CGI), its HTTP ``Server`` header, the realm of its 401, its web
  root, its RTSP ``Server``, or an ONVIF manufacturer string only one firmware uses (``H264``);
* **name** — the ONVIF manufacturer it reports: a maker's own name, or a brand whose maker the
  catalogue documents for the whole brand;
* **MAC** — the maker whose MA-L prefix the network saw (the caller passes a MAC the *network*
  observed, never the camera's own report, which it can forge; None when there is none).

The strongest kind that names a maker decides; weaker evidence that points elsewhere is kept as
a conflict, and two firmware signals naming different makers decide nothing. A brand whose maker
is only inferred or unverified never becomes a maker by its name alone: such a camera is "maker
unknown" until its firmware or MAC says more, and the evidence says what is suspected. Nothing
here talks to the camera; :mod:`..device.fingerprint` collects the observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final
import unicodedata

from .mac import vendor_for_mac
from .model import Brand, Catalog, Maker, Party, Signal, Signature, Source
from .schema import words
from .vendors import VENDORS

MAX_OBSERVED: Final = 120
MAX_PAGE: Final = 16 * 1024
STORED_PAGE: Final = 4 * 1024
"""How much of the web root a stored fingerprint keeps (its marks are near the top)."""
_OUI_REGISTRANT: Final = {vendor.key: vendor.name for vendor in VENDORS}
_NOT_A_NAME: Final = frozenset({"", "unknown", "onvif", "ipcam", "ip camera", "manufacturer"})
_TIER: Final = {
    Signal.VENDOR_API: 3,
    Signal.HTTP_SERVER: 2,
    Signal.REALM: 2,
    Signal.ROOT_PAGE: 2,
    Signal.RTSP_SERVER: 2,
    Signal.ONVIF_MANUFACTURER: 1,
}


def clean(text: str | None, limit: int = MAX_OBSERVED) -> str:
    """Camera-supplied text made safe to show: no control characters, one-line, bounded."""
    if not text:
        return ""
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text[: limit * 4])
    return " ".join(kept.split())[:limit]


class Confidence(StrEnum):
    """How sure the conclusion about one camera's maker is."""

    FIRMWARE = "firmware"
    """Inferred from firmware or API answers."""
    DOCUMENTED = "documented"
    """The camera names the maker, or a brand the sources document as the maker's."""
    MAC = "mac"
    """Inferred from the network-observed MAC prefix only."""
    UNKNOWN = "unknown"
    """Not established; nothing is guessed."""


class Strength(StrEnum):
    """What kind of evidence one observation is."""

    FIRMWARE = "firmware"
    NAME = "name"
    MAC = "mac"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a camera's answers showed about its firmware (see ``device.fingerprint``)."""

    http_servers: tuple[str, ...] = ()
    realms: tuple[str, ...] = ()
    root_page: str = ""
    """The web root's text (its body and redirect target), bounded; never shown whole."""
    page_title: str = ""
    rtsp_server: str = ""
    vendor_apis: tuple[str, ...] = ()
    """``isapi`` when /ISAPI/System/deviceInfo answered, ``dahua_cgi`` for magicBox.cgi."""

    def observations(self) -> list[tuple[Signal, str]]:
        """Every observed value with the signal it was read from."""
        found = [(Signal.VENDOR_API, api) for api in self.vendor_apis]
        found += [(Signal.HTTP_SERVER, clean(server)) for server in self.http_servers]
        found += [(Signal.REALM, clean(realm)) for realm in self.realms]
        if self.root_page:
            found.append((Signal.ROOT_PAGE, self.root_page[:MAX_PAGE]))
        if self.rtsp_server:
            found.append((Signal.RTSP_SERVER, clean(self.rtsp_server)))
        return [(signal, value) for signal, value in found if value]

    def as_store(self) -> dict[str, Any]:
        """Return what to keep between restarts (set-up looks once); the page cut short."""
        return {
            "http_servers": list(self.http_servers),
            "realms": list(self.realms),
            "root_page": self.root_page[:STORED_PAGE],
            "page_title": self.page_title,
            "rtsp_server": self.rtsp_server,
            "vendor_apis": list(self.vendor_apis),
        }

    @classmethod
    def from_store(cls, data: object) -> Fingerprint:
        """Rebuild a stored fingerprint; what is malformed is left out, nothing raises."""
        if not isinstance(data, dict):
            return cls()

        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key)
            items = value if isinstance(value, list) else []
            return tuple(clean(item) for item in items[:8] if isinstance(item, str) and item)

        def text(key: str, limit: int) -> str:
            value = data.get(key)
            return value[:limit] if isinstance(value, str) else ""

        return cls(
            http_servers=texts("http_servers"),
            realms=texts("realms"),
            root_page=text("root_page", STORED_PAGE),
            page_title=clean(text("page_title", MAX_OBSERVED)),
            rtsp_server=clean(text("rtsp_server", MAX_OBSERVED)),
            vendor_apis=tuple(a for a in texts("vendor_apis") if a in {"isapi", "dahua_cgi"}),
        )

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics: what was observed (the page by its title only)."""
        return {
            "http_servers": [clean(s) for s in self.http_servers],
            "realms": [clean(r) for r in self.realms],
            "page_title": clean(self.page_title),
            "rtsp_server": clean(self.rtsp_server),
            "vendor_apis": list(self.vendor_apis),
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation, what it points to, and on what authority."""

    strength: Strength
    signal: str
    observed: str
    party: str | None
    """The maker or brand key it points to."""
    maker: str | None
    """The maker it establishes (None when it points to a brand whose maker is not documented)."""
    detail: str
    sources: tuple[Source, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics."""
        return {
            "strength": self.strength.value,
            "signal": self.signal,
            "observed": self.observed,
            "points_to": self.party,
            "maker": self.maker,
            "detail": self.detail,
            "sources": [f"{s.ref} ({s.date})" for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Identification:
    """The conclusion about one camera: real maker, brand on the box, how sure, and why."""

    maker: Maker | None
    brand: Brand | None
    """The brand on the box when it is not the maker's own name."""
    reported: str
    """The manufacturer the camera reported over ONVIF (cleaned)."""
    confidence: Confidence
    evidence: tuple[Evidence, ...] = ()
    conflicts: tuple[Evidence, ...] = ()
    """Evidence that points to another maker than the one concluded."""
    claimed_maker: Maker | None = None
    """The maker the camera names when its firmware shows another one."""
    sold_as: str | None = None
    """The name on the box when the real maker is known and the name is not its own (``LTS``)."""

    @property
    def oem(self) -> bool:
        """Whether the camera is sold under another name than its maker's."""
        return self.maker is not None and self.sold_as is not None

    def manufacturer_label(self) -> str:
        """Return what the device page should say: ``Hikvision (sold as LTS)``, ``Annke``."""
        if self.maker is None:
            return self.brand.name if self.brand is not None else (self.reported or "Unknown")
        if self.claimed_maker is not None:
            return f"{self.maker.name} (reports itself as {self.claimed_maker.name})"
        if self.sold_as is not None:
            return f"{self.maker.name} (sold as {self.sold_as})"
        return self.maker.name

    def as_dict(self) -> dict[str, Any]:
        """For diagnostics: the conclusion and every piece of evidence behind it."""
        return {
            "maker": self.maker.key if self.maker else None,
            "brand": self.brand.key if self.brand else None,
            "sold_as": self.sold_as,
            "reported": self.reported,
            "confidence": self.confidence.value,
            "label": self.manufacturer_label(),
            "evidence": [e.as_dict() for e in self.evidence],
            "conflicts": [e.as_dict() for e in self.conflicts],
        }


def _maker_of(party: Party | None) -> str | None:
    if isinstance(party, Maker):
        return party.key
    if isinstance(party, Brand) and party.establishes_maker:
        return party.maker
    return None


def _brand_detail(party: Party) -> str:
    if isinstance(party, Brand):
        maker = f"maker {party.maker}" if party.maker else "maker not known"
        return f"brand {party.name}: {maker} ({party.confidence.value}); {party.scope}"
    return f"maker {party.name}"


def _signature_evidence(catalog: Catalog, signature: Signature, observed: str) -> Evidence:
    party = catalog.party(signature.party)
    shown = signature.value if signature.signal is Signal.ROOT_PAGE else observed
    detail = signature.note or (_brand_detail(party) if party is not None else signature.party)
    return Evidence(
        Strength.FIRMWARE,
        signature.signal.value,
        clean(shown),
        signature.party,
        _maker_of(party),
        detail,
        signature.sources,
    )


def _firmware_evidence(
    catalog: Catalog, manufacturer: str, fingerprint: Fingerprint
) -> list[Evidence]:
    observations = fingerprint.observations()
    if manufacturer:
        observations.append((Signal.ONVIF_MANUFACTURER, manufacturer))
    return [
        _signature_evidence(catalog, signature, observed)
        for signal, observed in observations
        for signature in catalog.signatures
        if signature.signal is signal and signature.matches(observed)
    ]


def _decide_firmware(found: list[Evidence]) -> tuple[str | None, bool]:
    """(maker, decided): the makers of the strongest tier of firmware evidence that names one."""
    naming = [e for e in found if e.maker is not None]
    if not naming:
        return None, False
    top = max(_TIER[Signal(e.signal)] for e in naming)
    makers = {e.maker for e in naming if _TIER[Signal(e.signal)] == top}
    return (makers.pop(), True) if len(makers) == 1 else (None, True)


def identify(
    catalog: Catalog,
    *,
    manufacturer: str,
    mac: str | None = None,
    fingerprint: Fingerprint | None = None,
) -> Identification:
    """Weigh the evidence about one camera (see the module docstring).

    ``manufacturer`` is the ONVIF GetDeviceInformation manufacturer; ``mac`` a MAC address the
    network observed for the camera (router neighbour table, DHCP), None when there is none.
    """
    vendor = vendor_for_mac(mac) if mac else None
    mac_vendor = vendor.key if vendor is not None else None
    reported = clean(manufacturer)
    fingerprint = fingerprint or Fingerprint()
    evidence = _firmware_evidence(catalog, reported, fingerprint)
    token = any(e.signal == Signal.ONVIF_MANUFACTURER.value for e in evidence)

    named = None if token else catalog.party_named(words(reported))
    if named is not None:
        evidence.append(
            Evidence(
                Strength.NAME,
                "onvif_manufacturer",
                reported,
                named.key,
                _maker_of(named),
                _brand_detail(named),
                named.sources,
            )
        )
    mac_party = catalog.party_for_oui_vendor(mac_vendor) if mac_vendor else None
    if mac_vendor is not None:
        registrant = _OUI_REGISTRANT.get(mac_vendor, mac_vendor)
        evidence.append(
            Evidence(
                Strength.MAC,
                "mac",
                f"MA-L prefix registered to {registrant}",
                mac_party.key if mac_party else None,
                _maker_of(mac_party),
                _brand_detail(mac_party) if mac_party else "not in the maker catalogue",
                mac_party.sources if mac_party else (),
            )
        )

    maker_key, decided = _decide_firmware([e for e in evidence if e.strength is Strength.FIRMWARE])
    confidence = Confidence.FIRMWARE
    if not decided:
        name_maker = next((e.maker for e in evidence if e.strength is Strength.NAME), None)
        mac_maker = next((e.maker for e in evidence if e.strength is Strength.MAC), None)
        if name_maker is not None and mac_maker not in (None, name_maker):
            maker_key, confidence = None, Confidence.UNKNOWN
        elif name_maker is not None:
            maker_key, confidence = name_maker, Confidence.DOCUMENTED
        elif mac_maker is not None:
            maker_key, confidence = mac_maker, Confidence.MAC
    if maker_key is None:
        confidence = Confidence.UNKNOWN

    maker = catalog.makers.get(maker_key) if maker_key else None
    conflicts = tuple(e for e in evidence if e.maker is not None and e.maker != maker_key)
    brand = named if isinstance(named, Brand) else None
    if brand is None and named is None and isinstance(mac_party, Brand):
        brand = mac_party
    claimed = named if isinstance(named, Maker) and maker is not None and named != maker else None
    sold_as = None
    if maker is not None and claimed is None:
        if brand is not None:
            sold_as = brand.name
        elif named is None and not token and reported.lower() not in _NOT_A_NAME:
            sold_as = reported
    return Identification(
        maker=maker,
        brand=brand,
        reported=reported,
        confidence=confidence,
        evidence=tuple(evidence),
        conflicts=conflicts,
        claimed_maker=claimed,
        sold_as=sold_as,
    )
