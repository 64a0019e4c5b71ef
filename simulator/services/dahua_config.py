"""The Dahua configuration plug-in: ``configManager.cgi`` and RPC2, over one set of tables.

CGI, behind Dahua Digest: ``GET /cgi-bin/configManager.cgi?action=getConfig&name=T2UServer``
answers ``table.T2UServer.Enable=true`` lines; ``…?action=setConfig&T2UServer.Enable=false``
answers ``OK``. A name the CGI does not know (or a table this firmware lacks, such as
``CloudUpgrade``: ``dahua_tables.RPC2_ONLY``) answers ``Error`` / ``Bad Request!`` (HTTP 400).

RPC2, with its own login instead of Digest (the two steps logicblocks' client performs):
``POST /RPC2_Login`` ``global.login`` with an empty password answers the challenge (error
268632079, ``realm``, ``random``, ``encryption: Default``, a session), then the same call with
``MD5(user:random:MD5(user:realm:password))`` (upper-case hex) opens the session; ``POST /RPC2``
``configManager.getConfig {name}`` answers ``params.table``, ``configManager.setConfig {name,
table, options}`` merges ``table``. A call without a valid session gets 287637505 "Invalid
session in request data!". Those two codes are logicblocks'; the others (a refused password,
an unknown table, a refused write) are Homebound's choice and carry a message a client can show.

Setting faults (by table name) apply to both: ignored writes answer ``OK`` / ``result: true``
and change nothing; refused writes answer HTTP 403 ``Error`` (RPC2: ``result: false``); an
unsupported table is unknown to both. Counted as ``configManager.getConfig``,
``configManager.setConfig``, ``RPC2_Login``, and ``RPC2`` plus ``RPC2 <method>``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import TYPE_CHECKING, Any, ClassVar, Final

from aiohttp import web

from ..setting_faults import SettingFault
from . import dahua_tables as tables
from .vendor import VendorHttpService

if TYPE_CHECKING:
    from .base import ServiceContext

CONFIG_MANAGER_PATH: Final = "/cgi-bin/configManager.cgi"
BAD_REQUEST: Final = "Error\r\nBad Request!\r\n"
NO_AUTHORITY: Final = "Error\r\nNo Authority!\r\n"
LOGIN_CHALLENGE: Final = 268632079
INVALID_SESSION: Final = 287637505
BAD_PASSWORD: Final = 268632085
UNKNOWN_CONFIG: Final = 268959743
NO_AUTHORITY_CODE: Final = 268632067


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()  # noqa: S324 - Dahua's login hash


def _params(call: dict[str, Any]) -> dict[str, Any]:
    params = call.get("params")
    return params if isinstance(params, dict) else {}


def _error(code: int, message: str) -> dict[str, Any]:
    return {"result": False, "error": {"code": code, "message": message}}


class DahuaConfigService(VendorHttpService):
    """``dahua/config``: configuration tables over CGI and RPC2."""

    name: ClassVar[str] = "dahua/config"

    def __init__(self, context: ServiceContext) -> None:
        """No tables until the first request (the HTTP port is in them); Dahua's NTP."""
        super().__init__(context)
        self._tables: dict[str, Any] | None = None
        self._challenges: dict[str, str] = {}
        """Session → the random of its login challenge, until it logs in."""
        self._sessions: set[str] = set()
        if self.state.config.ntp_servers is None:
            self.state.network.ntp = [tables.DAHUA_NTP]

    @property
    def tables(self) -> dict[str, Any]:
        """The configuration tables by name (made on first use; NTP is read live)."""
        if self._tables is None:
            self._tables = tables.defaults(self.state)
        return self._tables

    def _all(self) -> dict[str, Any]:
        unsupported = {
            name
            for name in [*self.tables, tables.NTP]
            if self.state.setting_fault(name, write=False) is SettingFault.UNSUPPORTED
        }
        found = {**self.tables, tables.NTP: tables.ntp_table(self.state)}
        return {name: value for name, value in found.items() if name not in unsupported}

    def _store(self, changed: dict[str, Any], names: set[str]) -> None:
        for name in names:
            if name == tables.NTP:
                tables.apply_ntp(self.state, changed[name])
            else:
                self.tables[name] = changed[name]

    def _write_fault(self, names: set[str]) -> SettingFault | None:
        faults = {self.state.setting_fault(name, write=True) for name in names}
        for fault in (SettingFault.UNSUPPORTED, SettingFault.REFUSED, SettingFault.IGNORED):
            if fault in faults:
                return fault
        return None

    def register(self, router: web.UrlDispatcher) -> None:
        """Serve the CGI and the two RPC2 endpoints."""
        router.add_get(CONFIG_MANAGER_PATH, self.config_manager)
        router.add_post("/RPC2_Login", self.rpc2_login)
        router.add_post("/RPC2", self.rpc2)

    async def reset(self) -> None:
        """End every RPC2 session, as a reboot does (the tables are kept)."""
        self._challenges.clear()
        self._sessions.clear()

    # --- CGI ------------------------------------------------------------------------------

    async def config_manager(self, request: web.Request) -> web.StreamResponse:
        """``action=getConfig&name=…`` and ``action=setConfig&Name.Field=value…``."""
        action = request.query.get("action", "")
        refused = await self.admit(request, f"configManager.{action}")
        if refused is not None:
            return refused
        known = {name: value for name, value in self._all().items() if name not in tables.RPC2_ONLY}
        if action == "getConfig":
            name = request.query.get("name", "")
            if name not in known:
                return web.Response(status=400, text=BAD_REQUEST)
            return web.Response(
                text="".join(f"{line}\r\n" for line in tables.flatten(name, known[name]))
            )
        if action != "setConfig":
            return web.Response(status=400, text=BAD_REQUEST)
        fields = [(key, value) for key, value in request.query.items() if key != "action"]
        changed = json.loads(json.dumps(known))
        try:
            names = {tables.set_field(changed, key, value) for key, value in fields}
        except tables.TableError:
            return web.Response(status=400, text=BAD_REQUEST)
        if not names:
            return web.Response(status=400, text=BAD_REQUEST)
        fault = self._write_fault(names)
        if fault is SettingFault.REFUSED:
            return web.Response(status=403, text=NO_AUTHORITY)
        if fault is None:
            self._store(changed, names)
        return web.Response(text="OK\r\n")

    # --- RPC2 -----------------------------------------------------------------------------

    async def _call(
        self, request: web.Request, counted: str
    ) -> dict[str, Any] | web.StreamResponse:
        refused = await self.admit(request, counted, digest=False)
        if refused is not None:
            return refused
        try:
            call = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text=BAD_REQUEST)
        if not isinstance(call, dict) or not isinstance(call.get("method"), str):
            return web.Response(status=400, text=BAD_REQUEST)
        return call

    @staticmethod
    def _answer(call: dict[str, Any], answer: dict[str, Any]) -> web.Response:
        return web.json_response({**answer, "id": call.get("id"), "session": call.get("session")})

    async def rpc2_login(self, request: web.Request) -> web.StreamResponse:
        """``global.login``: the challenge, then the session."""
        call = await self._call(request, "RPC2_Login")
        if isinstance(call, web.StreamResponse):
            return call
        params = _params(call)
        state = self.state
        session = call.get("session")
        if call["method"] != "global.login" or params.get("userName") != state.username:
            return self._answer(call, _error(BAD_PASSWORD, "User or password not valid!"))
        realm = state.http_auth.realm
        if not isinstance(session, str) or session not in self._challenges:
            session = secrets.token_hex(16)
            self._challenges[session] = random = str(secrets.randbelow(10**9))
            challenge = _error(LOGIN_CHALLENGE, "Component error: login challenge!")
            challenge["params"] = {"encryption": "Default", "realm": realm, "random": random}
            return web.json_response({**challenge, "id": call.get("id"), "session": session})
        random = self._challenges.pop(session)
        user = state.username
        expected = _md5(f"{user}:{random}:{_md5(f'{user}:{realm}:{state.password}')}")
        if params.get("password") != expected:
            return self._answer(call, _error(BAD_PASSWORD, "User or password not valid!"))
        self._sessions.add(session)
        return self._answer(call, {"result": True, "params": {"keepAliveInterval": 60}})

    async def rpc2(self, request: web.Request) -> web.StreamResponse:
        """``configManager.getConfig``/``setConfig`` (and ``global.logout``) in a session."""
        call = await self._call(request, "RPC2")
        if isinstance(call, web.StreamResponse):
            return call
        self.state.record(f"RPC2 {call['method']}", soap=False)
        if call.get("session") not in self._sessions:
            return self._answer(call, _error(INVALID_SESSION, "Invalid session in request data!"))
        params = _params(call)
        method, name, found = call["method"], params.get("name"), self._all()
        if method == "global.logout":
            self._sessions.discard(str(call.get("session")))
            return self._answer(call, {"result": True})
        if method not in {"configManager.getConfig", "configManager.setConfig"}:
            return self._answer(call, _error(UNKNOWN_CONFIG, "Method not found!"))
        if not isinstance(name, str) or name not in found:
            return self._answer(call, _error(UNKNOWN_CONFIG, "Unknown error! "))
        if method == "configManager.getConfig":
            return self._answer(call, {"result": True, "params": {"table": found[name]}})
        try:
            changed = {name: tables.merge(found[name], params.get("table"), name)}
        except tables.TableError as err:
            return self._answer(call, _error(UNKNOWN_CONFIG, str(err)))
        fault = self._write_fault({name})
        if fault is SettingFault.REFUSED:
            return self._answer(call, _error(NO_AUTHORITY_CODE, "No Authority!"))
        if fault is None:
            self._store(changed, {name})
        return self._answer(call, {"result": True, "params": {"options": []}})
