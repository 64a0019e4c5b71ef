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
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from devtools import make_brand

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


def test_brand_images_are_the_drawn_ones() -> None:
    """brand/ holds what devtools/make_brand.py draws (logos only measured: fonts differ)."""
    variants = [
        (p, palette, s, side)
        for p, palette in (("", make_brand.LIGHT), ("dark_", make_brand.DARK))
        for s, side in (("", 256), ("@2x", 512))
    ]
    names = {f"{p}{kind}{s}.png" for p, _, s, _ in variants for kind in ("icon", "logo")}
    assert {path.name for path in (BRAND).iterdir()} == names
    for prefix, palette, suffix, side in variants:
        with Image.open(BRAND / f"{prefix}icon{suffix}.png") as icon:
            assert icon.tobytes() == make_brand.draw_icon(side, palette).tobytes()
            assert (icon.format, icon.mode) == ("PNG", "RGBA")
        with Image.open(BRAND / f"{prefix}logo{suffix}.png") as logo:
            assert (logo.format, logo.mode, logo.height) == ("PNG", "RGBA", side // 2)
            assert logo.width > 3 * logo.height
