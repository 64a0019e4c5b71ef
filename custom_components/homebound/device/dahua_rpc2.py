"""Dahua's RPC2: the JSON API behind the web UI, for configuration the CGI does not reach.

Login is two ``global.login`` calls to ``/RPC2_Login`` (as peku33/logicblocks performs it,
../shared/reference/vendor_cloud.md §4 and §5.2): the first, with an empty password, answers the
challenge (error 268632079 with ``realm``, ``random`` and ``encryption: Default``) and a
session; the second sends ``MD5(user:random:MD5(user:realm:password))`` in upper-case hex in
that session. Calls then go to ``/RPC2`` with the session; error 287637505 ("Invalid session")
means it expired (a reboot), and the call is made again after one new login.

Everything the camera answers is JSON from an untrusted device: bounded (``vendor_http``),
parsed into plain objects, and checked for shape before use; an answer of the wrong shape is a
:class:`~.errors.CameraProtocolError`.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Final

from .errors import CameraAuthError, CameraProtocolError

if TYPE_CHECKING:
    from .vendor_http import VendorHttp

LOGIN_CHALLENGE: Final = 268632079
INVALID_SESSION: Final = 287637505
CLIENT_TYPE: Final = "Dahua3.0-Web3.0"


class Rpc2Error(Exception):
    """A call the camera answered with ``result: false``: its code and (untrusted) message."""

    def __init__(self, code: int | None, message: str) -> None:
        """Keep the error's code and message."""
        super().__init__(f"RPC2 error {code}")
        self.code = code
        self.message = message

    @property
    def refused(self) -> bool:
        """Whether the camera says the user lacks the right (its message names authority)."""
        return "authority" in self.message.lower() or "permission" in self.message.lower()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()  # noqa: S324 - Dahua's login hash


class Rpc2Client:
    """One camera's RPC2, logged in on first use."""

    def __init__(self, http: VendorHttp, username: str, password: str) -> None:
        """Log in as ``username`` when the first call is made."""
        self._http = http
        self._username = username
        self._password = password
        self._session: str | None = None
        self._id = 0

    async def _post(
        self, path: str, method: str, params: Any, session: str | None
    ) -> dict[str, Any]:
        self._id += 1
        call: dict[str, Any] = {"method": method, "params": params, "id": self._id}
        if session is not None:
            call["session"] = session
        answer = await self._http.request(
            "POST",
            path,
            data=json.dumps(call).encode(),
            content_type="application/json",
            digest=False,
        )
        if answer.status != 200:
            raise CameraProtocolError(f"RPC2 answered HTTP {answer.status}")
        try:
            reply = json.loads(answer.body)
        except (ValueError, RecursionError) as err:  # RecursionError: absurdly deep nesting
            raise CameraProtocolError("RPC2 answered something that is not JSON") from err
        if not isinstance(reply, dict):
            raise CameraProtocolError("RPC2 answered JSON that is not an object")
        return reply

    async def _login(self) -> str:
        params = {"userName": self._username, "password": "", "clientType": CLIENT_TYPE}
        challenge = await self._post("/RPC2_Login", "global.login", params, None)
        details = challenge.get("params")
        session = challenge.get("session")
        if not isinstance(details, dict) or not isinstance(session, str | int):
            raise CameraProtocolError("RPC2 login answered no challenge")
        realm, random = details.get("realm"), details.get("random")
        if not isinstance(realm, str) or not isinstance(random, str):
            raise CameraProtocolError("RPC2 login answered no challenge")
        if details.get("encryption", "Default") != "Default":
            raise CameraProtocolError("RPC2 login wants an encryption Homebound does not speak")
        user = self._username
        digest = _md5(f"{user}:{random}:{_md5(f'{user}:{realm}:{self._password}')}")
        login = {
            **params,
            "password": digest,
            "authorityType": "Default",
            "passwordType": "Default",
        }
        reply = await self._post("/RPC2_Login", "global.login", login, str(session))
        if reply.get("result") is not True:
            raise CameraAuthError("the camera refused the credentials for RPC2")
        granted = reply.get("session", session)
        if not isinstance(granted, str | int):
            raise CameraProtocolError("RPC2 login answered no session")
        return str(granted)

    async def _call_once(self, method: str, params: Any) -> dict[str, Any]:
        if self._session is None:
            self._session = await self._login()
        return await self._post("/RPC2", method, params, self._session)

    async def call(self, method: str, params: Any) -> dict[str, Any]:
        """Make one call; return its ``params`` (Rpc2Error for ``result: false``)."""
        reply = await self._call_once(method, params)
        error = reply.get("error")
        if isinstance(error, dict) and error.get("code") == INVALID_SESSION:
            self._session = None
            reply = await self._call_once(method, params)
        if reply.get("result") is True:
            result = reply.get("params")
            return result if isinstance(result, dict) else {}
        error = reply.get("error")
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        raise Rpc2Error(
            code if isinstance(code, int) and not isinstance(code, bool) else None,
            message if isinstance(message, str) else "",
        )

    async def get_config(self, name: str) -> Any:
        """``configManager.getConfig``: the table called ``name`` (an object or a list)."""
        result = await self.call("configManager.getConfig", {"name": name})
        if "table" not in result:
            raise CameraProtocolError("RPC2 getConfig answered no table")
        return result["table"]

    async def set_config(self, name: str, table: Any) -> None:
        """``configManager.setConfig``: write the table called ``name``."""
        await self.call("configManager.setConfig", {"name": name, "table": table, "options": []})
