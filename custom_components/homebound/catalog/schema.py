"""The catalogue files' schema: a strict reader of JSON objects and the checks entries share.

Every object's keys are declared by the parser that reads it (required and optional); any
other key, a missing one, a wrong type, a date that is not a calendar date, an entry without a
dated source, is a :class:`CatalogError` that names the file and the field.
"""

from __future__ import annotations

from collections.abc import Callable
import datetime as dt
import re
from typing import Any, Final, cast

from .firmware import parse_firmware
from .model import FirmwareVersion, Source
from .vendors import VENDORS

_DATE: Final = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_KEY: Final = re.compile(r"[a-z][a-z0-9_]*")
_NOT_WORD: Final = re.compile(r"[^0-9a-z]+")


class CatalogError(ValueError):
    """The catalogue data breaks its schema; the message names the file and the field."""


def words(text: str) -> tuple[str, ...]:
    """Split a name into lower-case words: ``Hikvision.China`` -> ``("hikvision", "china")``."""
    return tuple(_NOT_WORD.sub(" ", text.lower()).split())


class Obj:
    """One JSON object being read: its keys are checked against the allowed ones."""

    def __init__(self, data: object, where: str, required: str, optional: str = "") -> None:
        """Check that ``data`` is an object with the ``required`` keys, others ``optional``."""
        if not isinstance(data, dict):
            raise CatalogError(f"{where}: expected an object")
        self.data: dict[str, Any] = data
        self.where = where
        allowed = set(required.split()) | set(optional.split())
        if unknown := sorted(set(data) - allowed):
            raise CatalogError(f"{where}: unknown key {unknown[0]!r}")
        if missing := sorted(set(required.split()) - set(data)):
            raise CatalogError(f"{where}: missing {missing[0]!r}")

    def at(self, key: str) -> str:
        """Return where ``key`` is, for messages."""
        return f"{self.where}.{key}"

    def has(self, key: str) -> bool:
        """Return whether the object has ``key``."""
        return key in self.data

    def text(self, key: str, default: str | None = None) -> str:
        """Return a non-empty text field."""
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{self.at(key)}: expected non-empty text")
        return value

    def maybe_text(self, key: str) -> str | None:
        """Return a text field, None when it is absent or null."""
        return None if self.data.get(key) is None else self.text(key)

    def texts(self, key: str) -> tuple[str, ...]:
        """Return a list of non-empty texts (empty when absent)."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise CatalogError(f"{self.at(key)}: expected a list of non-empty texts")
        return tuple(cast(list[str], value))

    def flag(self, key: str, default: bool | None = None) -> bool:
        """Return a true/false field."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise CatalogError(f"{self.at(key)}: expected true or false")
        return value

    def date(self, key: str) -> str:
        """Return a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` field."""
        return check_date(self.text(key), self.at(key))

    def day(self, key: str) -> dt.date | None:
        """Return a ``YYYY-MM-DD`` field as a date, None when absent."""
        if key not in self.data:
            return None
        try:
            return dt.date.fromisoformat(self.text(key))
        except ValueError:
            raise CatalogError(f"{self.at(key)}: expected a day (YYYY-MM-DD)") from None

    def objs(self, key: str) -> list[tuple[object, str]]:
        """Return the items of a list field, each with where it is."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise CatalogError(f"{self.at(key)}: expected a list")
        return [(item, f"{self.at(key)}[{i}]") for i, item in enumerate(value)]

    def choice[E](self, key: str, kind: Callable[[str], E]) -> E:
        """Return a field that must be one of an enumeration's values."""
        try:
            return kind(self.text(key))
        except ValueError:
            raise CatalogError(f"{self.at(key)}: {self.data[key]!r} is not allowed") from None

    def pattern(self, key: str) -> re.Pattern[str] | None:
        """Return a regular expression field compiled (case-insensitive), None when absent."""
        if key not in self.data:
            return None
        try:
            return re.compile(self.text(key), re.IGNORECASE)
        except re.error as err:
            raise CatalogError(f"{self.at(key)}: not a regular expression: {err}") from None

    def firmware(self, key: str) -> FirmwareVersion | None:
        """Return a firmware version field, None when absent."""
        if key not in self.data:
            return None
        version = parse_firmware(self.text(key))
        if version is None:
            raise CatalogError(f"{self.at(key)}: not a firmware version")
        return version


def check_date(text: str, where: str) -> str:
    """Return ``text`` if it is a ``YYYY``, ``YYYY-MM`` or calendar day."""
    if not _DATE.fullmatch(text):
        raise CatalogError(f"{where}: {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise CatalogError(f"{where}: {text!r} is not a calendar date") from None
    return text


def sources(obj: Obj) -> tuple[Source, ...]:
    """Return an entry's sources: at least one, each with a reference and a date."""
    found = []
    for item, where in obj.objs("sources"):
        source = Obj(item, where, "ref date")
        found.append(Source(source.text("ref"), source.date("date")))
    if not found:
        raise CatalogError(f"{obj.at('sources')}: every entry names at least one source")
    return tuple(found)


def key_of(obj: Obj, key: str = "key") -> str:
    """Return a lower-case key field."""
    value = obj.text(key)
    if not _KEY.fullmatch(value):
        raise CatalogError(f"{obj.at(key)}: {value!r} is not a lower-case key")
    return value


def names_of(obj: Obj) -> tuple[str, ...]:
    """Return the names field, each already in lower-case words."""
    names = obj.texts("names")
    for name in names:
        if " ".join(words(name)) != name:
            raise CatalogError(f"{obj.at('names')}: {name!r} is not in lower-case words")
    return names


def oui_vendor_of(obj: Obj) -> str | None:
    """Return the ``catalog.vendors`` key a party claims, if any (it must exist)."""
    vendor = obj.maybe_text("oui_vendor")
    if vendor is not None and vendor not in {v.key for v in VENDORS}:
        raise CatalogError(f"{obj.at('oui_vendor')}: {vendor!r} is not a catalog.vendors key")
    return vendor
