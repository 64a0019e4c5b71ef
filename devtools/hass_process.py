"""Run a real Home Assistant process with Homebound loaded, and drive it over REST/WebSocket.

    async with HassProcess(config_dir, port=8123) as hass:
        flow = await hass.flow_start("homebound")
        states = await hass.states()

:class:`HassProcess` writes a minimal ``configuration.yaml`` (HTTP on 127.0.0.1 only — from
2026.10 through ``.storage/http``; no ``default_config``, so zeroconf, ssdp, cloud and friends
stay off), links the repository's
``custom_components/homebound`` into the configuration directory, starts
``.venv/bin/hass --skip-pip`` in its own process group, waits for the HTTP API, onboards a
fresh instance (or logs in to an onboarded one) and offers small async helpers for the REST
and WebSocket APIs. Every wait is bounded.

``--skip-pip`` keeps Home Assistant from installing packages at run time: a package missing
from ``.venv`` shows up as an import error in ``home-assistant.log`` instead of a silent
download. The packages this configuration needs (frontend, camera, stream, ffmpeg) are
read from the installed release by :mod:`devtools.ha_requirements`.

``hass`` resolves names only on 127.0.0.1, where they are refused (:mod:`devtools.loopback_dns`):
no name it looks up, a vendor's cloud domain for instance, reaches the machine's resolver.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from http import HTTPStatus
import importlib
import json
import logging
import os
from pathlib import Path
import shutil
import signal
import socket
import sys
import time
from types import TracebackType
from typing import IO, Any, Self

import aiohttp

from devtools import ha_requirements
from devtools.loopback_dns import LoopbackDns, ResolverError, wrap_command, write_resolv_conf

_LOGGER = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
HASS_BIN = Path(sys.executable).with_name("hass")
"""The ``hass`` of the running interpreter's virtual environment (each test leg has its own)."""
INTEGRATION_DIR = REPO_ROOT / "custom_components" / "homebound"
LOOPBACK = "127.0.0.1"
LOG_FILE = "home-assistant.log"
CONSOLE_FILE = "hass-console.log"
RESOLV_FILE = ".loopback-resolv.conf"
"""The resolv.conf Home Assistant sees in its own mount namespace (in its config directory)."""

DEFAULT_USER = "demo"
DEFAULT_PASSWORD = "homebound-demo"  # noqa: S105 - the documented login of a local demo
DEFAULT_NAME = "Homebound Demo"

ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
# Steps the harness marks as done in a fresh configuration directory before the first start.
# Finishing "core_config" over the API starts onboarding flows for met, radio_browser,
# google_translate and shopping_list, which reach for the internet (and whose packages are
# not installed); the location and units already come from configuration.yaml.
PRESEEDED_STEPS = ("core_config", "analytics", "integration")
ONBOARDING_STORAGE_VERSION = 4

REQUEST_TIMEOUT = 30.0
POLL_INTERVAL = 0.25
TOKEN_MARGIN = 60.0


class HassError(RuntimeError):
    """Home Assistant did not start, or an API call failed."""


class HassApiError(HassError):
    """An API call returned an error status."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        """Keep the status and body for the caller."""
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


def missing_packages() -> list[str]:
    """Return the packages Home Assistant would install for this configuration but lacks."""
    return ha_requirements.missing(ha_requirements.DEMO_DOMAINS)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether Home Assistant could listen on ``port`` of 127.0.0.1 now.

    Bound as its HTTP server binds (with ``SO_REUSEADDR``, asyncio's default): a port whose
    last connections linger in TIME_WAIT after a stop is free for it, a port something
    listens on is not.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def http_store(port: int, lan_address: str | None = None) -> dict[str, Any] | None:
    """Return the ``.storage/http`` that binds Home Assistant to loopback, or None before 2026.10.

    From 2026.10 Home Assistant keeps its HTTP settings in storage. It migrates an ``http:``
    YAML block once, as a *pending trial* that reverts to the defaults (every interface, port
    8123) five minutes later unless someone confirms it in the UI, and ignores the YAML on
    every later start. The harness therefore writes the confirmed ("stable") settings itself,
    on every start, so a new port takes effect and nothing is ever served beyond loopback.
    """
    try:
        # Imported by name: the module does not exist on the oldest leg (mypy runs on both).
        http_config: Any = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        return None
    stable = dict(
        http_config.HTTP_STORAGE_SCHEMA(
            {
                http_config.CONF_SERVER_HOST: server_hosts(lan_address),
                http_config.CONF_SERVER_PORT: port,
            }
        )
    )
    stable.update(
        {
            http_config.HTTP_CONFIG_CREATED_AT: "2026-01-01T00:00:00+00:00",
            http_config.HTTP_CONFIG_ERROR: None,
            http_config.HTTP_CONFIG_ERROR_MESSAGE: None,
        }
    )
    return {
        "version": http_config.STORAGE_VERSION,
        "minor_version": http_config.STORAGE_MINOR_VERSION,
        "key": http_config.STORAGE_KEY,
        "data": {
            http_config.KEY_STABLE: stable,
            http_config.KEY_PENDING: None,
            http_config.KEY_YAML_MIGRATION_DONE: True,
        },
    }


def server_hosts(lan_address: str | None) -> list[str]:
    """Return where Home Assistant listens: loopback, and the demo camera's LAN if it has one.

    The LAN address is this host's end of a veth pair whose other end is a namespace the demo
    made (``devtools.demo_lan``): only the demo camera can reach it. A camera pushes its events
    to Home Assistant's LAN address, from its own, as on a real network.
    """
    return [LOOPBACK] if lan_address is None else [LOOPBACK, lan_address]


def configuration_yaml(
    port: int,
    name: str = DEFAULT_NAME,
    log_level: str = "debug",
    *,
    http_yaml: bool = True,
    lan_address: str | None = None,
) -> str:
    """Return the configuration.yaml the harness writes.

    The internal URL is the loopback address Home Assistant listens on (or, with
    ``lan_address``, its address on the demo camera's LAN): cameras are told to push their
    events there (without it Home Assistant would offer the machine's LAN address). With
    ``http_yaml=False`` the HTTP settings live in storage instead (see :func:`http_store`).
    """
    hosts = "".join(f"\n    - {host}" for host in server_hosts(lan_address))
    http = f"http:\n  server_host:{hosts}\n  server_port: {port}\n\n" if http_yaml else ""
    internal = lan_address or LOOPBACK
    return f"""\
# Written by devtools/hass_process.py on every start; edits here are overwritten.
# No default_config: zeroconf, ssdp, dhcp, cloud and the like stay off. The webhook
# integration is on, as default_config has it: Home Assistant's own onvif integration only
# receives pushed events through it (it does not depend on it, and answers 404 without it).
homeassistant:
  name: {json.dumps(name)}
  internal_url: "http://{internal}:{port}"
  latitude: 52.3731
  longitude: 4.8922
  elevation: 0
  unit_system: metric
  time_zone: UTC
  country: NL
  currency: EUR

{http}frontend:

stream:

webhook:

logger:
  default: {"info" if log_level == "debug" else log_level}
  logs:
    custom_components.homebound: {log_level}
"""


class HassProcess:
    """A Home Assistant child process and an authenticated API client for it."""

    def __init__(
        self,
        config_dir: Path,
        port: int = 8123,
        env: dict[str, str] | None = None,
        *,
        username: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        name: str = DEFAULT_NAME,
        start_timeout: float = 240.0,
        stop_timeout: float = 30.0,
        link_integration: bool = True,
        log_level: str = "debug",
        extra_yaml: str = "",
        lan_address: str | None = None,
    ) -> None:
        """Describe the instance; nothing starts before :meth:`start`.

        ``extra_yaml`` is appended to configuration.yaml. ``lan_address``: also listen there
        and make it the internal URL (see :func:`server_hosts`).
        """
        self.config_dir = config_dir.resolve()
        self.port = port
        self.env = dict(env or {})
        self.username = username
        self.password = password
        self.name = name
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.link_integration = link_integration
        self.log_level = log_level
        self.extra_yaml = extra_yaml
        self.lan_address = lan_address
        self.spawned_at = 0.0
        """time.monotonic() when the process was started (benchmarks measure from it)."""
        self.base_url = f"http://{LOOPBACK}:{port}"
        self.client_id = f"{self.base_url}/"
        self.onboarded_now = False
        self._proc: asyncio.subprocess.Process | None = None
        self._exited: asyncio.Future[int] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._token_expires = 0.0
        self._ws_id = 0
        self._dns: LoopbackDns | None = None

    # ------------------------------------------------------------------ life cycle

    async def __aenter__(self) -> Self:
        """Start Home Assistant; stop it again if start-up fails."""
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop Home Assistant."""
        await self.stop()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    async def wait_exited(self) -> int:
        """Wait until the Home Assistant process ends by itself; return its exit code."""
        if self._exited is None:
            msg = "Home Assistant is not running"
            raise HassError(msg)
        return await asyncio.shield(self._exited)

    @property
    def log_path(self) -> Path:
        """Home Assistant's own log file."""
        return self.config_dir / LOG_FILE

    async def start(self) -> None:
        """Prepare the configuration, start ``hass`` and log in; bounded by start_timeout."""
        if self._proc is not None:
            msg = "Home Assistant is already running"
            raise HassError(msg)
        if not HASS_BIN.is_file():
            msg = f"{HASS_BIN} is missing: run script/setup"
            raise HassError(msg)
        if not port_is_free(self.port):
            msg = f"{LOOPBACK}:{self.port} is already in use (another Home Assistant?)"
            raise HassError(msg)
        self._prepare_config_dir()
        self._dns = LoopbackDns()
        try:
            await self._dns.start()
        except ResolverError as err:
            raise HassError(str(err)) from err

        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        hass = [str(HASS_BIN), "--config", str(self.config_dir), "--skip-pip", "--log-no-color"]
        try:
            args = wrap_command(write_resolv_conf(self.config_dir / RESOLV_FILE), hass)
        except ResolverError as err:
            raise HassError(str(err)) from err
        console: IO[bytes]
        with (self.config_dir / CONSOLE_FILE).open("wb") as console:
            _LOGGER.info("starting %s", " ".join(args))
            self.spawned_at = time.monotonic()
            self._proc = await asyncio.create_subprocess_exec(
                *args,
                cwd=self.config_dir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=console,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        self._exited = asyncio.ensure_future(self._proc.wait())
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT))
        deadline = time.monotonic() + self.start_timeout
        await self._wait_http(deadline)
        await self._authenticate(deadline)
        await self._wait_running(deadline)
        await self._check_http_config()

    async def stop(self) -> None:
        """SIGTERM the process group, wait, SIGKILL after stop_timeout; close the client."""
        proc, self._proc = self._proc, None
        exited, self._exited = self._exited, None
        if proc is not None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                code = await asyncio.wait_for(proc.wait(), self.stop_timeout)
            except TimeoutError:
                _LOGGER.warning("Home Assistant ignored SIGTERM for %.0fs", self.stop_timeout)
            else:
                _LOGGER.info("Home Assistant exited with code %s", code)
            # Also reaps helpers (ffmpeg) that outlived the main process in its group.
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
        if exited is not None:
            await exited
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        dns, self._dns = self._dns, None
        if dns is not None:
            dns.stop()
        self._access_token = None
        self._refresh_token = None

    def log_tail(self, lines: int = 60) -> str:
        """Return the last lines of home-assistant.log (or of the console output)."""
        for path in (self.log_path, self.config_dir / CONSOLE_FILE):
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            if text.strip():
                return "\n".join(text.splitlines()[-lines:])
        return "(Home Assistant wrote no log)"

    # ------------------------------------------------------------------ preparation

    def _prepare_config_dir(self) -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        store = http_store(self.port, self.lan_address)
        if store is not None:
            storage = self.config_dir / ".storage"
            storage.mkdir(exist_ok=True)
            (storage / "http").write_text(json.dumps(store, indent=2))
        (self.config_dir / "configuration.yaml").write_text(
            configuration_yaml(
                self.port,
                self.name,
                self.log_level,
                http_yaml=store is None,
                lan_address=self.lan_address,
            )
            + self.extra_yaml
        )
        if self.link_integration:
            self._link_integration()
        self._preseed_onboarding()

    def _link_integration(self) -> None:
        """Make ``<config>/custom_components/homebound`` point at the repository's code."""
        if not (INTEGRATION_DIR / "manifest.json").is_file():
            msg = "custom_components/homebound/manifest.json is missing"
            raise HassError(msg)
        target = self.config_dir / "custom_components" / "homebound"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            if target.resolve() == INTEGRATION_DIR.resolve():
                return
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        try:
            target.symlink_to(INTEGRATION_DIR, target_is_directory=True)
        except OSError:
            shutil.copytree(INTEGRATION_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))

    def _preseed_onboarding(self) -> None:
        """In a fresh directory, mark every onboarding step but "user" as done."""
        storage = self.config_dir / ".storage"
        onboarding = storage / "onboarding"
        if onboarding.exists():
            return
        storage.mkdir(exist_ok=True)
        onboarding.write_text(
            json.dumps(
                {
                    "version": ONBOARDING_STORAGE_VERSION,
                    "minor_version": 1,
                    "key": "onboarding",
                    "data": {"done": list(PRESEEDED_STEPS)},
                },
                indent=2,
            )
        )

    # ------------------------------------------------------------------ start-up waits

    def _check_alive(self) -> None:
        if self._proc is None:
            msg = "Home Assistant is not running"
            raise HassError(msg)
        if self._proc.returncode is not None:
            msg = f"Home Assistant exited with code {self._proc.returncode}"
            raise HassError(msg)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            msg = "Home Assistant is not running"
            raise HassError(msg)
        return self._session

    async def _pause(self, deadline: float, what: str) -> None:
        """Wait one poll interval, or fail when the child died or the deadline passed."""
        self._check_alive()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = f"timed out after {self.start_timeout:.0f}s waiting for {what}"
            raise HassError(msg)
        assert self._exited is not None
        # Returns early if the process exits, so a crash is noticed at once.
        await asyncio.wait({self._exited}, timeout=min(POLL_INTERVAL, remaining))
        self._check_alive()

    async def _wait_http(self, deadline: float) -> None:
        """Poll ``GET /auth/providers`` until the HTTP server answers at all.

        Not ``/api/``: an unauthenticated request there counts as a failed login, and Home
        Assistant greets the user with a "Login attempt failed" notification.
        """
        session = self._http()
        while True:
            try:
                async with session.get(
                    f"{self.base_url}/auth/providers", timeout=aiohttp.ClientTimeout(total=5)
                ) as resp:
                    if resp.status < HTTPStatus.INTERNAL_SERVER_ERROR:
                        _LOGGER.info("Home Assistant answers on %s", self.base_url)
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await self._pause(deadline, f"the HTTP API on {self.base_url}")

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

    async def _wait_running(self, deadline: float) -> None:
        """Wait until the core reports RUNNING (all start-up integrations are set up)."""
        while True:
            config = await self.rest("GET", "/api/config")
            if isinstance(config, dict) and config.get("state") == "RUNNING":
                _LOGGER.info("Home Assistant %s is running", config.get("version"))
                return
            await self._pause(deadline, "Home Assistant to reach RUNNING")

    async def _check_http_config(self) -> None:
        """From 2026.10: refuse to go on unless the settings in use are the loopback ones."""
        if http_store(self.port, self.lan_address) is None:
            return
        config = await self.ws_command({"type": "http/config"})
        stable = config.get("stable") or {}
        if config.get("active_config_type") != "stable" or (
            stable.get("server_host"),
            stable.get("server_port"),
        ) != (server_hosts(self.lan_address), self.port):
            msg = f"Home Assistant did not take the loopback HTTP settings: {config}"
            raise HassError(msg)

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
