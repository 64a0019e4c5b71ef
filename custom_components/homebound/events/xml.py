"""Parsing what cameras send as XML, safely.

Event bodies come from devices on the LAN that must be presumed compromised (these are cameras
with known backdoors): parsing must not expand entities (billion laughs), read DTDs or the
network (external entities), or grow without bound. Documents with a DOCTYPE are refused
outright — no camera event needs one — and every document is size-limited before lxml sees it.
The DTD screen is a byte search, so documents in an encoding that does not spell markup in
ASCII bytes (UTF-16, UTF-32, UTF-7, EBCDIC) are refused before it: no camera sends them.
"""

from __future__ import annotations

import re
from typing import Final

from lxml import etree

MAX_XML_BYTES: Final = 256 * 1024
"""Largest event document accepted (real ones are a few kilobytes)."""

_PARSER: Final = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
)


_WIDE_MARKS: Final = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"+/v", b"\x4c\x6f\xa7\x94")
"""Byte order marks of UTF-16/32 and UTF-7, and EBCDIC's ``<?xm``."""
_ENCODING: Final = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
_ASCII_ENCODINGS: Final = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "latin-1", "latin1"}
    | {f"iso-8859-{n}" for n in range(1, 16)}
    | {f"windows-{n}" for n in range(1250, 1259)}
)


class UnsafeXmlError(ValueError):
    """The document is too large, declares a DTD, or is not well-formed XML."""


def _ascii_compatible(data: bytes) -> bool:
    """Whether the document's bytes spell markup in ASCII (so a byte search can screen it).

    UTF-16 and UTF-32 (with or without a byte order mark), UTF-7 and EBCDIC spell
    ``<!DOCTYPE`` in other bytes: a byte search passes them, and lxml decodes them as the
    declaration says. No camera sends them, so they are refused.
    """
    if data.startswith(_WIDE_MARKS) or b"\x00" in data[:4096]:
        return False
    declared = _ENCODING.match(data)
    return declared is None or declared.group(1).decode("ascii").lower() in _ASCII_ENCODINGS


def parse_xml(data: bytes) -> etree._Element:
    """Parse one small, DTD-free XML document; raise UnsafeXmlError otherwise."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXmlError(f"{len(data)} bytes is more than an event document may have")
    if not _ascii_compatible(data):
        raise UnsafeXmlError("event documents must be UTF-8 (or another ASCII-based encoding)")
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise UnsafeXmlError("event documents may not declare a DTD or entities")
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise UnsafeXmlError(f"not well-formed XML: {err}") from err
    if root is None:
        raise UnsafeXmlError("empty document")
    if root.getroottree().docinfo.doctype:
        raise UnsafeXmlError("event documents may not declare a DTD")  # screened above; twice
    return root


def local(tag: object) -> str:
    """Return the local name of an element tag (without namespace)."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def child_text(element: etree._Element, name: str) -> str | None:
    """Return the text of the first descendant with this local name (None if there is none)."""
    for node in element.iter():
        if isinstance(node.tag, str) and local(node.tag) == name:
            return (node.text or "").strip()
    return None
