"""Hikvision ISAPI settings documents: their factory defaults, and how a PUT changes them.

Each settings resource is kept as the XML document ``GET`` answers (an lxml tree), and a
``PUT`` body is merged into it the way firmwares merge: element by element, matched by local
name and position, so a client may send the whole document or only the fields it changes
(``<EZVIZ><enabled>false</enabled></EZVIZ>``, as logicblocks does). An empty list element in
the body (``<portList/>``) empties the list; status fields (``registerStatus``, ``bindStatus``,
``id``) keep what the camera knows; ``enabled`` must be ``true`` or ``false`` and ports numbers.

Shapes and defaults, from ../shared/reference/vendor_cloud.md (§1.1, §5.1) unless marked:
EZVIZ (Hik-Connect) on, registering at ``litedev.hik-connect.com``; ISUP/Ehome off at port 7660
with protocol v5.0; UPnP on, mapping HTTP, RTSP and the SDK port 8000 (that it ships on is an
assumption: the reference says only that logicblocks keeps UPnP on and mapping off); DDNS off
with provider HiDDNS at ``www.hik-online.com``:80; the picture server (cloud storage) off — its
element names are assumed, the reference gives the path only. NTP is not a document here: the
``time`` resources read and write the camera's ``NetworkSettings`` (``isapi_settings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from lxml import etree

if TYPE_CHECKING:
    from ..state import CameraState

HIKVISION_NS: Final = "http://www.hikvision.com/ver20/XMLSchema"
ISAPI_NS: Final = "http://www.isapi.org/ver20/XMLSchema"
"""The namespace the reference's EZVIZ capture carries (newer firmwares use it throughout)."""
READ_ONLY: Final = frozenset({"registerStatus", "bindStatus", "id"})
BOOLEANS: Final = frozenset({"enabled"})
NUMBERS: Final = frozenset({"portNo", "internalPort", "externalPort", "synchronizeInterval"})
HIK_CONNECT_SERVER: Final = "litedev.hik-connect.com"
HIDDNS_SERVER: Final = "www.hik-online.com"
HIKVISION_NTP: Final = "time.ys7.com"
"""The NTP server EZVIZ/Hikvision consumer firmware ships with (reference §1.1, Blanchfield)."""

type Tree = tuple[str, str | list[Tree]]
"""(tag, text or children): a document written as data."""


class DocumentError(ValueError):
    """A PUT body that is not a document of this resource (``badXmlContent``)."""


def build(tree: Tree, namespace: str, *, root: bool = True) -> etree._Element:
    """Turn a ``Tree`` into an element in ``namespace`` (the root carries ``version``)."""
    tag, content = tree
    element = etree.Element(f"{{{namespace}}}{tag}", nsmap={None: namespace})
    if root:
        element.set("version", "2.0")
    if isinstance(content, str):
        element.text = content
    else:
        for child in content:
            element.append(build(child, namespace, root=False))
    return element


def _server(host: str, port: str | None = None) -> list[Tree]:
    address: list[Tree] = [("addressingFormatType", "hostname"), ("hostName", host)]
    return [*address, *([("portNo", port)] if port else [])]


def defaults(state: CameraState) -> dict[str, etree._Element]:
    """Return the settings documents of a camera out of the box, by resource name."""
    config = state.config
    port = str(state.onvif_port or 80)
    ezviz: Tree = (
        "EZVIZ",
        [
            ("enabled", "true"),
            ("registerStatus", "false"),
            ("serverAddress", _server(HIK_CONNECT_SERVER)),
            ("verificationCode", "HBSIMX"),
            ("bindStatus", "unbind"),
        ],
    )
    ehome: Tree = (
        "Ehome",
        [
            ("enabled", "false"),
            ("addressingFormatType", "ipaddress"),
            ("hostName", ""),
            ("ipAddress", "0.0.0.0"),
            ("portNo", "7660"),
            ("deviceID", ""),
            ("registerStatus", "false"),
            ("key", ""),
            ("protocolVersion", "v5.0"),
        ],
    )
    upnp: Tree = ("UPnP", [("enabled", "true"), ("name", f"{config.model} - {config.serial}")])
    mappings = [("HTTP", port), ("RTSP", "554"), ("SDK", "8000")]
    ports: Tree = (
        "ports",
        [
            ("enabled", "true"),
            ("mapmode", "auto"),
            (
                "portList",
                [
                    (
                        "port",
                        [
                            ("id", str(number)),
                            ("enabled", "true"),
                            ("internalPort", inner),
                            ("externalPort", inner),
                            ("protocol", protocol),
                        ],
                    )
                    for number, (protocol, inner) in enumerate(mappings, start=1)
                ],
            ),
        ],
    )
    ddns: Tree = (
        "DDNS",
        [
            ("id", "1"),
            ("enabled", "false"),
            ("provider", "HiDDNS"),
            ("serverAddress", _server(HIDDNS_SERVER)),
            ("portNo", "80"),
            ("deviceDomainName", config.serial.lower()[-9:]),
        ],
    )
    picture: Tree = (
        "PictureServer",
        [
            ("id", "1"),
            ("enabled", "false"),
            ("pictureServerType", "cloudStorage"),
            *_server("", "80"),
        ],
    )
    return {
        "System/Network/EZVIZ": build(ezviz, ISAPI_NS),
        "System/Network/Ehome": build(ehome, ISAPI_NS),
        "System/Network/UPnP": build(upnp, HIKVISION_NS),
        "System/Network/UPnP/ports": build(ports, HIKVISION_NS),
        "System/Network/DDNS": build(ddns, HIKVISION_NS),
        "System/PictureServer": build(picture, HIKVISION_NS),
    }


def local(element: etree._Element) -> str:
    """Return the local name of an element."""
    return etree.QName(element).localname


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def _check(name: str, text: str) -> str:
    value = text.strip()
    if name in BOOLEANS and value not in {"true", "false"}:
        raise DocumentError(f"{name} must be true or false, not {value!r}")
    if name in NUMBERS and not (value.isascii() and value.isdigit()):
        raise DocumentError(f"{name} must be a number, not {value!r}")
    return value


def merge(stored: etree._Element, given: etree._Element) -> etree._Element:
    """Return a copy of ``stored`` with what ``given`` sets (DocumentError if it is wrong).

    The copy is made first and returned whole, so a body that fails half-way changes nothing.
    """
    if local(given) != local(stored):
        raise DocumentError(f"expected <{local(stored)}>, got <{local(given)}>")
    result = etree.fromstring(etree.tostring(stored))
    _merge_into(result, given)
    return result


def _merge_into(stored: etree._Element, given: etree._Element) -> None:
    seen: dict[str, int] = {}
    for child in _elements(given):
        name = local(child)
        index = seen.get(name, 0)
        seen[name] = index + 1
        matches = [element for element in _elements(stored) if local(element) == name]
        if index >= len(matches):
            continue  # an element this firmware does not have: ignored, as firmwares do
        target = matches[index]
        target_children = _elements(target)
        if not target_children:
            if name not in READ_ONLY:
                target.text = _check(name, child.text or "")
        elif not _elements(child):
            if len({local(element) for element in target_children}) == 1:
                for element in target_children:  # an emptied list (<portList/>)
                    target.remove(element)
        else:
            _merge_into(target, child)


@dataclass(frozen=True, slots=True)
class Status:
    """An ISAPI ``ResponseStatus``: what a PUT or a refusal answers."""

    http: int
    code: int
    string: str
    sub: str

    def document(self, url: str) -> bytes:
        """Return the ResponseStatus XML for a request to ``url``."""
        tree: Tree = (
            "ResponseStatus",
            [
                ("requestURL", url),
                ("statusCode", str(self.code)),
                ("statusString", self.string),
                ("subStatusCode", self.sub),
            ],
        )
        return etree.tostring(build(tree, HIKVISION_NS), xml_declaration=True, encoding="UTF-8")


OK: Final = Status(200, 1, "OK", "ok")
LOW_PRIVILEGE: Final = Status(403, 4, "Invalid Operation", "lowPrivilege")
NOT_SUPPORTED: Final = Status(404, 4, "Invalid Operation", "notSupport")
BAD_FORMAT: Final = Status(400, 5, "Invalid XML Format", "badXmlFormat")
BAD_CONTENT: Final = Status(400, 6, "Invalid XML Content", "badXmlContent")
