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

What the directory holds is :mod:`devtools.hass_config`; the API client it inherits is
:mod:`devtools.hass_api`. The names the demo, the benchmarks and the tests import from here
are re-exported (``__all__``).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from http import HTTPStatus
import json
import logging
import os
from pathlib import Path
import signal
import sys
import time
from types import TracebackType
from typing import IO, Self

import aiohttp

from devtools.hass_api import HassApi, HassApiError, HassError
from devtools.hass_config import (
    DEFAULT_NAME,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    INTEGRATION_DIR,
    LOOPBACK,
    REPO_ROOT,
    configuration_yaml,
    free_port,
    http_store,
    link_integration,
    missing_packages,
    port_is_free,
    preseed_onboarding,
    server_hosts,
)
from devtools.loopback_dns import LoopbackDns, ResolverError, wrap_command, write_resolv_conf

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "INTEGRATION_DIR",
    "LOOPBACK",
    "REPO_ROOT",
    "HassApiError",
    "HassError",
    "HassProcess",
    "configuration_yaml",
    "free_port",
    "http_store",
    "missing_packages",
    "port_is_free",
]

_LOGGER = logging.getLogger(__name__)

HASS_BIN = Path(sys.executable).with_name("hass")
"""The ``hass`` of the running interpreter's virtual environment (each test leg has its own)."""
LOG_FILE = "home-assistant.log"
CONSOLE_FILE = "hass-console.log"
RESOLV_FILE = ".loopback-resolv.conf"
"""The resolv.conf Home Assistant sees in its own mount namespace (in its config directory)."""
REQUEST_TIMEOUT = 30.0
POLL_INTERVAL = 0.25


class HassProcess(HassApi):
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
        super().__init__(port, username=username, password=password)
        self.config_dir = config_dir.resolve()
        self.port = port
        self.env = dict(env or {})
        self.name = name
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.link_integration = link_integration
        self.log_level = log_level
        self.extra_yaml = extra_yaml
        self.lan_address = lan_address
        self.spawned_at = 0.0
        """time.monotonic() when the process was started (benchmarks measure from it)."""
        self._proc: asyncio.subprocess.Process | None = None
        self._exited: asyncio.Future[int] | None = None
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
            try:
                link_integration(self.config_dir)
            except FileNotFoundError as err:
                raise HassError(str(err)) from err
        preseed_onboarding(self.config_dir)

    # ------------------------------------------------------------------ start-up waits

    def _check_alive(self) -> None:
        if self._proc is None:
            msg = "Home Assistant is not running"
            raise HassError(msg)
        if self._proc.returncode is not None:
            msg = f"Home Assistant exited with code {self._proc.returncode}"
            raise HassError(msg)

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
