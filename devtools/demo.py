"""The Homebound demo: a virtual camera, a real Home Assistant, the camera added like a user would.

    script/demo              run until Ctrl-C; open http://127.0.0.1:8123 (demo / homebound-demo)
    script/demo --check      do everything once, print PASS or FAIL, stop, exit 0 only on success
    script/demo --port 8200  serve Home Assistant on another port
    script/demo --screenshots DIR   also save PNGs of the integration, device and camera pages
                                    (headless Chromium; see devtools/screenshots.py)

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
   ``/api/camera_proxy/<entity>`` returns a JPEG;
5. raise motion on each camera (the simulator's control API) and wait for the entry's motion
   sensor to turn on, then clear it and wait for "off" (``devtools.demo_events``).

Every wait is bounded by one overall budget (``--timeout``). On failure the last lines of
``home-assistant.log`` are printed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path
import signal
import sys
import tempfile
import time
import traceback

from devtools.demo_events import check_motion
from devtools.demo_flow import (
    check_snapshot,
    ensure_camera_entry,
    failed_login_notices,
    put_in_area,
    wait_camera_entity,
)
from devtools.harness import Deadline, DemoError, SimulatedCamera, Simulator, say
from devtools.hass_process import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    REPO_ROOT,
    HassError,
    HassProcess,
    free_port,
    missing_packages,
)
from devtools.screenshots import take_screenshots

DEMO_CONFIG_DIR = REPO_ROOT / ".demo" / "config"
DEFAULT_HTTP_PORT = 8123
DEFAULT_BUDGET = 300.0
LOG_TAIL = 60
DEMO_AREA = "Front door"
"""The demo camera's area, so Home Assistant's default dashboard shows it on the first screen."""


async def _verify_first_screen(hass: HassProcess, area: str | None) -> None:
    """Check what a newcomer sees first: no failed-login warning, the camera in its area."""
    if notices := await failed_login_notices(hass):
        msg = f"Home Assistant shows a failed-login notification: {notices}"
        raise DemoError(msg)
    if area is None:
        msg = f"the camera device is in no area (expected {DEMO_AREA!r})"
        raise DemoError(msg)


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
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        metavar="DIR",
        help="save PNGs (and what each page showed, as JSON) of the integration page, the "
        "camera's device page and its more-info dialog, taken in headless Chromium",
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
            area = await put_in_area(hass, entry_id, DEMO_AREA)
            entity_id = await wait_camera_entity(hass, entry_id, deadline)
            size = await check_snapshot(hass, entity_id, deadline)
            say(f"   {entity_id} is available; /api/camera_proxy gave a {size}-byte JPEG")
            motion = await check_motion(hass, simulator, camera, entry_id, deadline)
            say(f"   {motion} turned on and off again with the camera's motion event")
            results.append((camera, entity_id, size))

        await _verify_first_screen(hass, area)
        if args.screenshots is not None:
            await take_screenshots(
                hass, entry_id, entity_id, args.screenshots, deadline, log_dir=run_dir
            )
        if args.check:
            say("")
            say(
                "PASS: simulator -> discovery -> config flow -> camera entity -> JPEG snapshot"
                " -> motion event -> motion sensor on and off"
            )
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
