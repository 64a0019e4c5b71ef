"""The automation blueprint: valid for Home Assistant, and it works on a real detection."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from simulator import VirtualCamera

from .events_helpers import MOTION, source_ready, state_becomes

AUTOMATION_DOMAIN = "automation"

BLUEPRINT = (
    Path(__file__).resolve().parents[1]
    / "blueprints"
    / "automation"
    / "homebound"
    / "detection_snapshot_notification.yaml"
)


def test_blueprint_is_valid() -> None:
    blueprint = models.Blueprint(
        load_yaml_dict(str(BLUEPRINT)),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert set(blueprint.inputs) == {
        "detection",
        "camera",
        "snapshot_folder",
        "notify_service",
        "cooldown",
        "after",
        "before",
    }


async def test_blueprint_sends_a_snapshot_on_motion(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry, tmp_path: Path
) -> None:
    """Motion on the virtual camera: a snapshot is saved and a notification goes out."""
    target = Path(hass.config.path("blueprints", "automation", "homebound"))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    notifications = async_mock_service(hass, "notify", "phone")

    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await source_ready(hass, config_entry)
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: {
                "use_blueprint": {
                    "path": f"homebound/{BLUEPRINT.name}",
                    "input": {
                        "detection": MOTION,
                        "camera": "camera.virtual_camera",
                        "snapshot_folder": str(tmp_path),
                        "notify_service": "notify.phone",
                        "cooldown": 0,
                    },
                }
            }
        },
    )
    camera.trigger_event("tns1:VideoSource/MotionAlarm", {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    await hass.async_block_till_done()
    assert len(notifications) == 1
    assert notifications[0].data["data"] == {"image": "/local/homebound/virtual_camera.jpg"}
    assert (tmp_path / "virtual_camera.jpg").read_bytes()[:2] == b"\xff\xd8"
