"""The demo's first screen: what a newcomer sees when they open Home Assistant.

Home Assistant opens its "home" dashboard (the sidebar's Overview: area tiles and summaries),
and the camera is a click away. The demo makes a dashboard of its own, *Homebound demo*
(``/homebound-demo``), whose first screen shows each camera's picture and, beside it, what the
camera reports (motion, tamper, detections), and makes it the default dashboard, as *Settings →
Dashboards → Default dashboard* does (the frontend's system data), unless one is chosen already.

Homebound's two cards come first (:func:`homebound_cards`), then each camera's picture and what
it reports, in Home Assistant's own cards.

**Adding cards**: write a builder — a function from the
demo's cameras (:class:`DemoCamera`) to a list of Lovelace card configurations — and add it to
:data:`OVERVIEW_SECTIONS`; its cards follow the ones before it on the same view. The check
(:func:`overview_problems`) then proves every camera is still on the first screen.

The user's own edits are kept: the demo writes a copy of the dashboard it saved last into the
configuration directory (:data:`SAVED_COPY`) and replaces its dashboard only while that is new,
or exactly that copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

from devtools.demo_cards import CAMERA_CARD, OVERVIEW_CARD
from devtools.harness import DemoError
from devtools.hass_process import HassError, HassProcess

DOMAIN = "homebound"
TITLE = "Homebound demo"
URL_PATH = "homebound-demo"
"""The demo's dashboard: its address, and the panel made the default one."""
VIEW_PATH = "cameras"
SAVED_COPY = ".demo-dashboard.json"
"""The dashboard the demo saved last, beside configuration.yaml (Home Assistant ignores it)."""
SHOWN_DOMAINS = ("binary_sensor", "event", "sensor", "switch")
"""An entry's entities listed beside its camera, in this order (cameras have their own card)."""


@dataclass(frozen=True, slots=True)
class DemoCamera:
    """One camera added by the demo, as the Overview's builders see it."""

    name: str
    """The device's name."""
    entry_id: str
    device_id: str
    camera: str
    """Its enabled camera entity (the main stream)."""
    entities: tuple[str, ...]
    """The entry's other enabled entities, in :data:`SHOWN_DOMAINS` order."""


type CardBuilder = Callable[[Sequence[DemoCamera]], list[dict[str, Any]]]


def camera_cards(cameras: Sequence[DemoCamera]) -> list[dict[str, Any]]:
    """Return each camera's picture, then its sensors and detections.

    The picture is the camera's still, refreshed; its live stream opens on a click.
    """
    cards: list[dict[str, Any]] = []
    for camera in cameras:
        cards.append(
            {
                "type": "picture-entity",
                "entity": camera.camera,
                "name": camera.name,
                "camera_view": "auto",
            }
        )
        if camera.entities:
            cards.append({"type": "entities", "title": camera.name, "entities": [*camera.entities]})
    return cards


def homebound_cards(cameras: Sequence[DemoCamera]) -> list[dict[str, Any]]:
    """Return Homebound's own cards: one per camera, then the overview of them all."""
    cards: list[dict[str, Any]] = [
        {"type": CAMERA_CARD, "device_id": camera.device_id} for camera in cameras
    ]
    return [*cards, {"type": OVERVIEW_CARD, "title": "Cameras"}]


OVERVIEW_SECTIONS: list[CardBuilder] = [homebound_cards, camera_cards]
"""The builders of the Overview's cards, in order: the extension point (see the module)."""


def overview(
    cameras: Sequence[DemoCamera], sections: Sequence[CardBuilder] | None = None
) -> dict[str, Any]:
    """Return the demo dashboard's configuration: one view, every builder's cards."""
    builders = OVERVIEW_SECTIONS if sections is None else sections
    cards = [card for build in builders for card in build(cameras)]
    return {"views": [{"title": "Cameras", "path": VIEW_PATH, "icon": "mdi:cctv", "cards": cards}]}


def _entities_in(node: Any) -> Iterator[str]:
    """Every entity id a card configuration names (``entity``, ``entities``, nested cards)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "entity" and isinstance(value, str):
                yield value
            else:
                yield from _entities_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from (item,) if isinstance(item, str) and "." in item else _entities_in(item)


def first_view_entities(config: dict[str, Any] | None) -> set[str]:
    """Return the entities the dashboard's first view shows (none for a generated one)."""
    views = (config or {}).get("views") or []
    return set(_entities_in(views[0])) if views else set()


async def describe(hass: HassProcess, added: Sequence[tuple[str, str]]) -> list[DemoCamera]:
    """Read each (entry id, camera entity) the demo added from Home Assistant's registries."""
    devices = await hass.ws_command({"type": "config/device_registry/list"})
    registry = await hass.entity_registry()
    cameras = []
    for entry_id, camera in added:
        device = next(
            (d for d in devices or [] if entry_id in (d.get("config_entries") or [])), None
        )
        enabled = sorted(
            str(item["entity_id"])
            for item in registry
            if item.get("config_entry_id") == entry_id and not item.get("disabled_by")
        )
        if device is None or camera not in enabled:
            msg = f"config entry {entry_id} has no device, or {camera} is not enabled"
            raise DemoError(msg)
        rest = [e for domain in SHOWN_DOMAINS for e in enabled if e.split(".", 1)[0] == domain]
        cameras.append(
            DemoCamera(
                name=str(device.get("name_by_user") or device.get("name")),
                entry_id=entry_id,
                device_id=str(device["id"]),
                camera=camera,
                entities=tuple(rest),
            )
        )
    return cameras


async def current_overview(hass: HassProcess) -> dict[str, Any] | None:
    """Return the demo dashboard's saved configuration (None before it has one)."""
    try:
        config = await hass.ws_command({"type": "lovelace/config", "url_path": URL_PATH})
    except HassError as err:
        if "config_not_found" in str(err):
            return None
        raise
    return config if isinstance(config, dict) else None


async def _ensure_dashboard(hass: HassProcess) -> None:
    """Create the demo's dashboard entry (a storage dashboard) unless it exists."""
    dashboards = await hass.ws_command({"type": "lovelace/dashboards/list"})
    if any(item.get("url_path") == URL_PATH for item in dashboards or []):
        return
    await hass.ws_command(
        {
            "type": "lovelace/dashboards/create",
            "url_path": URL_PATH,
            "title": TITLE,
            "icon": "mdi:cctv",
            "show_in_sidebar": True,
            "require_admin": False,
            "mode": "storage",
        }
    )


async def install_overview(
    hass: HassProcess, config_dir: Path, cameras: Sequence[DemoCamera]
) -> bool:
    """Save the demo's dashboard unless the user changed it; return whether it was saved."""
    await _ensure_dashboard(hass)
    wanted = overview(cameras)
    copy = config_dir / SAVED_COPY
    current = await current_overview(hass)
    if current is not None:
        try:
            saved_last = json.loads(copy.read_text())
        except (OSError, ValueError):
            saved_last = None
        if current != saved_last:
            return False
    await hass.ws_command({"type": "lovelace/config/save", "config": wanted, "url_path": URL_PATH})
    copy.write_text(json.dumps(wanted, indent=2) + "\n")
    core = await _system_core(hass)
    if core.get("default_panel") is None:
        await hass.ws_command(
            {
                "type": "frontend/set_system_data",
                "key": "core",
                "value": {**core, "default_panel": URL_PATH},
            }
        )
    return True


async def _system_core(hass: HassProcess) -> dict[str, Any]:
    """Return the frontend's system-wide settings (the default dashboard among them)."""
    data = await hass.ws_command({"type": "frontend/get_system_data", "key": "core"})
    value = (data or {}).get("value")
    return value if isinstance(value, dict) else {}


async def overview_problems(hass: HassProcess, cameras: Sequence[DemoCamera]) -> list[str]:
    """Return what keeps a camera off the first screen (nothing, all being well)."""
    problems = []
    if (panel := (await _system_core(hass)).get("default_panel")) != URL_PATH:
        problems.append(f"Home Assistant opens {panel or 'its home dashboard'} first")
    shown = first_view_entities(await current_overview(hass))
    problems.extend(
        f"{camera.camera} is not on the first view of /{URL_PATH}"
        for camera in cameras
        if camera.camera not in shown
    )
    return problems
