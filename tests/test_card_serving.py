"""Serving the dashboard cards: the static file, the Lovelace resource, the extra-JS fallback.

Each test sets up Home Assistant's own ``http``, ``frontend`` and ``lovelace`` integrations (in
storage or YAML resource mode) and calls the module's functions as the integration's set-up and
removal will; what a dashboard would load is read back from Home Assistant's own collections and
fetched over HTTP.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
import re
from typing import Any

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.components.lovelace.const import LOVELACE_DATA
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.frontend import (
    CARD_FILE,
    LOVELACE,
    async_register_card,
    async_remove_card_if_last,
    async_unregister_card,
    card_path,
    content_hash,
)

USER_RESOURCE = {"id": "user1", "type": "module", "url": "/local/my-card.js"}
URL = re.compile(r"^/homebound_static/([0-9a-f]{16})/homebound-card\.js\?v=(.+)$")


async def _setup(hass: HomeAssistant, lovelace: dict[str, Any] | None = None) -> None:
    # lovelace first: the frontend depends on it and would set it up with no configuration.
    assert await async_setup_component(hass, "http", {})
    assert await async_setup_component(hass, "lovelace", {"lovelace": lovelace or {}})
    assert await async_setup_component(hass, "frontend", {})


def _items(hass: HomeAssistant) -> list[dict[str, Any]]:
    return list(hass.data[LOVELACE_DATA].resources.async_items())


@pytest.fixture
def stored_user_resource(hass_storage: dict[str, Any]) -> None:
    """A dashboard resource the user added before Homebound was installed."""
    hass_storage["lovelace_resources"] = {
        "version": 1,
        "minor_version": 1,
        "key": "lovelace_resources",
        "data": {"items": [dict(USER_RESOURCE)]},
    }


@pytest.mark.usefixtures("stored_user_resource")
async def test_storage_mode_adds_one_resource_and_keeps_the_users(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    await _setup(hass)
    url = await async_register_card(hass)
    digest, version = URL.fullmatch(url).groups()  # type: ignore[union-attr]
    assert digest == content_hash(CARD_FILE.read_bytes())
    assert version == str((await async_get_integration(hass, DOMAIN)).version)
    # Registered before the frontend ever listed the resources: the user's must survive.
    items = _items(hass)
    assert USER_RESOURCE in items
    ours = [item for item in items if item["url"] == url]
    assert len(ours) == 1
    assert ours[0]["type"] == "module"
    assert url not in hass.data[DATA_EXTRA_MODULE_URL].urls

    assert await async_register_card(hass) == url  # every entry's set-up calls it
    assert len(_items(hass)) == 2

    client = await hass_client()
    response = await client.get(url)
    assert response.status == HTTPStatus.OK
    assert await response.read() == CARD_FILE.read_bytes()
    # Cached long by browsers: a new build has a new path, so nothing stale can be kept.
    assert "max-age=" in response.headers.get("Cache-Control", "")
    # What the frontend's resource list hands a browser.
    listed = await hass.data[LOVELACE_DATA].resources.async_get_info()
    assert listed == {"resources": 2}


async def test_a_new_build_moves_the_resource_in_place(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    old = {"id": "hb", "type": "module", "url": card_path("0" * 16) + "?v=0.0.1"}
    duplicate = {"id": "hb2", "type": "module", "url": card_path("1" * 16)}
    hass_storage["lovelace_resources"] = {
        "version": 1,
        "minor_version": 1,
        "key": "lovelace_resources",
        "data": {"items": [dict(USER_RESOURCE), old, duplicate]},
    }
    await _setup(hass)
    url = await async_register_card(hass)
    items = {item["id"]: item for item in _items(hass)}
    assert set(items) == {"user1", "hb"}, "updated in place, the duplicate removed"
    assert items["hb"]["url"] == url


async def test_concurrent_setups_register_once(hass: HomeAssistant) -> None:
    await _setup(hass)
    first, second = await asyncio.gather(async_register_card(hass), async_register_card(hass))
    assert first == second
    assert [item["url"] for item in _items(hass)] == [first]


async def test_yaml_mode_uses_an_extra_module(hass: HomeAssistant) -> None:
    await _setup(hass, {"mode": "yaml", "resources": [{"url": "/local/x.js", "type": "module"}]})
    url = await async_register_card(hass)
    assert url in hass.data[DATA_EXTRA_MODULE_URL].urls
    assert [item["url"] for item in _items(hass)] == ["/local/x.js"], "YAML is not written"
    await async_unregister_card(hass)
    assert url not in hass.data[DATA_EXTRA_MODULE_URL].urls


@pytest.mark.usefixtures("stored_user_resource")
async def test_removing_the_last_entry_removes_the_resource(hass: HomeAssistant) -> None:
    await _setup(hass)
    camera = MockConfigEntry(domain=DOMAIN, entry_id="cam", data={})
    firewall = MockConfigEntry(domain=DOMAIN, entry_id="fw", data={})
    camera.add_to_hass(hass)
    firewall.add_to_hass(hass)
    url = await async_register_card(hass)

    assert not await async_remove_card_if_last(hass, "fw")  # the camera is still there
    assert url in [item["url"] for item in _items(hass)]

    await hass.config_entries.async_remove("fw")
    assert await async_remove_card_if_last(hass, "cam")
    assert _items(hass) == [USER_RESOURCE]
    # Set up again later (a new camera): back, once.
    assert await async_register_card(hass) == url
    assert [item["url"] for item in _items(hass)] == ["/local/my-card.js", url]


async def test_without_dashboards_data_the_module_is_an_extra_one(hass: HomeAssistant) -> None:
    """Should the dashboards' data be missing, the cards still load (as an extra module)."""
    await _setup(hass)
    hass.data.pop(LOVELACE_DATA)
    url = await async_register_card(hass)
    assert url in hass.data[DATA_EXTRA_MODULE_URL].urls
    await async_unregister_card(hass)
    assert url not in hass.data[DATA_EXTRA_MODULE_URL].urls


def test_the_dashboards_key_is_home_assistants() -> None:
    assert LOVELACE == LOVELACE_DATA
