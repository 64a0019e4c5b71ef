"""Headless Chromium for the demo's screenshots, and the Node.js program that drives it.

Why the driver is playwright-core (Node.js) and not hand-written DevTools protocol calls from
Python: Home Assistant's frontend is Lit components nested many shadow roots deep, and the
screenshots need waits on conditions (text on screen, network quiet, the stream playing).
Playwright's locators pierce open shadow roots, its ``waitForFunction`` polls a condition with a
timeout, and it follows the protocol's changes between Chromium releases; doing all of that over
raw CDP would be a second, untested browser driver in this repository. playwright-core is one
dependency-free npm package that never downloads a browser; it drives Debian's ``chromium``.

Why this module starts Chromium itself (and Playwright only connects to it over CDP): the run
must own the browser's processes. Chromium runs in a process group of its own, is stopped with
SIGTERM then SIGKILL to that group, and its ``--user-data-dir`` and ``HOME`` are a fresh
temporary directory, removed afterwards. Playwright's own ``launch`` would make the browser a
child of the Node.js process, out of reach when Node is killed on a timeout.

Why it cannot reach the internet: Chromium's background services are off (the flags below, which
this machine's closed network showed to be needed), every non-loopback request goes to
:class:`ProxySink` (an HTTP proxy on 127.0.0.1 that answers 403 and records what was asked, so a
page that wanted the internet is seen, not silently fixed), host names other than 127.0.0.1 do
not resolve, and WebRTC may not send UDP outside that proxy. DevTools listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
import os
from pathlib import Path
import shutil
import signal
from typing import IO

from devtools.harness import Deadline, DemoError

PLAYWRIGHT_CORE_VERSION = "1.64.1"
"""The pinned playwright-core; script/setup reads it from here and installs exactly this."""
ROOT_PLAYWRIGHT_DIR = Path(f"/opt/homebound/playwright-core-{PLAYWRIGHT_CORE_VERSION}")
"""Where script/setup installs it inside the newest leg's Debian sid root."""
CHROMIUM_CANDIDATES = (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium"))
"""Debian's binary first: the /usr/bin wrapper adds flags and API keys from /etc/chromium.d."""
DEVTOOLS_START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
SINK_READ_TIMEOUT = 5.0
LOOPBACK = "127.0.0.1"
FORBIDDEN = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def chromium_flags(user_data_dir: Path, proxy_port: int) -> list[str]:
    """Chromium's command-line flags: headless, loopback only, no background traffic."""
    disabled = ",".join(
        (
            "Translate",
            "OptimizationHints",
            "MediaRouter",
            "DialMediaRouteProvider",
            "AutofillServerCommunication",
            "CertificateTransparencyComponentUpdater",
            "NetworkTimeServiceQuerying",
            "InterestFeedContentSuggestions",
        )
    )
    sink = f"http://{LOOPBACK}:{proxy_port}"
    return [
        "--headless",
        "--no-sandbox",  # the demo runs as root here; the pages are the demo's own
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-breakpad",
        "--no-pings",
        "--metrics-recording-only",
        f"--disable-features={disabled}",
        "--password-store=basic",
        "--use-mock-keychain",
        "--mute-audio",
        "--hide-scrollbars",
        "--autoplay-policy=no-user-gesture-required",
        # Chromium's own Google services (sign-in's ListAccounts, the component updater's
        # on-demand installs) ignore the flags above: point them at the sink on loopback.
        f"--gaia-url={sink}",
        f"--google-apis-url={sink}",
        f"--lso-url={sink}",
        f"--component-updater=url-source={sink}",
        f"--proxy-server={sink}",
        f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        f"--remote-debugging-address={LOOPBACK}",
        "--remote-debugging-port=0",
        f"--user-data-dir={user_data_dir}",
        "about:blank",
    ]


def find_chromium() -> Path:
    """Debian's Chromium (script/setup installs the package on the host and in the root)."""
    for candidate in CHROMIUM_CANDIDATES:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    msg = "Chromium is not installed (Debian package chromium): run script/setup"
    raise DemoError(msg)


def find_node() -> Path:
    """Return the Node.js that runs devtools/screenshots.mjs."""
    node = shutil.which("node")
    if node is None:
        msg = "Node.js is not installed: run script/setup"
        raise DemoError(msg)
    return Path(node)


def _cache_dir() -> Path:
    """Return the cache script/lib/common.sh names (HOMEBOUND_CACHE, else XDG_CACHE_HOME)."""
    if explicit := os.environ.get("HOMEBOUND_CACHE"):
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "homebound"


def find_playwright() -> Path:
    """Return the directory script/setup installed playwright-core into (with package.json)."""
    candidates = (ROOT_PLAYWRIGHT_DIR, _cache_dir() / f"playwright-core-{PLAYWRIGHT_CORE_VERSION}")
    for directory in candidates:
        if (directory / "node_modules" / "playwright-core" / "package.json").is_file():
            return directory
    msg = f"playwright-core {PLAYWRIGHT_CORE_VERSION} is not installed: run script/setup"
    raise DemoError(msg)


def _child_env(home: Path) -> dict[str, str]:
    """Return a small environment: no display, no proxy settings, HOME in a temporary dir."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "NO_PROXY": "*",
    }


class ProxySink:
    """An HTTP proxy on 127.0.0.1 that forwards nothing: it records each request and says 403.

    Chromium sends it two kinds of request: as its proxy, what a page or the browser wanted from
    another host (``CONNECT host:443`` or ``GET http://host/...``: :attr:`internet`); and, as the
    address its Google service switches point at, those services' own calls (``POST /path``:
    :attr:`services`).
    """

    def __init__(self) -> None:
        """Nothing listens before :meth:`start`."""
        self.internet: list[str] = []
        self.services: list[str] = []
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The port Chromium's ``--proxy-server`` points at."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._answer, LOOPBACK, 0)

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(OSError, TimeoutError, ValueError):
            line = await asyncio.wait_for(reader.readline(), SINK_READ_TIMEOUT)
            # "CONNECT host:443 HTTP/1.1" or "GET http://host/path HTTP/1.1": keep method + target.
            method, target = ([*line.decode("latin-1").split(), "", ""])[:2]
            if target:
                seen = self.services if target.startswith("/") else self.internet
                seen.append(f"{method} {target.split('?')[0]}")
            writer.write(FORBIDDEN)
            await writer.drain()
        writer.close()
        with suppress(OSError):
            await writer.wait_closed()

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


class Chromium:
    """Debian's headless Chromium in a process group of its own, DevTools on 127.0.0.1."""

    def __init__(self, temp_dir: Path, log_path: Path) -> None:
        """``temp_dir`` is fresh and empty: the profile and HOME live there."""
        self.temp_dir = temp_dir
        self.log_path = log_path
        self.cdp_url = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None

    async def start(self, proxy_port: int, deadline: Deadline) -> str:
        """Start Chromium; return its DevTools WebSocket address once it listens."""
        profile = self.temp_dir / "profile"
        profile.mkdir()
        self._log = self.log_path.open("wb")
        self._proc = await asyncio.create_subprocess_exec(
            str(find_chromium()),
            *chromium_flags(profile, proxy_port),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,
            env=_child_env(self.temp_dir),
        )
        # Chromium writes "PORT\n/devtools/browser/ID" there once DevTools listens.
        active = profile / "DevToolsActivePort"
        timeout = min(DEVTOOLS_START_TIMEOUT, deadline.remaining("Chromium to start"))
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            if self._proc.returncode is not None:
                msg = f"Chromium exited with code {self._proc.returncode} (log: {self.log_path})"
                raise DemoError(msg)
            lines = active.read_text().split() if active.is_file() else []
            if len(lines) == 2 and lines[0].isdigit():
                self.cdp_url = f"ws://{LOOPBACK}:{lines[0]}{lines[1]}"
                return self.cdp_url
            if loop.time() > end:
                msg = f"Chromium opened no DevTools port in {timeout:.0f}s (log: {self.log_path})"
                raise DemoError(msg)
            await deadline.pause("Chromium's DevTools port")

    async def stop(self) -> None:
        """SIGTERM Chromium's process group, SIGKILL what is left, reap it, close the log."""
        proc, self._proc = self._proc, None
        if proc is not None:
            await stop_group(proc)
        if self._log is not None:
            self._log.close()
            self._log = None


async def stop_group(proc: asyncio.subprocess.Process) -> None:
    """End a child started with ``start_new_session``: its whole process group, by its id."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with suppress(TimeoutError):
        await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    await proc.wait()


async def run_node(script: Path, job_path: Path, temp_dir: Path, timeout: float) -> str:
    """Run ``node SCRIPT JOB`` in its own process group; return its output, raise on failure."""
    proc = await asyncio.create_subprocess_exec(
        str(find_node()),
        str(script),
        str(job_path),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
        env=_child_env(temp_dir),
    )
    try:
        output, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        msg = f"the browser script did not finish within {timeout:.0f}s"
        raise DemoError(msg) from None
    finally:
        if proc.returncode is None:  # timed out or cancelled; a finished Node leaves nothing
            await stop_group(proc)
    text = output.decode(errors="replace").rstrip()
    if proc.returncode != 0:
        msg = f"the browser script failed (exit {proc.returncode}):\n{text}"
        raise DemoError(msg)
    return text
