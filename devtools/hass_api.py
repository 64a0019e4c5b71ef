"""An authenticated client for the REST and WebSocket APIs of a local Home Assistant.

:class:`HassApi` logs in (onboarding a fresh instance first: its user, then the steps a partly
onboarded directory lacks), keeps the access token fresh and offers the small helpers the
demo, the benchmarks and the tests call. :class:`devtools.hass_process.HassProcess` is one,
bound to the process it started. Every request is bounded by the session's timeout.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from http import HTTPStatus
import json
import logging
import time
from typing import Any

import aiohttp

from devtools.hass_config import DEFAULT_PASSWORD, DEFAULT_USER, LOOPBACK, ONBOARDING_STEPS

_LOGGER = logging.getLogger(__name__)

TOKEN_MARGIN = 60.0
"""Seconds before expiry at which the access token is refreshed."""


class HassError(RuntimeError):
    """Home Assistant did not start, or an API call failed."""


class HassApiError(HassError):
    """An API call returned an error status."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        """Keep the status and body for the caller."""
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


class HassApi:
    """The API client: a login, a token, REST and WebSocket helpers."""

    def __init__(
        self, port: int, *, username: str = DEFAULT_USER, password: str = DEFAULT_PASSWORD
    ) -> None:
        """Describe the client; nothing is sent before :meth:`_authenticate`."""
        self.username = username
        self.password = password
        self.base_url = f"http://{LOOPBACK}:{port}"
        self.client_id = f"{self.base_url}/"
        self.onboarded_now = False
        self._session: aiohttp.ClientSession | None = None
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._token_expires = 0.0
        self._ws_id = 0

    def _check_alive(self) -> None:
        """Raise when the server is known to be gone (a process checks its child)."""

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            msg = "Home Assistant is not running"
            raise HassError(msg)
        return self._session

    # ------------------------------------------------------------------ logging in

    async def _onboarding_status(self) -> dict[str, bool] | None:
        """Return {step: done} while onboarding runs, None once it is finished."""
        async with self._http().get(f"{self.base_url}/api/onboarding") as resp:
            if resp.status == HTTPStatus.NOT_FOUND:
                return None
            if resp.status != HTTPStatus.OK:
                raise HassApiError("GET", "/api/onboarding", resp.status, await resp.text())
            steps = await resp.json()
        return {str(step["step"]): bool(step["done"]) for step in steps}

    async def _authenticate(self, deadline: float) -> None:
        status = await self._onboarding_status()
        if status is not None and not status.get("user", False):
            code = await self._onboard_user()
            self.onboarded_now = True
        else:
            code = await self._login()
        await self._token_grant({"grant_type": "authorization_code", "code": code})
        status = await self._onboarding_status()
        if status is not None:
            await self._finish_onboarding(status)
        self._check_alive()
        if time.monotonic() > deadline:
            msg = "timed out while logging in"
            raise HassError(msg)

    async def _onboard_user(self) -> str:
        payload = {
            "client_id": self.client_id,
            "name": self.username.capitalize(),
            "username": self.username,
            "password": self.password,
            "language": "en",
        }
        result = await self._post_json("/api/onboarding/users", payload)
        _LOGGER.info("onboarded user %s", self.username)
        return str(result["auth_code"])

    async def _login(self) -> str:
        flow = await self._post_json(
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        result = await self._post_json(
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": self.username, "password": self.password},
        )
        if result.get("type") != "create_entry":
            msg = (
                f"cannot log in as {self.username!r}: {result.get('errors') or result}. "
                f"This configuration directory was onboarded with another account; "
                f"use a fresh directory or that account's password."
            )
            raise HassError(msg)
        return str(result["result"])

    async def _finish_onboarding(self, status: dict[str, bool]) -> None:
        """Complete the onboarding steps a partly onboarded directory still lacks."""
        for step in ONBOARDING_STEPS[1:]:
            if status.get(step, True):
                continue
            body: dict[str, Any] = {}
            if step == "integration":
                body = {"client_id": self.client_id, "redirect_uri": self.client_id}
            _LOGGER.info("finishing onboarding step %s", step)
            await self.rest("POST", f"/api/onboarding/{step}", body)

    async def _post_json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST without authentication (onboarding and login endpoints)."""
        async with self._http().post(f"{self.base_url}{path}", json=payload) as resp:
            text = await resp.text()
            if resp.status >= HTTPStatus.BAD_REQUEST:
                raise HassApiError("POST", path, resp.status, text)
        data = json.loads(text)
        if not isinstance(data, dict):
            raise HassApiError("POST", path, resp.status, text)
        return data

    async def _token_grant(self, form: dict[str, str]) -> None:
        async with self._http().post(
            f"{self.base_url}/auth/token", data={**form, "client_id": self.client_id}
        ) as resp:
            text = await resp.text()
            if resp.status != HTTPStatus.OK:
                raise HassApiError("POST", "/auth/token", resp.status, text)
        tokens = json.loads(text)
        self._access_token = str(tokens["access_token"])
        if "refresh_token" in tokens:
            self._refresh_token = str(tokens["refresh_token"])
        self._token_expires = time.monotonic() + float(tokens.get("expires_in", 1800))

    async def _headers(self) -> dict[str, str]:
        if self._access_token is None:
            msg = "not logged in"
            raise HassError(msg)
        if time.monotonic() > self._token_expires - TOKEN_MARGIN and self._refresh_token:
            await self._token_grant(
                {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
            )
        return {"Authorization": f"Bearer {self._access_token}"}

    # ------------------------------------------------------------------ API helpers

    async def rest(self, method: str, path: str, json: Any = None) -> Any:
        """Call the REST API; return the decoded JSON (or text); raise on HTTP >= 400."""
        headers = await self._headers()
        async with self._http().request(
            method, f"{self.base_url}{path}", json=json, headers=headers
        ) as resp:
            text = await resp.text()
            if resp.status >= HTTPStatus.BAD_REQUEST:
                raise HassApiError(method, path, resp.status, text)
            if resp.content_type == "application/json" and text:
                return _decode_json(text)
            return text

    async def get_bytes(self, path: str) -> tuple[int, str, bytes]:
        """GET ``path`` with authentication; return (status, content type, body)."""
        headers = await self._headers()
        async with self._http().get(f"{self.base_url}{path}", headers=headers) as resp:
            return resp.status, resp.content_type, await resp.read()

    async def states(self) -> list[dict[str, Any]]:
        """Return every entity state (``GET /api/states``)."""
        result = await self.rest("GET", "/api/states")
        assert isinstance(result, list)
        return result

    async def flow_start(self, handler: str) -> dict[str, Any]:
        """Start a config flow for ``handler``."""
        result = await self.rest(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": handler, "show_advanced_options": False},
        )
        assert isinstance(result, dict)
        return result

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Submit ``data`` to the current step of a config flow."""
        result = await self.rest("POST", f"/api/config/config_entries/flow/{flow_id}", data)
        assert isinstance(result, dict)
        return result

    async def flow_get(self, flow_id: str) -> dict[str, Any]:
        """Return the current step of a config flow."""
        result = await self.rest("GET", f"/api/config/config_entries/flow/{flow_id}")
        assert isinstance(result, dict)
        return result

    async def flow_abort(self, flow_id: str) -> None:
        """Abort a config flow that is still in progress."""
        with suppress(HassApiError):
            await self.rest("DELETE", f"/api/config/config_entries/flow/{flow_id}")

    async def config_entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Return the config entries, optionally of one domain."""
        query = f"?domain={domain}" if domain else ""
        result = await self.rest("GET", f"/api/config/config_entries/entry{query}")
        assert isinstance(result, list)
        return result

    async def ws_command(self, command: dict[str, Any], timeout: float = 30.0) -> Any:
        """Send one WebSocket command on a fresh connection and return its result."""
        headers = await self._headers()
        token = headers["Authorization"].removeprefix("Bearer ")
        self._ws_id += 1
        message_id = self._ws_id
        async with asyncio.timeout(timeout):
            async with self._http().ws_connect(f"{self.base_url}/api/websocket") as ws:
                hello = await ws.receive_json()
                if hello.get("type") != "auth_required":
                    msg = f"unexpected WebSocket greeting: {hello}"
                    raise HassError(msg)
                await ws.send_json({"type": "auth", "access_token": token})
                auth = await ws.receive_json()
                if auth.get("type") != "auth_ok":
                    msg = f"WebSocket authentication failed: {auth}"
                    raise HassError(msg)
                await ws.send_json({"id": message_id, **command})
                while True:
                    reply = await ws.receive_json()
                    if reply.get("id") != message_id or reply.get("type") != "result":
                        continue
                    if not reply.get("success"):
                        msg = (
                            f"WebSocket command {command.get('type')} failed: {reply.get('error')}"
                        )
                        raise HassError(msg)
                    return reply.get("result")

    async def notifications(self) -> list[dict[str, Any]]:
        """Return the persistent notifications the user would see."""
        result = await self.ws_command({"type": "persistent_notification/get"})
        assert isinstance(result, list)
        return result

    async def entity_registry(self) -> list[dict[str, Any]]:
        """Return the entity registry (WebSocket ``config/entity_registry/list``)."""
        result = await self.ws_command({"type": "config/entity_registry/list"})
        assert isinstance(result, list)
        return result


def _decode_json(text: str) -> Any:
    """Decode a JSON body (``rest`` has a parameter named ``json``)."""
    return json.loads(text)
