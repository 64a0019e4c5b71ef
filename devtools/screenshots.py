"""The demo's screenshots: ``script/demo --screenshots DIR`` (with or without ``--check``).

Once the camera is added, a headless Chromium logs in as the demo user through Home Assistant's
real login page and saves, in DIR:

- ``overview.png``: the Overview, the first screen a user sees, with the camera's picture on it,
- ``integration.png``: the Homebound integration page (/config/integrations/integration/homebound),
- ``device.png``: the camera's device page (/config/devices/device/<id>),
- ``camera.png``: the camera's more-info dialog over the demo's dashboard, with the stream on,

each with ``NAME.json`` beside it: the page's address and title, the text it showed on screen
(read through every open shadow root; for the dialog also the dialog's own text), the requests
that failed and the browser console's errors. The JSON is what lets a check prove that a PNG is
the page it claims to be, without looking at pixels. ``network.json`` lists what Chromium asked
of any other host: nothing of it left the machine.

What a screenshot must show is decided here, from Home Assistant's registries (the device's
name, the camera entity's name); the browser side (``screenshots.mjs``) only waits until exactly
that text is on screen and the page is settled, and fails, keeping ``NAME.failed.png/json``,
when it never is. How the browser runs and why it cannot reach the internet:
:mod:`devtools.screenshots_browser`.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
import struct
import tempfile
from typing import Any

from devtools.demo_dashboard import URL_PATH, VIEW_PATH
from devtools.demo_flow import DOMAIN, failed_login_notices
from devtools.harness import Deadline, DemoError, say
from devtools.hass_process import HassError, HassProcess
from devtools.screenshots_browser import (
    Chromium,
    ProxySink,
    find_playwright,
    run_node,
)

SCRIPT = Path(__file__).with_name("screenshots.mjs")
VIEWPORT = {"width": 1280, "height": 800}
STEP_TIMEOUT = 30.0
"""The longest any one wait of the browser may take (each is also bounded by the demo's budget)."""
NODE_GRACE = 10.0
"""Extra seconds the Node.js process gets beyond its own budget before it is killed."""
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_PNG_BYTES = 10_000
"""Smaller than any real 1280x800 page of Home Assistant; a blank or cut-off image is smaller."""
MORE_INFO_DIALOG = "ha-more-info-dialog"
FIRST_SCREEN = ""
"""A shot's path for the page the login lands on (Home Assistant's default dashboard)."""
DASHBOARD = f"/{URL_PATH}/{VIEW_PATH}"
"""The demo's dashboard (devtools.demo_dashboard), which it makes the default one."""
PICTURE_CARD = "hui-picture-entity-card"
"""The Overview's camera card (devtools.demo_dashboard), found through shadow roots."""
HTTP_CONFIRM_TITLE = "Confirm new HTTP server configuration"
DISABLED = r"\d+ disabled entit"
"""The device page's "+1 disabled entity" button."""
NETWORK_RECORD = "network.json"
"""What Chromium asked of other hosts, all refused on 127.0.0.1 (see ProxySink)."""


@dataclass(frozen=True, slots=True)
class Shot:
    """One screenshot: where to go, what to open, and the text that proves it is that page."""

    name: str
    path: str
    expect: tuple[str, ...]
    scope: str | None = None
    """A CSS selector (found through shadow roots) whose text must hold ``expect``."""
    more_info: str | None = None
    """An entity whose more-info dialog to open (Home Assistant's ``hass-more-info`` event)."""
    media: bool = False
    """Wait until the scope shows the camera's picture (a playing stream or a loaded still)."""
    reveal: str | None = None
    """A regular expression for the text of a button to click first (shows hidden rows)."""

    def as_job(self) -> dict[str, Any]:
        """Return the shot as the browser script reads it."""
        return {
            "name": self.name,
            "path": self.path,
            "expect": list(self.expect),
            "scope": self.scope,
            "more_info": self.more_info,
            "media": self.media,
            "reveal": self.reveal,
        }


async def plan_shots(hass: HassProcess, entry_id: str, entity_id: str) -> list[Shot]:
    """Return the screenshots and, from the registries, the text each must show."""
    devices = await hass.ws_command({"type": "config/device_registry/list"})
    device = next((d for d in devices or [] if entry_id in (d.get("config_entries") or [])), None)
    if device is None:
        msg = f"config entry {entry_id} has no device to show"
        raise DemoError(msg)
    device_name = str(device.get("name_by_user") or device.get("name"))
    states = {state["entity_id"]: state for state in await hass.states()}
    camera_name = str(states.get(entity_id, {}).get("attributes", {}).get("friendly_name"))
    # The sub-streams are created disabled; the device page lists them once asked to.
    hidden = sorted(
        str(item.get("name") or item.get("original_name"))
        for item in await hass.entity_registry()
        if item.get("config_entry_id") == entry_id and item.get("disabled_by")
    )
    device_page = f"/config/devices/device/{device['id']}"
    return [
        # Where the login leaves the browser: what a newcomer sees first.
        Shot("overview", FIRST_SCREEN, (device_name,), PICTURE_CARD, media=True),
        Shot("integration", f"/config/integrations/integration/{DOMAIN}", ("Homebound",)),
        Shot("device", device_page, (device_name, *hidden), reveal=DISABLED if hidden else None),
        Shot(
            "camera", DASHBOARD, (camera_name,), MORE_INFO_DIALOG, more_info=entity_id, media=True
        ),
    ]


async def _http_config_trial(hass: HassProcess) -> bool:
    """Whether Home Assistant runs its HTTP settings on trial, to revert unless confirmed.

    Home Assistant 2026.10 moves the YAML ``http:`` settings the harness writes into its store
    as a trial; its frontend then asks the user to confirm them, in a dialog over every page,
    and reverts to its defaults (every interface, port 8123) five minutes later unless they do.
    Releases before it have no ``http/config`` command: nothing to confirm there.
    """
    try:
        config = await hass.ws_command({"type": "http/config"})
    except HassError:
        return False
    return isinstance(config, dict) and config.get("revert_at") is not None


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header; raise DemoError when it is no plausible PNG."""
    try:
        data = path.read_bytes()
    except OSError as err:
        msg = f"{path.name} was not written: {err}"
        raise DemoError(msg) from err
    if not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR" or len(data) < MIN_PNG_BYTES:
        msg = f"{path.name} is not a plausible PNG ({len(data)} bytes)"
        raise DemoError(msg)
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def verify(out_dir: Path, shots: list[Shot]) -> list[str]:
    """Check every PNG and its record; return one line per screenshot."""
    lines = []
    for shot in shots:
        size = png_size(out_dir / f"{shot.name}.png")
        if size != (VIEWPORT["width"], VIEWPORT["height"]):
            msg = f"{shot.name}.png is {size[0]}x{size[1]}, not the viewport's size"
            raise DemoError(msg)
        record = json.loads((out_dir / f"{shot.name}.json").read_text())
        shown = record["scope_text"] if shot.scope else record["text"]
        if missing := [want for want in shot.expect if want not in (shown or [])]:
            msg = f"{shot.name}.png does not show {missing} (it showed {shown})"
            raise DemoError(msg)
        extra = ""
        if media := record.get("media"):
            extra = f", camera {media['kind']} {media['width']}x{media['height']}"
        where = record["url"].split("?")[0]
        lines.append(f"{shot.name}.png: {where} shows {list(shot.expect)}{extra}")
    return lines


async def take_screenshots(
    hass: HassProcess,
    entry_id: str,
    entity_id: str,
    out_dir: Path,
    deadline: Deadline,
    log_dir: Path,
) -> None:
    """Shoot the pages into ``out_dir``, verify them, and say what was saved."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = await plan_shots(hass, entry_id, entity_id)
    http_trial = await _http_config_trial(hass)
    for shot in shots:  # an earlier run's files must not pass for this run's
        for suffix in (".png", ".json", ".failed.png", ".failed.json"):
            (out_dir / f"{shot.name}{suffix}").unlink(missing_ok=True)
    say(f"-> screenshots into {out_dir}")
    sink = ProxySink()
    await sink.start()
    with tempfile.TemporaryDirectory(prefix="homebound-chromium-") as tmp:
        temp = Path(tmp)
        chromium = Chromium(temp, log_dir / "chromium.log")
        try:
            cdp_url = await chromium.start(sink.port, deadline)
            budget = deadline.remaining("the screenshots")
            job = {
                "cdp_url": cdp_url,
                "playwright_dir": str(find_playwright()),
                "base_url": hass.base_url,
                "username": hass.username,
                "password": hass.password,
                "out_dir": str(out_dir),
                "viewport": VIEWPORT,
                "budget_ms": int(budget * 1000),
                "step_ms": int(STEP_TIMEOUT * 1000),
                "shots": [shot.as_job() for shot in shots],
                "confirm_http_dialog": HTTP_CONFIRM_TITLE if http_trial else None,
            }
            job_path = temp / "job.json"
            job_path.write_text(json.dumps(job))
            output = await run_node(SCRIPT, job_path, temp, budget + NODE_GRACE)
        finally:
            await chromium.stop()
            await sink.stop()
    for line in output.splitlines():
        say(line)
    for line in verify(out_dir, shots):
        say(f"   {line}")
    network = {"internet": sorted(set(sink.internet)), "services": sorted(set(sink.services))}
    (out_dir / NETWORK_RECORD).write_text(json.dumps(network, indent=2) + "\n")
    if network["internet"]:
        asked = ", ".join(network["internet"])
        say(f"   refused on 127.0.0.1 (nothing left this machine): {asked}")
    if network["services"]:
        asked = ", ".join(network["services"])
        say(f"   Chromium's own Google services, pointed at 127.0.0.1 and refused: {asked}")
    if http_trial and await _http_config_trial(hass):
        msg = "Home Assistant still waits for its HTTP settings to be confirmed"
        raise DemoError(msg)
    if notices := await failed_login_notices(hass):
        msg = f"logging in from the browser left a failed-login notification: {notices}"
        raise DemoError(msg)
