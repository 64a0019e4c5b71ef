"""The Homebound demo: a virtual camera, a real Home Assistant, the camera added like a user would.

    script/demo              run until Ctrl-C; open http://127.0.0.1:8123 (demo / homebound-demo)
    script/demo --check      do everything once, print PASS or FAIL, stop, exit 0 only on success
    script/demo --port 8200  serve Home Assistant on another port
    script/demo --screenshots DIR   also save PNGs of the first screen, the integration, device and
                                    camera pages (headless Chromium; see devtools/screenshots.py)

Steps:

1. start the simulator (``python -m simulator``): a virtual ONVIF camera and a WS-Discovery
   responder on a free UDP port of 127.0.0.1; as root, the camera's web port is on a LAN of
   its own (a network namespace joined to this host by a veth pair, :mod:`devtools.demo_lan`),
   so the firewall sees it as it sees a camera on a real LAN; otherwise on 127.0.0.1;
2. start Home Assistant (``devtools.hass_process``) with ``HOMEBOUND_DISCOVERY_TARGETS`` set to
   that responder, so the integration's discovery probes it instead of the LAN's multicast
   group, resolving names only on 127.0.0.1 (:mod:`devtools.loopback_dns`); the configuration
   directory is ``.demo/<Home Assistant version>/config``, one per test leg (kept between runs,
   so what the user changed survives; a release migrates it for itself only) or, with
   ``--check``, a fresh temporary directory;
3. add each simulated camera through the REST config flow of ``homebound`` (discovery
   progress step, pick the camera, enter credentials), or point an existing entry for that
   camera at the simulator's current address with the reconfigure flow;
4. verify that a ``camera.*`` entity of the integration is available and that
   ``/api/camera_proxy/<entity>`` returns a JPEG;
5. raise motion on each camera (the simulator's control API) and wait for the entry's motion
   sensor to turn on, then clear it and wait for "off" (``devtools.demo_events``);
6. save a dashboard with each camera on its first screen and make it the default one
   (``devtools.demo_dashboard``), and check what a newcomer meets first: no notification, no
   repair, no name resolved off the machine (``devtools.demo_checks``).

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

from homeassistant.const import __version__ as ha_version

from devtools.demo_cards import hass_options
from devtools.demo_checks import (
    EXPORT_NOTICES,
    check_dns,
    first_screen_problems,
    homebound_findings,
    ignore_install_notices,
)
from devtools.demo_dashboard import DemoCamera, describe, install_overview, overview_problems
from devtools.demo_events import check_motion
from devtools.demo_firewall import (
    NamespaceFirewall,
    add_firewall_entry,
    block_clouds,
    cloud_blocking_states,
    wait_confirmed,
)
from devtools.demo_flow import (
    check_snapshot,
    ensure_camera_entry,
    failed_login_notices,
    put_in_area,
    wait_camera_entity,
)
from devtools.demo_lan import CameraLan
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

DEMO_DIR = REPO_ROOT / ".demo"
DEFAULT_HTTP_PORT = 8123
DEFAULT_BUDGET = 300.0
LOG_TAIL = 60
DEMO_AREA = "Front door"
"""The demo camera's area, so Home Assistant's default dashboard shows it on the first screen."""


def default_config_dir() -> Path:
    """``.demo/<version>/config``: one configuration per Home Assistant release (per test leg).

    Home Assistant migrates its configuration forward at start, and an older release refuses
    what a newer one migrated (2026.2 failed with NotImplementedError on 2026.10's registries).
    """
    return DEMO_DIR / ha_version / "config"


def _release_key(version: str) -> tuple[int, ...]:
    """(2026, 10, 4) of "2026.10.4"; pre-release suffixes count as the release."""
    parts = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        parts.append(int(digits or 0))
    return tuple(parts)


def check_config_release(config_dir: Path, running: str = ha_version) -> None:
    """Refuse a configuration directory a newer Home Assistant already migrated."""
    try:
        written = (config_dir / ".HA_VERSION").read_text().strip()
    except FileNotFoundError:
        return
    if _release_key(written) > _release_key(running):
        msg = (
            f"{config_dir} was last used by Home Assistant {written}, which migrated it; "
            f"{running} cannot read it. Use that release (script/demo --ha newest) or "
            "another --config-dir."
        )
        raise DemoError(msg)


async def _verify_first_screen(
    hass: HassProcess,
    area: str | None,
    cameras: list[DemoCamera],
    ours: bool,
    expected: tuple[str, ...] = (),
) -> None:
    """Check what a newcomer sees first.

    No failed-login warning, no notification or repair, the camera in its area and on the
    first screen (a user's own dashboard is kept and only reported on).
    """
    if notices := await failed_login_notices(hass):
        msg = f"Home Assistant shows a failed-login notification: {notices}"
        raise DemoError(msg)
    if problems := await first_screen_problems(hass, expected):
        msg = f"Home Assistant greets the user with: {'; '.join(problems)}"
        raise DemoError(msg)
    if area is None:
        msg = f"the camera device is in no area (expected {DEMO_AREA!r})"
        raise DemoError(msg)
    if missing := await overview_problems(hass, cameras):
        if ours:
            raise DemoError("; ".join(missing))
        say(f"   your own dashboard is kept: {'; '.join(missing)}")


def build_parser() -> argparse.ArgumentParser:
    """Return the options of ``python -m devtools.demo`` (script/demo's --help lists each)."""
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
        help="Home Assistant's configuration directory (default .demo/<Home Assistant "
        "version>/config; a temporary one with --check)",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        metavar="DIR",
        help="save PNGs (and what each page showed, as JSON) of the first screen, the integration "
        "page, the camera's device page and its more-info dialog, taken in headless Chromium",
    )
    return parser


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


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
    firewall = NamespaceFirewall(run_dir)
    lan = CameraLan()
    hass: HassProcess | None = None
    failure: str | None = None
    try:
        _check_packages()
        check_config_release(config_dir)
        if lan.possible():
            lan.start()
            simulator.extra_args += lan.simulator_args()
            say(f"-> the camera's LAN: {lan.subnet} (namespace {lan.name})")
        say("-> starting the virtual camera simulator")
        await simulator.start(deadline)
        if lan.started:
            lan.attach(simulator.cameras[0].mac)
        for camera in simulator.cameras:
            say(f"   {camera.name}: ONVIF {camera.address}, RTSP port {camera.rtsp_port}")
        targets = ",".join(sorted({camera.discovery_target for camera in simulator.cameras}))
        say(f"-> starting Home Assistant on http://127.0.0.1:{port} (config {config_dir})")
        firewall.start()
        hass = HassProcess(
            config_dir,
            port=port,
            env={"HOMEBOUND_DISCOVERY_TARGETS": targets, **firewall.env()},
            start_timeout=deadline.remaining("Home Assistant to start"),
            lan_address=lan.host_address if lan.started else None,
            **hass_options(),
        )
        started = time.monotonic()
        await hass.start()
        say(
            f"   running after {time.monotonic() - started:.1f}s"
            + (" (onboarded a fresh instance)" if hass.onboarded_now else "")
        )
        results: list[tuple[SimulatedCamera, str, int]] = []
        added: list[tuple[str, str]] = []
        for camera in simulator.cameras:
            entry_id = await ensure_camera_entry(hass, camera, deadline)
            area = await put_in_area(hass, entry_id, DEMO_AREA)
            entity_id = await wait_camera_entity(hass, entry_id, deadline)
            size = await check_snapshot(hass, entity_id, deadline)
            say(f"   {entity_id} is available; /api/camera_proxy gave a {size}-byte JPEG")
            motion = await check_motion(hass, simulator, camera, entry_id, deadline)
            say(f"   {motion} turned on and off again with the camera's motion event")
            results.append((camera, entity_id, size))
            added.append((entry_id, entity_id))

        ha_host, lan_range = lan.allow_list()
        await add_firewall_entry(
            hass,
            deadline,
            local=firewall.started,
            ha_host=ha_host,
            lan_range=lan_range,
            isolate_new=lan.started,
        )
        if lan.started:
            switches = await block_clouds(hass, deadline)
            await wait_confirmed(hass, switches, deadline)
            say(f"   {', '.join(switches)} on: the firewall confirmed the camera isolated")
        else:
            # Loopback traffic never crosses a firewall: nothing could match this camera, and
            # asking would only raise Homebound's honest "not isolated" repair.
            shown = await cloud_blocking_states(hass) or "no switch"
            say(f"   Cloud blocking left off: a camera on 127.0.0.1 cannot be isolated ({shown})")
        cameras = await describe(hass, added)
        ours = await install_overview(hass, config_dir, cameras)
        say(
            '-> the first screen (dashboard "Homebound demo") shows the camera'
            if ours
            else "-> your own dashboard is kept"
        )
        for notice in await ignore_install_notices(hass, deadline):
            say(f"   ignored Home Assistant's repair {notice!r} (it is about how the demo runs")
            say("   Home Assistant, in a virtual environment; not about Homebound)")
        say(f"   {await check_dns(hass)}")
        for finding in await homebound_findings(hass):
            say(f"   Homebound's repair {finding!r}: what it found set on the virtual camera")
        # Export only (no namespaces): Homebound's notice of where it wrote the rules is due.
        expected = () if firewall.started else EXPORT_NOTICES
        await _verify_first_screen(hass, area, cameras, ours, expected)
        if args.screenshots is not None:
            await take_screenshots(
                hass, entry_id, entity_id, args.screenshots, deadline, log_dir=run_dir
            )
        if args.check:
            say("")
            say(
                "PASS: simulator -> discovery -> config flow -> camera entity -> JPEG snapshot"
                " -> motion event -> motion sensor on and off"
                + (" -> Cloud blocking confirmed by the firewall" if lan.started else "")
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
        try:
            if hass is not None:
                await hass.stop()
            await simulator.stop()
        finally:
            firewall.stop()
            lan.stop()
    return 1


async def _main(args: argparse.Namespace) -> int:
    # SIGTERM during start-up cancels the run, so the finally blocks stop the children.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    if args.check and args.config_dir is None:
        with tempfile.TemporaryDirectory(prefix="homebound-demo-") as tmp:
            return await _demo(args, Path(tmp) / "config", Path(tmp))
    config_dir = (args.config_dir or default_config_dir()).resolve()
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
