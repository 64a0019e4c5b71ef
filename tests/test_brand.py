"""Homebound's own brand images, served by the Home Assistant releases that serve them.

Since Home Assistant 2026.3 its ``brands`` integration (loaded at start with the core
integrations) serves a custom integration's ``brand/`` folder at
``/api/brands/integration/<domain>/<image>``, before asking the brands CDN. Home Assistant
2026.2 has no such integration: its frontend asks the CDN, which holds no images for custom
integrations, so users there see the generic placeholder (the README says so).
"""

from __future__ import annotations

from http import HTTPStatus
import importlib.util
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

BRAND = Path(__file__).resolve().parents[1] / "custom_components" / "homebound" / "brand"
SERVES_BRANDS = importlib.util.find_spec("homeassistant.components.brands") is not None


@pytest.mark.parametrize("image", ["icon.png", "logo.png", "dark_icon.png", "icon@2x.png"])
async def test_brand_images(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, image: str
) -> None:
    if not SERVES_BRANDS:
        # Home Assistant 2026.2: nothing serves local brand images (documented, not hidden).
        assert not await async_setup_component(hass, "brands", {})
        return
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    response = await client.get(f"/api/brands/integration/homebound/{image}")
    assert response.status == HTTPStatus.OK
    assert await response.read() == (BRAND / image).read_bytes()
