"""Fixtures of the conformance checks: the integration's code and en.json, and a broken one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import INTEGRATION, read_json
from .keys import Code

# A small integration that breaks one rule of each kind (the line numbers are asserted).
BROKEN = {
    "binary_sensor.py": """\
from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.exceptions import HomeAssistantError
MOTION = BinarySensorEntityDescription(key="motion", translation_key="motion")

def fail(key: str) -> HomeAssistantError:
    return HomeAssistantError(translation_domain="homebound", translation_key=key)

class Base:
    def __init__(self, key: str) -> None:
        self._attr_translation_key = key

class Sensor(Base, BinarySensorEntity):
    def __init__(self) -> None:
        super().__init__("door")

    def update(self) -> None:
        if self.hass:
            raise fail("gone")
        raise HomeAssistantError("plain words")

async def async_setup_entry(hass, entry) -> None:
    hass.data["x"] = hass.services.async_register("homebound", "x", None)
""",
    "device/probe.py": "import homeassistant.core\nfrom ..binary_sensor import fail\n",
    "manifest.json": '{"dhcp": [], "requirements": ["PyYAML==6"]}',
}
BROKEN_EN = {"entity": {"binary_sensor": {"motion": {"name": "M"}}}, "exceptions": {"old": {}}}


@pytest.fixture(scope="session")
def code() -> Code:
    return Code(INTEGRATION)


@pytest.fixture(scope="session")
def en() -> Any:
    return read_json(INTEGRATION / "translations" / "en.json")


@pytest.fixture
def broken(tmp_path: Path) -> Code:
    for rel, text in BROKEN.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return Code(tmp_path)
