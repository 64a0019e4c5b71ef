"""Hikvision (and its rebrands') settings that phone home, over ISAPI.

Paths, elements and the partial-document PUTs are those of
../shared/reference/vendor_cloud.md §5.1: Hik-Connect (``/ISAPI/System/Network/EZVIZ``),
ISUP/EHome (``…/Ehome``, written with ``?centerID=1``), UPnP and its port mapping
(``…/UPnP``, ``…/UPnP/ports``), DDNS (``…/DDNS/1``), the picture server / cloud storage
(``/ISAPI/System/PictureServer``) and the time server (``/ISAPI/System/time``,
``…/time/ntpServers/1``). A PUT carries only what changes, in the namespace the camera's own
document uses (``hikvision.com`` or ``isapi.org``, nothing else).

Answers are parsed defensively: bounded (``vendor_http``), no DTD or entities, elements found
by local name whatever their namespace, a value that is neither ``true`` nor ``false`` makes the
setting "unreadable", and the servers a camera names are shown only as clean host names or
addresses (``settings_model.clean_host``). HTTP 403 (``lowPrivilege``) is a read-only user,
404 or ``notSupport`` a setting this model lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
import ipaddress
from typing import TYPE_CHECKING, ClassVar, Final

from lxml import etree

from .errors import CameraError
from .settings_base import SettingsClient
from .settings_model import (
    UNSHOWABLE,
    Outcome,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
    clean_host,
    is_address,
    is_local,
)

if TYPE_CHECKING:
    from .vendor_http import Answer, VendorHttp

HIKVISION_NS: Final = "http://www.hikvision.com/ver20/XMLSchema"
KNOWN_NAMESPACES: Final = frozenset({HIKVISION_NS, "http://www.isapi.org/ver20/XMLSchema"})
TIME: Final = "/ISAPI/System/time"
NTP_SERVER: Final = "/ISAPI/System/time/ntpServers/1"
_PARSER: Final = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


@dataclass(frozen=True, slots=True)
class _Switch:
    """Where one on/off setting lives and what it points at."""

    path: str
    root: str
    servers: tuple[tuple[str, ...], ...] = ()
    phones_home: bool = True
    put_query: str = ""


SWITCHES: Final[dict[SettingId, _Switch]] = {
    SettingId.HIK_CONNECT: _Switch(
        "/ISAPI/System/Network/EZVIZ",
        "EZVIZ",
        (("serverAddress", "hostName"), ("serverAddress", "ipAddress")),
    ),
    SettingId.HIK_ISUP: _Switch(
        "/ISAPI/System/Network/Ehome",
        "Ehome",
        (("hostName",), ("ipAddress",)),
        put_query="?centerID=1",
    ),
    SettingId.HIK_UPNP: _Switch("/ISAPI/System/Network/UPnP", "UPnP", phones_home=False),
    SettingId.HIK_PORT_MAPPING: _Switch("/ISAPI/System/Network/UPnP/ports", "ports"),
    SettingId.HIK_DDNS: _Switch(
        "/ISAPI/System/Network/DDNS/1",
        "DDNS",
        (("serverAddress", "hostName"), ("serverAddress", "ipAddress")),
    ),
    SettingId.HIK_CLOUD_STORAGE: _Switch(
        "/ISAPI/System/PictureServer", "PictureServer", (("hostName",), ("ipAddress",))
    ),
}


class XmlAnswerError(ValueError):
    """An answer that is not a small, DTD-free XML document of the expected kind."""


def parse(body: bytes, root: str) -> etree._Element:
    """Parse an ISAPI document whose root element is ``root`` (any namespace)."""
    if b"<!doctype" in body[:4096].lower() or b"<!entity" in body.lower():
        raise XmlAnswerError("the answer declares a DTD or entities")
    try:
        document = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise XmlAnswerError("the answer is not well-formed XML") from err
    if document is None or not isinstance(document.tag, str):
        raise XmlAnswerError("the answer is empty")
    if etree.QName(document).localname != root:
        raise XmlAnswerError(f"expected a {root} document")
    return document


def find(element: etree._Element, *path: str) -> str | None:
    """Return the text at ``path`` (local names, first match at each step); None if missing."""
    for name in path:
        found = next(
            (
                child
                for child in element
                if isinstance(child.tag, str) and etree.QName(child).localname == name
            ),
            None,
        )
        if found is None:
            return None
        element = found
    return (element.text or "").strip()


def _flag(text: str | None) -> bool | None:
    value = (text or "").strip().lower()
    return {"true": True, "false": False}.get(value)


def _state_of(answer: Answer) -> tuple[State, str]:
    """Return the state a failed GET stands for, and why (for diagnostics)."""
    if answer.status == 403:
        return State.REFUSED, "HTTP 403"
    if answer.status in {400, 404, 405, 501} or b"notSupport" in answer.body:
        return State.UNSUPPORTED, f"HTTP {answer.status}"
    return State.FAILED, f"HTTP {answer.status}"


def _refusal(answer: Answer) -> Outcome | None:
    """None when a PUT was accepted, else what its answer means."""
    try:
        status = parse(answer.body, "ResponseStatus")
        code, sub = find(status, "statusCode") or "", find(status, "subStatusCode") or ""
    except XmlAnswerError:
        code, sub = "", ""
    if answer.status == 200 and code in {"", "1", "7"}:
        return None  # 7: "reboot required" - accepted all the same
    if sub == "notSupport" or answer.status in {404, 405, 501}:
        return Outcome.UNSUPPORTED
    if answer.status == 403 or sub == "lowPrivilege":
        return Outcome.REFUSED
    if answer.status == 400:
        return Outcome.UNSUPPORTED  # the camera does not take this change (badXmlContent)
    return Outcome.FAILED


class HikvisionSettings(SettingsClient):
    """Hik-Connect, ISUP, UPnP, DDNS, cloud storage and NTP of one camera."""

    settings: ClassVar[tuple[SettingId, ...]] = (*SWITCHES, SettingId.HIK_NTP)
    switchable: ClassVar[frozenset[SettingId]] = frozenset(SWITCHES)

    def __init__(self, http: VendorHttp) -> None:
        """Talk ISAPI through ``http``."""
        self._http = http
        self._namespaces: dict[SettingId, str] = {}

    async def _get(self, path: str, root: str) -> etree._Element | tuple[State, str]:
        try:
            answer = await self._http.request("GET", path)
        except CameraError as err:
            return State.FAILED, str(err)
        if answer.status != 200:
            return _state_of(answer)
        try:
            return parse(answer.body, root)
        except XmlAnswerError as err:
            return State.UNREADABLE, str(err)

    async def read_one(self, setting: SettingId) -> SettingRead:
        """Read one setting."""
        if setting is SettingId.HIK_NTP:
            return await self._read_ntp()
        switch = SWITCHES[setting]
        document = await self._get(switch.path, switch.root)
        if isinstance(document, tuple):
            return SettingRead(setting, document[0], detail=document[1])
        namespace = etree.QName(document).namespace or HIKVISION_NS
        self._namespaces[setting] = namespace if namespace in KNOWN_NAMESPACES else HIKVISION_NS
        enabled = _flag(find(document, "enabled"))
        if enabled is None:
            return SettingRead(
                setting, State.UNREADABLE, detail="enabled is neither true nor false"
            )
        hosts = [clean_host(find(document, *path)) for path in switch.servers]
        servers = tuple(dict.fromkeys(h for h in hosts if h and not _unspecified(h)))
        return SettingRead(
            setting,
            State.ON if enabled else State.OFF,
            phones_home=enabled and switch.phones_home,
            servers=servers,
        )

    async def write_off(self, before: SettingRead) -> Outcome | None:
        """PUT ``<root><enabled>false</enabled></root>`` (port mapping keeps its mode)."""
        switch = SWITCHES[before.setting]
        namespace = self._namespaces.get(before.setting, HIKVISION_NS)
        fields = [("enabled", "false")]
        if before.setting is SettingId.HIK_PORT_MAPPING:
            fields.append(("mapmode", "auto"))
        body = _document(switch.root, namespace, fields)
        answer = await self._http.request(
            "PUT", switch.path + switch.put_query, data=body, content_type="application/xml"
        )
        return _refusal(answer)

    # --- the time server ------------------------------------------------------------------

    async def _read_ntp(self) -> SettingRead:
        setting = SettingId.HIK_NTP
        time = await self._get(TIME, "Time")
        if isinstance(time, tuple):
            return SettingRead(setting, time[0], detail=time[1])
        server = await self._get(NTP_SERVER, "NTPServer")
        if isinstance(server, tuple):
            return SettingRead(setting, server[0], detail=server[1])
        kind = (find(server, "addressingFormatType") or "").lower()
        field = {"hostname": "hostName", "ipaddress": "ipAddress"}.get(kind)
        host = clean_host(find(server, field)) if field else None
        if (find(time, "timeMode") or "").upper() != "NTP" or not host:
            return SettingRead(setting, State.OFF)
        return SettingRead(setting, State.ON, phones_home=not is_local(host), servers=(host,))

    async def set_ntp(self, server: str) -> SwitchResult:
        """Point the camera's clock at ``server`` (a host name or address), read back."""
        host = clean_host(server)
        before = await self._read_ntp()
        if host is None or host == UNSHOWABLE:
            return SwitchResult(SettingId.HIK_NTP, Outcome.FAILED, before, None, "not a host")

        async def write() -> Outcome | None:
            by_address = is_address(host)
            fields = [
                ("id", "1"),
                ("addressingFormatType", "ipaddress" if by_address else "hostname"),
                ("ipAddress" if by_address else "hostName", host),
                ("portNo", "123"),
            ]
            body = _document("NTPServer", HIKVISION_NS, fields)
            answer = await self._http.request(
                "PUT", NTP_SERVER, data=body, content_type="application/xml"
            )
            if (refused := _refusal(answer)) is not None:
                return refused
            body = _document("Time", HIKVISION_NS, [("timeMode", "NTP")])
            answer = await self._http.request(
                "PUT", TIME, data=body, content_type="application/xml"
            )
            return _refusal(answer)

        return await self.change(
            before,
            write,
            done=lambda after: after.state is State.ON and after.servers == (host,),
        )


def _unspecified(host: str) -> bool:
    """Whether ``host`` is the "no address" address (Ehome's default ipAddress 0.0.0.0)."""
    return is_address(host) and ipaddress.ip_address(host).is_unspecified


def _document(root: str, namespace: str, fields: list[tuple[str, str]]) -> bytes:
    element = etree.Element(f"{{{namespace}}}{root}", nsmap={None: namespace})
    element.set("version", "2.0")
    for name, text in fields:
        etree.SubElement(element, f"{{{namespace}}}{name}").text = text
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")
