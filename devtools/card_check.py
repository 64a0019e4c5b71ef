"""Homebound's dashboard cards in headless Chromium against a real Home Assistant.

    python -m devtools.card_check --out DIR     run every check, save screenshots in DIR

The demo's set-up (the simulated camera on a LAN of its own, :mod:`devtools.demo_lan`, a real
``hass`` on 127.0.0.1, the camera added through the config flow) plus a firewall entry on
nftables in a namespace of its own (:mod:`devtools.demo_firewall`) and both cards on the demo's
dashboard (:mod:`devtools.demo_dashboard`).
Then ``card_check.mjs`` drives Debian's Chromium through playwright-core and proves, in order:

1. the camera card shows the live view (a playing stream, or the MJPEG/still fallback);
2. a detection raised on the simulated camera lights its chip within a second;
3. toggling Cloud blocking on the card, after its confirmation, changes the switch;
4. lost isolation (the namespace "router" vanishes) turns the isolation strip red, and back;
5. the card picker lists both cards (and, from 2026.6, suggests the camera card for a
   Homebound entity);
6. the visual editor round-trips a configuration into the saved dashboard;
7. the overview card shows every camera with its isolation state and the totals.

The browser asks this process for what only it may do (raise a detection on the simulator,
break and mend the firewall) over a small HTTP server on 127.0.0.1. ``DIR/card-check.json``
records what every step saw; the PNGs are the README's screenshots.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import json
from pathlib import Path
import signal
import sys
import tempfile
import traceback
from typing import Any

from aiohttp import ClientSession, web

from devtools.demo_cards import hass_options
from devtools.demo_dashboard import URL_PATH, VIEW_PATH, describe, install_overview
from devtools.demo_events import MOTION_TOPIC
from devtools.demo_firewall import NamespaceFirewall, add_firewall_entry
from devtools.demo_flow import DOMAIN, ensure_camera_entry, put_in_area, wait_camera_entity
from devtools.demo_lan import CameraLan
from devtools.harness import Deadline, DemoError, Simulator, say
from devtools.hass_process import LOOPBACK, HassError, HassProcess, free_port
from devtools.screenshots import HTTP_CONFIRM_TITLE, _http_config_trial
from devtools.screenshots_browser import Chromium, ProxySink, find_playwright, run_node

SCRIPT = Path(__file__).with_name("card_check.mjs")
BUDGET = 420.0
NODE_GRACE = 15.0
STEP_TIMEOUT = 30.0
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RECORD = "card-check.json"
SUGGESTIONS_SINCE = (2026, 6)
"""The first release whose card picker asks custom cards for suggestions (getEntitySuggestion)."""


def _release(version: str) -> tuple[int, int]:
    """(year, month) of a Home Assistant version such as ``2026.10.4``."""
    parts = version.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        msg = f"cannot read the Home Assistant version {version!r}"
        raise DemoError(msg) from None


async def _entities(hass: HassProcess, entry_id: str) -> dict[str, str]:
    """Return the card's entities by translation key (the camera: ``camera``)."""
    found: dict[str, str] = {}
    for item in await hass.entity_registry():
        if item.get("config_entry_id") != entry_id or item.get("disabled_by"):
            continue
        entity_id = str(item["entity_id"])
        key = item.get("translation_key")
        if entity_id.startswith("camera.") and not key:
            found["camera"] = entity_id
        elif key:
            found.setdefault(str(key), entity_id)
    return found


async def _wait_entities(
    hass: HassProcess, entry_id: str, keys: Sequence[str], deadline: Deadline
) -> dict[str, str]:
    while True:
        found = await _entities(hass, entry_id)
        if all(key in found for key in keys):
            return found
        await deadline.pause(f"the camera's {', '.join(k for k in keys if k not in found)}")


class Control:
    """What the browser script may ask of this process, on 127.0.0.1."""

    def __init__(
        self, hass: HassProcess, simulator: Simulator, firewall: NamespaceFirewall, problem: str
    ) -> None:
        """Serve nothing before :meth:`start`."""
        self.hass = hass
        self.simulator = simulator
        self.firewall = firewall
        self.problem = problem
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_post("/motion/{state}", self._motion)
        app.router.add_post("/isolation/{action}", self._isolation)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        self.port = free_port()
        await web.TCPSite(self.runner, LOOPBACK, self.port).start()

    async def stop(self) -> None:
        """Stop listening."""
        if self.runner is not None:
            await self.runner.cleanup()

    async def _motion(self, request: web.Request) -> web.Response:
        moving = request.match_info["state"] == "on"
        body = {"topic": MOTION_TOPIC, "data": {"IsMotion": str(moving).lower()}}
        url = f"http://{LOOPBACK}:{self.simulator.control_port}/cameras/0/event"
        async with ClientSession() as http, http.post(url, json=body) as response:
            return web.json_response({"simulator": response.status})

    async def _isolation(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        if action == "lose":
            self.firewall.lose()
        elif action == "restore":
            self.firewall.restore()
        else:
            raise web.HTTPNotFound
        # Check the firewall now rather than at the next minute's check.
        await self.hass.rest(
            "POST",
            "/api/services/homeassistant/update_entity",
            {"entity_id": self.problem},
        )
        return web.json_response({"action": action, "ruleset": self.firewall.ruleset()[:2000]})


async def _browser(job: dict[str, Any], run_dir: Path, deadline: Deadline) -> tuple[str, list[str]]:
    """Run the browser script; return its output and what Chromium asked of other hosts."""
    sink = ProxySink()
    await sink.start()
    with tempfile.TemporaryDirectory(prefix="homebound-chromium-") as tmp:
        chromium = Chromium(Path(tmp), run_dir / "chromium.log")
        try:
            job["cdp_url"] = await chromium.start(sink.port, deadline)
            budget = deadline.remaining("the browser checks")
            job["budget_ms"] = int(budget * 1000)
            job_path = Path(tmp) / "job.json"
            job_path.write_text(json.dumps(job))
            output = await run_node(SCRIPT, job_path, Path(tmp), budget + NODE_GRACE)
        finally:
            await chromium.stop()
            await sink.stop()
    internet = sorted(set(sink.internet))
    if internet:
        say(f"   refused on 127.0.0.1 (nothing left this machine): {internet}")
    return output, internet


async def run(out_dir: Path, run_dir: Path, budget: float, hold: float = 0.0) -> None:
    """Set everything up, run the browser checks, stop everything."""
    # SIGTERM cancels the run, so the finally block below stops every child and the namespace.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    deadline = Deadline(budget)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in (*out_dir.glob("*.png"), out_dir / RECORD):
        old.unlink(missing_ok=True)
    simulator = Simulator(run_dir / "simulator.log")
    firewall = NamespaceFirewall(run_dir)
    lan = CameraLan()
    if not (firewall.possible() and lan.possible()):
        msg = "the card checks need root, ip and nft (a firewall and a LAN in network namespaces)"
        raise DemoError(msg)
    hass: HassProcess | None = None
    control: Control | None = None
    try:
        firewall.start()
        lan.start()
        simulator.extra_args += lan.simulator_args()
        await simulator.start(deadline)
        camera = simulator.cameras[0]
        lan.attach(camera.mac)
        hass = HassProcess(
            run_dir / "config",
            port=free_port(),
            env={
                **firewall.env(),
                "HOMEBOUND_DISCOVERY_TARGETS": camera.discovery_target,
            },
            start_timeout=deadline.remaining("Home Assistant to start"),
            lan_address=lan.host_address,
            log_level="info",
            **hass_options(),
        )
        await hass.start()
        entry_id = await ensure_camera_entry(hass, camera, deadline)
        await put_in_area(hass, entry_id, "Front door")
        await wait_camera_entity(hass, entry_id, deadline)
        ha_host, lan_range = lan.allow_list()
        await add_firewall_entry(hass, deadline, local=True, ha_host=ha_host, lan_range=lan_range)
        entities = await _wait_entities(
            hass, entry_id, ("camera", "motion", "cloud_blocking", "cloud_isolation"), deadline
        )
        cameras = await describe(hass, [(entry_id, entities["camera"])])
        await install_overview(hass, run_dir / "config", cameras)
        dashboard = f"/{URL_PATH}/{VIEW_PATH}"
        control = Control(hass, simulator, firewall, entities["cloud_isolation"])
        await control.start()
        config = await hass.rest("GET", "/api/config")
        version = str(config.get("version", "")) if isinstance(config, dict) else ""
        devices = await hass.ws_command({"type": "config/device_registry/list"})
        device = next(d for d in devices if entry_id in (d.get("config_entries") or []))
        job = {
            "playwright_dir": str(find_playwright()),
            "base_url": hass.base_url,
            "username": hass.username,
            "password": hass.password,
            "out_dir": str(out_dir),
            "viewport": VIEWPORT,
            "phone": PHONE,
            "step_ms": int(STEP_TIMEOUT * 1000),
            "dashboard": dashboard,
            "control": f"http://{LOOPBACK}:{control.port}",
            "device_id": device["id"],
            "device_name": device.get("name_by_user") or device.get("name"),
            "entities": entities,
            "domain": DOMAIN,
            "ha_version": version,
            "suggestions": _release(version) >= SUGGESTIONS_SINCE,
            "confirm_http_dialog": HTTP_CONFIRM_TITLE if await _http_config_trial(hass) else None,
        }
        if hold:  # for a person looking at it: keep it running, say where
            (out_dir / "job.json").write_text(json.dumps(job, indent=2))
            say(f"holding for {hold:.0f}s: {hass.base_url} (job in {out_dir / 'job.json'})")
            await asyncio.sleep(hold)
            return
        output, internet = await _browser(job, run_dir, deadline)
        for line in output.splitlines():
            say(line)
        record = json.loads((out_dir / RECORD).read_text())
        shown = ("dashboard", "device_id", "device_name", "entities", "suggestions")
        record.update(
            {"ha_version": version, "internet": internet, "job": {k: job[k] for k in shown}}
        )
        (out_dir / RECORD).write_text(json.dumps(record, indent=2) + "\n")
    except HassError as err:
        if hass is not None:
            say(hass.log_tail(80))
        raise DemoError(str(err)) from err
    finally:
        if control is not None:
            await control.stop()
        try:
            if hass is not None:
                await hass.stop()
            await simulator.stop()
        finally:
            firewall.stop()
            lan.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m devtools.card_check``."""
    parser = argparse.ArgumentParser(prog="python -m devtools.card_check")
    parser.add_argument("--out", type=Path, required=True, help="where the PNGs and JSON go")
    parser.add_argument("--timeout", type=float, default=BUDGET, help="overall budget, seconds")
    parser.add_argument(
        "--hold", type=float, default=0.0, help="set up, then keep running this long (seconds)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="homebound-cards-") as tmp:
        try:
            asyncio.run(run(args.out.resolve(), Path(tmp), args.timeout, args.hold))
        except (KeyboardInterrupt, asyncio.CancelledError):
            say("interrupted")
            return 130
        except (DemoError, HassError) as err:
            say(f"FAIL: {err}")
            return 1
        except Exception as err:  # noqa: BLE001 - any failure ends in FAIL with its traceback
            say(f"FAIL: unexpected {type(err).__name__}: {err}\n{traceback.format_exc()}")
            return 1
    say("PASS: the cards render, react and round-trip in Chromium")
    return 0


if __name__ == "__main__":
    sys.exit(main())
