"""The Homebound demo: a virtual camera, a real Home Assistant, the camera added like a user would.

    script/demo              run until Ctrl-C; open http://127.0.0.1:8123 (demo / homebound-demo)
    script/demo --check      do everything once, print PASS or FAIL, stop, exit 0 only on success
    script/demo --port 8200  serve Home Assistant on another port

Steps:

1. start the simulator (``python -m simulator``): virtual ONVIF cameras on 127.0.0.1, and a
   WS-Discovery responder on a free UDP port;
2. start Home Assistant (``devtools.hass_process``) with ``HOMEBOUND_DISCOVERY_TARGETS`` set to
   that responder, so the integration's discovery probes it instead of the LAN's multicast
   group; the configuration directory is ``.demo/config`` (kept between runs, so dashboards
   survive) or, with ``--check``, a fresh temporary directory;
3. add each simulated camera through the REST config flow of ``homebound`` (discovery
   progress step, pick the camera, enter credentials), or point an existing entry for that
   camera at the simulator's current address with the reconfigure flow;
4. verify that a ``camera.*`` entity of the integration is available and that
   ``/api/camera_proxy/<entity>`` returns a JPEG.

Every wait is bounded by one overall budget (``--timeout``). On failure the last lines of
``home-assistant.log`` are printed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
import json
import os
from pathlib import Path
import signal
import socket
import sys
import tempfile
import time
import traceback
from typing import IO, Any

from devtools.hass_process import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    REPO_ROOT,
    HassError,
    HassProcess,
    free_port,
    missing_packages,
)

DOMAIN = "homebound"
DEMO_CONFIG_DIR = REPO_ROOT / ".demo" / "config"
VENV_PYTHON = Path(sys.executable)
"""The interpreter of this test leg's virtual environment (the simulator runs on it too)."""
DEFAULT_HTTP_PORT = 8123
DEFAULT_BUDGET = 300.0
SIMULATOR_START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.5
LOG_TAIL = 60
JPEG_MAGIC = b"\xff\xd8\xff"
MANUAL_ENTRY = "manual"
UNAVAILABLE_STATES = frozenset({"unavailable", "unknown"})


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and why."""


def say(message: str = "") -> None:
    """Print one line of the demo's output."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


@dataclass(frozen=True, slots=True)
class SimulatedCamera:
    """One camera as announced by the simulator's readiness line."""

    name: str
    host: str
    onvif_port: int
    rtsp_port: int
    discovery_port: int
    username: str
    password: str
    mac: str
    serial: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimulatedCamera:
        """Build from one element of the readiness line's ``cameras`` list."""
        return cls(
            name=str(data["name"]),
            host=str(data["host"]),
            onvif_port=int(data["onvif_port"]),
            rtsp_port=int(data.get("rtsp_port") or 0),
            discovery_port=int(data["discovery_port"]),
            username=str(data["username"]),
            password=str(data["password"]),
            mac=str(data["mac"]),
            serial=str(data["serial"]),
        )

    @property
    def address(self) -> str:
        """``host:port`` of the ONVIF service, as the discovery step lists it."""
        return f"{self.host}:{self.onvif_port}"


class Deadline:
    """One time budget shared by every wait of the demo."""

    def __init__(self, seconds: float) -> None:
        """Start the clock."""
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self, what: str) -> float:
        """Seconds left; raise DemoError naming ``what`` when the budget is spent."""
        left = self.end - time.monotonic()
        if left <= 0:
            msg = f"timed out ({self.seconds:.0f}s budget) while waiting for {what}"
            raise DemoError(msg)
        return left

    async def pause(self, what: str) -> None:
        """Sleep one poll interval between two bounded re-checks of ``what``."""
        await asyncio.sleep(min(POLL_INTERVAL, self.remaining(what)))


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


# --------------------------------------------------------------------------- simulator


class Simulator:
    """The virtual cameras, as a child process in its own process group."""

    def __init__(self, log_path: Path) -> None:
        """Nothing runs before :meth:`start`."""
        self.log_path = log_path
        self.control_port = 0
        self.cameras: list[SimulatedCamera] = []
        self._proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self._drain: asyncio.Task[None] | None = None

    async def start(self, deadline: Deadline) -> None:
        """Start ``python -m simulator`` and wait for its JSON readiness line."""
        discovery_port = _free_udp_port()
        control_port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self._proc = await asyncio.create_subprocess_exec(
            str(VENV_PYTHON),
            "-m",
            "simulator",
            "--discovery-port",
            str(discovery_port),
            "--control-port",
            str(control_port),
            cwd=REPO_ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self._proc.stdout is not None
        timeout = min(SIMULATOR_START_TIMEOUT, deadline.remaining("the simulator"))
        try:
            ready = await asyncio.wait_for(self._read_ready(self._proc.stdout), timeout)
        except TimeoutError:
            msg = f"the simulator printed no readiness line within {timeout:.0f}s"
            raise DemoError(msg) from None
        self.control_port = int(ready.get("control_port", control_port))
        self.cameras = [SimulatedCamera.from_json(camera) for camera in ready["cameras"]]
        if not self.cameras:
            msg = "the simulator started without any camera"
            raise DemoError(msg)
        # Keep reading stdout into the log so the simulator never blocks on a full pipe.
        self._drain = asyncio.create_task(self._copy_to_log(self._proc.stdout))

    async def _read_ready(self, stdout: asyncio.StreamReader) -> dict[str, Any]:
        assert self._log is not None
        while True:
            raw = await stdout.readline()
            if not raw:
                code = await self._wait_exit()
                msg = f"the simulator exited (code {code}) before it was ready"
                raise DemoError(msg)
            self._log.write(raw)
            self._log.flush()
            line = raw.decode(errors="replace").strip()
            if not line.startswith("{"):
                continue
            with suppress(json.JSONDecodeError):
                data = json.loads(line)
                if isinstance(data, dict) and "cameras" in data:
                    return data

    async def _wait_exit(self) -> int:
        assert self._proc is not None
        return await self._proc.wait()

    async def wait_exited(self) -> int:
        """Wait until the simulator ends by itself; return its exit code."""
        return await self._wait_exit()

    async def _copy_to_log(self, stdout: asyncio.StreamReader) -> None:
        while raw := await stdout.readline():
            if self._log is not None and not self._log.closed:
                self._log.write(raw)
                self._log.flush()

    def log_tail(self, lines: int = 20) -> str:
        """Return the last lines the simulator wrote."""
        return _tail(self.log_path, lines)

    async def stop(self) -> None:
        """SIGTERM the simulator's process group, SIGKILL after a timeout, reap it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
        if self._drain is not None:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._drain, STOP_TIMEOUT)
            self._drain = None
        if self._log is not None:
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------- config flow


def _select_options(flow: dict[str, Any], field: str) -> list[str]:
    """Return the option values a form offers for a select field."""
    for item in flow.get("data_schema") or []:
        if item.get("name") != field:
            continue
        select = (item.get("selector") or {}).get("select") or {}
        options = select.get("options") or item.get("options") or []
        values = []
        for option in options:
            if isinstance(option, dict):
                values.append(str(option.get("value")))
            elif isinstance(option, (list, tuple)) and option:
                values.append(str(option[0]))
            else:
                values.append(str(option))
        return values
    return []


def _describe(flow: dict[str, Any]) -> str:
    return (
        f"type={flow.get('type')} step={flow.get('step_id')} "
        f"errors={flow.get('errors')} reason={flow.get('reason')}"
    )


async def _wait_progress(
    hass: HassProcess, flow: dict[str, Any], deadline: Deadline
) -> dict[str, Any]:
    """Re-fetch a flow while it shows a progress step (bounded by the budget)."""
    while flow.get("type") in ("progress", "progress_done"):
        await deadline.pause(f"the {flow.get('progress_action') or 'progress'} step to finish")
        flow = await hass.flow_get(flow["flow_id"])
    return flow


async def _run_add_flow(
    hass: HassProcess, camera: SimulatedCamera, deadline: Deadline
) -> dict[str, Any]:
    """Walk the user flow for ``camera``; return the final result (create_entry or abort)."""
    flow = await hass.flow_start(DOMAIN)
    try:
        return await _drive_add_flow(hass, camera, flow, deadline)
    except BaseException:
        await hass.flow_abort(flow["flow_id"])
        raise


async def _drive_add_flow(
    hass: HassProcess, camera: SimulatedCamera, flow: dict[str, Any], deadline: Deadline
) -> dict[str, Any]:
    flow_id = flow["flow_id"]
    flow = await _wait_progress(hass, flow, deadline)
    for _ in range(6):  # pick -> credentials -> done, or manual -> done, plus retries
        kind, step = flow.get("type"), flow.get("step_id")
        if kind != "form":
            return flow
        if flow.get("errors"):
            msg = f"config flow step {step!r} reported errors: {flow['errors']}"
            raise DemoError(msg)
        if step == "pick":
            offered = _select_options(flow, "device")
            choice = camera.address if camera.address in offered else MANUAL_ENTRY
            if choice == MANUAL_ENTRY:
                say(f"   discovery did not offer {camera.address} (offered {offered})")
            else:
                say(f"   discovered {camera.address}; choosing it")
            flow = await hass.flow_step(flow_id, {"device": choice})
        elif step == "credentials":
            flow = await hass.flow_step(
                flow_id, {"username": camera.username, "password": camera.password}
            )
        elif step == "manual":
            say(f"   entering {camera.address} by hand")
            flow = await hass.flow_step(
                flow_id,
                {
                    "host": camera.host,
                    "port": camera.onvif_port,
                    "username": camera.username,
                    "password": camera.password,
                },
            )
        else:
            msg = f"unexpected config flow step: {_describe(flow)}"
            raise DemoError(msg)
        flow = await _wait_progress(hass, flow, deadline)
    msg = f"config flow did not finish: {_describe(flow)}"
    raise DemoError(msg)


async def _reconfigure(
    hass: HassProcess, entry_id: str, camera: SimulatedCamera, deadline: Deadline
) -> None:
    """Point an existing entry at the camera's current address (reconfigure flow)."""
    flow = await hass.rest(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "entry_id": entry_id, "show_advanced_options": False},
    )
    flow = await _wait_progress(hass, flow, deadline)
    if flow.get("type") == "form" and flow.get("step_id") == "reconfigure":
        flow = await hass.flow_step(
            flow["flow_id"],
            {
                "host": camera.host,
                "port": camera.onvif_port,
                "username": camera.username,
                "password": camera.password,
            },
        )
    if flow.get("type") != "abort" or flow.get("reason") != "reconfigure_successful":
        with suppress(KeyError):
            await hass.flow_abort(flow["flow_id"])
        msg = f"reconfiguring entry {entry_id} failed: {_describe(flow)}"
        raise DemoError(msg)


def _normal_mac(mac: str) -> str:
    return "".join(ch for ch in mac.lower() if ch in "0123456789abcdef")


async def _existing_entry(hass: HassProcess, camera: SimulatedCamera) -> str | None:
    """Return the entry id of a homebound entry whose device is this camera, if any."""
    entries = {entry["entry_id"] for entry in await hass.config_entries(DOMAIN)}
    if not entries:
        return None
    devices = await hass.ws_command({"type": "config/device_registry/list"})
    mac = _normal_mac(camera.mac)
    for device in devices or []:
        macs = {
            _normal_mac(str(value))
            for kind, value in device.get("connections") or []
            if kind == "mac"
        }
        ids = {str(value) for domain, value in device.get("identifiers") or [] if domain == DOMAIN}
        if mac in macs or camera.serial in ids or camera.mac in ids:
            for entry_id in device.get("config_entries") or []:
                if entry_id in entries:
                    return str(entry_id)
    return None


async def _entry_state(hass: HassProcess, entry_id: str) -> dict[str, Any]:
    for entry in await hass.config_entries(DOMAIN):
        if entry["entry_id"] == entry_id:
            return entry
    msg = f"config entry {entry_id} disappeared"
    raise DemoError(msg)


async def ensure_camera_entry(
    hass: HassProcess, camera: SimulatedCamera, deadline: Deadline
) -> str:
    """Add ``camera`` (or refresh its existing entry); return the entry id once it is loaded."""
    entry_id = await _existing_entry(hass, camera)
    if entry_id is None:
        say(f"-> adding {camera.name} ({camera.address}) through the config flow")
        result = await _run_add_flow(hass, camera, deadline)
        if result.get("type") == "create_entry":
            entry_id = str(result["result"]["entry_id"])
            say(f"   created entry {result.get('title')!r}")
        elif result.get("type") == "abort" and result.get("reason") == "already_configured":
            entries = await hass.config_entries(DOMAIN)
            if len(entries) != 1:
                msg = "the flow says the camera is configured, but its entry is not identifiable"
                raise DemoError(msg)
            entry_id = str(entries[0]["entry_id"])
            say(f"   already configured as {entries[0]['title']!r}; updating its address")
            await _reconfigure(hass, entry_id, camera, deadline)
        else:
            msg = f"adding the camera failed: {_describe(result)}"
            raise DemoError(msg)
    else:
        say(f"-> {camera.name} is already added; pointing it at {camera.address}")
        await _reconfigure(hass, entry_id, camera, deadline)

    while True:
        entry = await _entry_state(hass, entry_id)
        state = entry.get("state")
        if state == "loaded":
            return entry_id
        if state in ("setup_error", "migration_error", "failed_unload"):
            msg = f"config entry {entry_id} is in state {state}: {entry.get('reason')}"
            raise DemoError(msg)
        await deadline.pause(f"config entry {entry_id} to load (state {state})")


async def wait_camera_entity(hass: HassProcess, entry_id: str, deadline: Deadline) -> str:
    """Return a camera entity of the entry once its state is not unavailable."""
    last = "no camera entity registered"
    while True:
        registry = await hass.entity_registry()
        cameras = [
            item["entity_id"]
            for item in registry
            if item.get("platform") == DOMAIN
            and item.get("config_entry_id") == entry_id
            and str(item.get("entity_id", "")).startswith("camera.")
            and not item.get("disabled_by")
        ]
        if cameras:
            states = {state["entity_id"]: state for state in await hass.states()}
            for entity_id in sorted(cameras):
                state = states.get(entity_id, {}).get("state")
                if state is not None and state not in UNAVAILABLE_STATES:
                    return str(entity_id)
            last = ", ".join(f"{e}={states.get(e, {}).get('state')}" for e in sorted(cameras))
        await deadline.pause(f"an available camera entity ({last})")


async def check_snapshot(hass: HassProcess, entity_id: str, deadline: Deadline) -> int:
    """Fetch ``/api/camera_proxy/<entity>`` until it is a JPEG; return its size."""
    last = ""
    while True:
        status, content_type, body = await hass.get_bytes(f"/api/camera_proxy/{entity_id}")
        if status == 200 and content_type == "image/jpeg" and body.startswith(JPEG_MAGIC):
            return len(body)
        last = f"HTTP {status}, {content_type}, {len(body)} bytes"
        await deadline.pause(f"a JPEG from /api/camera_proxy/{entity_id} (last: {last})")


# --------------------------------------------------------------------------- main


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="script/demo",
        description="Run a virtual ONVIF camera and a real Home Assistant with Homebound.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="run once in a fresh temporary configuration, print PASS/FAIL and exit",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"Home Assistant's HTTP port (default {DEFAULT_HTTP_PORT}; a free one with --check)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_BUDGET,
        help=f"time budget in seconds for starting and verifying (default {DEFAULT_BUDGET:.0f})",
    )
    parser.add_argument(
        "--config-dir",
        type=Path,
        default=None,
        help="Home Assistant's configuration directory (default .demo/config; a temporary "
        "one with --check)",
    )
    return parser.parse_args(argv)


def _check_packages() -> None:
    missing = missing_packages()
    if missing:
        msg = (
            "packages Home Assistant needs are missing from this virtual environment "
            f"(hass runs with --skip-pip): {' '.join(missing)}"
        )
        raise DemoError(msg)


async def _wait_for_interrupt(hass: HassProcess, simulator: Simulator) -> None:
    """Return on Ctrl-C or SIGTERM; raise DemoError when a child process dies first."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # The handlers stay installed afterwards: a second Ctrl-C must not cut the clean-up short.
    waiters = {
        asyncio.create_task(stop.wait(), name="interrupt"): "",
        asyncio.create_task(hass.wait_exited(), name="hass"): "Home Assistant",
        asyncio.create_task(simulator.wait_exited(), name="simulator"): "the simulator",
    }
    done, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if waiters[task]:
            msg = f"{waiters[task]} exited unexpectedly (code {task.result()})"
            raise DemoError(msg)


async def _demo(args: argparse.Namespace, config_dir: Path, run_dir: Path) -> int:
    deadline = Deadline(args.timeout)
    port = args.port or (free_port() if args.check else DEFAULT_HTTP_PORT)
    simulator = Simulator(run_dir / "simulator.log")
    hass: HassProcess | None = None
    failure: str | None = None
    try:
        _check_packages()
        say("-> starting the virtual camera simulator")
        await simulator.start(deadline)
        for camera in simulator.cameras:
            say(f"   {camera.name}: ONVIF {camera.address}, RTSP port {camera.rtsp_port}")
        targets = ",".join(
            sorted({f"{camera.host}:{camera.discovery_port}" for camera in simulator.cameras})
        )
        say(f"-> starting Home Assistant on http://127.0.0.1:{port} (config {config_dir})")
        hass = HassProcess(
            config_dir,
            port=port,
            env={"HOMEBOUND_DISCOVERY_TARGETS": targets},
            start_timeout=deadline.remaining("Home Assistant to start"),
        )
        started = time.monotonic()
        await hass.start()
        say(
            f"   running after {time.monotonic() - started:.1f}s"
            + (" (onboarded a fresh instance)" if hass.onboarded_now else "")
        )
        results: list[tuple[SimulatedCamera, str, int]] = []
        for camera in simulator.cameras:
            entry_id = await ensure_camera_entry(hass, camera, deadline)
            entity_id = await wait_camera_entity(hass, entry_id, deadline)
            size = await check_snapshot(hass, entity_id, deadline)
            say(f"   {entity_id} is available; /api/camera_proxy gave a {size}-byte JPEG")
            results.append((camera, entity_id, size))

        if args.check:
            say("")
            say("PASS: simulator -> discovery -> config flow -> camera entity -> JPEG snapshot")
            for camera, entity_id, size in results:
                say(f"      {camera.name}: {entity_id}, snapshot {size} bytes")
            return 0

        say("")
        say(f"Home Assistant is running at http://127.0.0.1:{port}")
        say(f"  log in as:   {DEFAULT_USER} / {DEFAULT_PASSWORD}")
        for camera, entity_id, _ in results:
            say(f"  camera:      {entity_id} ({camera.name} at {camera.address})")
        say(f"  simulator:   control API on http://127.0.0.1:{simulator.control_port}/")
        say(f"  logs:        {hass.log_path} and {simulator.log_path}")
        say("Press Ctrl-C to stop.")
        await _wait_for_interrupt(hass, simulator)
        say("-> stopping")
        return 0
    except (DemoError, HassError) as err:
        failure = str(err)
    except Exception as err:  # noqa: BLE001 - every failure must end in FAIL and the log tail
        failure = f"unexpected {type(err).__name__}: {err}\n{traceback.format_exc()}"
    finally:
        if failure is not None:
            say("")
            say(f"FAIL: {failure}")
            if hass is not None:
                say(f"--- last {LOG_TAIL} lines of {hass.log_path} ---")
                say(hass.log_tail(LOG_TAIL))
            say(f"--- last lines of {simulator.log_path} ---")
            say(simulator.log_tail())
        if hass is not None:
            await hass.stop()
        await simulator.stop()
    return 1


async def _main(args: argparse.Namespace) -> int:
    # SIGTERM during start-up cancels the run, so the finally blocks stop the children.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    if args.check and args.config_dir is None:
        with tempfile.TemporaryDirectory(prefix="homebound-demo-") as tmp:
            return await _demo(args, Path(tmp) / "config", Path(tmp))
    config_dir = (args.config_dir or DEMO_CONFIG_DIR).resolve()
    return await _demo(args, config_dir, config_dir.parent)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m devtools.demo``."""
    args = _parse_args(argv)
    try:
        return asyncio.run(_main(args))
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
