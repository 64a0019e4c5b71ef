"""The Hikvision ISAPI settings plug-in: the switches that phone home, GET and PUT.

``/ISAPI/System/Network/EZVIZ`` (Hik-Connect), ``…/Ehome`` (ISUP), ``…/UPnP`` and
``…/UPnP/ports``, ``…/DDNS`` and ``…/DDNS/1``, ``/ISAPI/System/PictureServer``, and the
clock: ``/ISAPI/System/time`` and ``/ISAPI/System/time/ntpServers`` (``/1``), which read and
write the camera's ``NetworkSettings`` (so that ONVIF ``GetNTP`` and ISAPI agree, as they do on a
camera). Behind Hikvision Digest like every ISAPI request; a PUT is merged into the document
(``isapi_documents``) and answered with a ``ResponseStatus``. The camera keeps what it is told
until it is told otherwise (a reboot keeps it too), unless the setting's fault says it ignores
the change (answered OK, read back unchanged), refuses it (403 ``lowPrivilege``, a read-only
user) or has no such setting (404 ``notSupport``, for GET as well). Requests are counted as
``ISAPI/<path>`` (GET) and ``ISAPI/<path> PUT``.
"""

from __future__ import annotations

from collections.abc import Callable
import ipaddress
from typing import TYPE_CHECKING, ClassVar, Final

from aiohttp import web
from lxml import etree

from ..setting_faults import SettingFault
from . import isapi_documents as docs
from .vendor import VendorHttpService

if TYPE_CHECKING:
    from lxml.etree import _Element

    from .base import ServiceContext

XML_TYPE: Final = 'application/xml; charset="UTF-8"'
_PARSER: Final = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
DOCUMENTS: Final = (
    "System/Network/EZVIZ",
    "System/Network/Ehome",
    "System/Network/UPnP",
    "System/Network/UPnP/ports",
    "System/PictureServer",
)
DDNS: Final = "System/Network/DDNS"
TIME: Final = "System/time"
NTP_SERVERS: Final = "System/time/ntpServers"

type Reader = Callable[[], _Element]
type Writer = Callable[[_Element], None]


class IsapiSettingsService(VendorHttpService):
    """``hikvision/isapi-settings``: cloud, UPnP, DDNS and time settings, kept."""

    name: ClassVar[str] = "hikvision/isapi-settings"

    def __init__(self, context: ServiceContext) -> None:
        """No documents until the first request (the HTTP port is in them); Hikvision NTP."""
        super().__init__(context)
        self._documents: dict[str, etree._Element] | None = None
        if self.state.config.ntp_servers is None:
            self.state.network.ntp = [docs.HIKVISION_NTP]

    @property
    def documents(self) -> dict[str, etree._Element]:
        """The settings documents by resource name (made on first use)."""
        if self._documents is None:
            self._documents = docs.defaults(self.state)
        return self._documents

    def register(self, router: web.UrlDispatcher) -> None:
        """GET and PUT for every resource."""
        for name in DOCUMENTS:
            self._route(router, name, name, *self._document(name))
        self._route(router, DDNS, DDNS, self._ddns_list, self._set_ddns_list)
        self._route(router, f"{DDNS}/1", DDNS, *self._document(DDNS))
        self._route(router, TIME, TIME, self._time, self._set_time)
        self._route(router, NTP_SERVERS, NTP_SERVERS, self._ntp_list, self._set_ntp_list)
        self._route(router, f"{NTP_SERVERS}/1", NTP_SERVERS, self._ntp_server, self._set_ntp)

    def _route(
        self, router: web.UrlDispatcher, path: str, setting: str, read: Reader, write: Writer
    ) -> None:
        async def get(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, path, setting, read, None)

        async def put(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, path, setting, read, write)

        router.add_get(f"/ISAPI/{path}", get)
        router.add_put(f"/ISAPI/{path}", put)

    def _document(self, name: str) -> tuple[Reader, Writer]:
        def read() -> etree._Element:
            return self.documents[name]

        def write(document: etree._Element) -> None:
            self.documents[name] = document

        return read, write

    async def _serve(
        self,
        request: web.Request,
        path: str,
        setting: str,
        read: Reader,
        write: Writer | None,
    ) -> web.StreamResponse:
        counted = f"ISAPI/{path}" if write is None else f"ISAPI/{path} PUT"
        refused = await self.admit(request, counted)
        if refused is not None:
            return refused
        fault = self.state.setting_fault(setting, write=write is not None)
        if fault is SettingFault.UNSUPPORTED:
            return _status(docs.NOT_SUPPORTED, request)
        if write is None:
            return _xml(read())
        if fault is SettingFault.REFUSED:
            return _status(docs.LOW_PRIVILEGE, request)
        try:
            given = etree.fromstring(await request.read(), parser=_PARSER)
        except etree.XMLSyntaxError:
            return _status(docs.BAD_FORMAT, request)
        try:
            changed = docs.merge(read(), given)
            if fault is not SettingFault.IGNORED:
                write(changed)
        except docs.DocumentError:
            return _status(docs.BAD_CONTENT, request)
        return _status(docs.OK, request)

    # --- DDNS: one provider, also served as a list ----------------------------------------

    def _ddns_list(self) -> etree._Element:
        listing = etree.Element(f"{{{docs.HIKVISION_NS}}}DDNSList", nsmap={None: docs.HIKVISION_NS})
        listing.set("version", "2.0")
        listing.append(_copy(self.documents[DDNS]))
        return listing

    def _set_ddns_list(self, document: etree._Element) -> None:
        self.documents[DDNS] = _copy(document[0])

    # --- time: views over NetworkSettings -------------------------------------------------

    def _time(self) -> etree._Element:
        network = self.state.network
        now = self.state.now().replace(microsecond=0).isoformat()
        tree: docs.Tree = (
            "Time",
            [
                ("timeMode", "NTP" if network.ntp_enabled else "manual"),
                ("localTime", now),
                ("timeZone", "CST+0:00:00"),
            ],
        )
        return docs.build(tree, docs.HIKVISION_NS)

    def _set_time(self, document: etree._Element) -> None:
        mode = document.findtext(f"{{{docs.HIKVISION_NS}}}timeMode") or ""
        if mode not in {"NTP", "manual"}:
            raise docs.DocumentError(f"timeMode must be NTP or manual, not {mode!r}")
        self.state.network.ntp_enabled = mode == "NTP"

    def _ntp_server(self) -> etree._Element:
        network = self.state.network
        host = network.ntp[0] if network.ntp else ""
        by_address = _is_address(host)
        tree: docs.Tree = (
            "NTPServer",
            [
                ("id", "1"),
                ("addressingFormatType", "ipaddress" if by_address else "hostname"),
                ("hostName", "" if by_address else host),
                ("ipAddress", host if by_address else ""),
                ("portNo", str(network.ntp_port)),
                ("synchronizeInterval", str(network.ntp_interval)),
            ],
        )
        return docs.build(tree, docs.HIKVISION_NS)

    def _set_ntp(self, document: etree._Element) -> None:
        def text(name: str) -> str:
            return (document.findtext(f"{{{docs.HIKVISION_NS}}}{name}") or "").strip()

        kind = text("addressingFormatType")
        if kind not in {"hostname", "ipaddress"}:
            raise docs.DocumentError(f"unknown addressingFormatType {kind!r}")
        host = text("hostName" if kind == "hostname" else "ipAddress")
        network = self.state.network
        network.ntp = [host] if host else []
        network.ntp_port = int(text("portNo"))
        network.ntp_interval = int(text("synchronizeInterval"))

    def _ntp_list(self) -> etree._Element:
        listing = etree.Element(
            f"{{{docs.HIKVISION_NS}}}NTPServerList", nsmap={None: docs.HIKVISION_NS}
        )
        listing.set("version", "2.0")
        listing.append(self._ntp_server())
        return listing

    def _set_ntp_list(self, document: etree._Element) -> None:
        self._set_ntp(document[0])


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _copy(element: etree._Element) -> etree._Element:
    copied = etree.fromstring(etree.tostring(element))
    copied.set("version", "2.0")
    return copied


def _xml(document: etree._Element) -> web.Response:
    body = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    return web.Response(body=body, headers={"Content-Type": XML_TYPE})


def _status(status: docs.Status, request: web.Request) -> web.Response:
    return web.Response(
        status=status.http,
        body=status.document(request.path),
        headers={"Content-Type": XML_TYPE},
    )
