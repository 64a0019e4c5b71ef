"""Parsing what cameras send as XML, safely.

Event bodies come from devices on the LAN that must be presumed compromised (these are cameras
with known backdoors): parsing must not expand entities (billion laughs), read DTDs or the
network (external entities), or grow without bound. Documents with a DOCTYPE are refused
outright — no camera event needs one — and every document is size-limited before lxml sees it.
"""

from __future__ import annotations

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


class UnsafeXmlError(ValueError):
    """The document is too large, declares a DTD, or is not well-formed XML."""


def parse_xml(data: bytes) -> etree._Element:
    """Parse one small, DTD-free XML document; raise UnsafeXmlError otherwise."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXmlError(f"{len(data)} bytes is more than an event document may have")
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeXmlError("event documents may not declare a DTD or entities")
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise UnsafeXmlError(f"not well-formed XML: {err}") from err
    if root is None:
        raise UnsafeXmlError("empty document")
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
