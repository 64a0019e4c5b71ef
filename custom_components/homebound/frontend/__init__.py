"""Serve Homebound's dashboard cards from the integration and register them with the frontend.

The cards (``custom:homebound-camera``, ``custom:homebound-overview``) are one ES module,
``homebound-card.js`` beside this file, built from TypeScript/Lit sources outside the shipped
integration (``frontend/`` at the repository root) and committed, so HACS ships them with the
integration: no second repository, nothing to add by hand.

Why the URL is ``/homebound_static/<content hash>/homebound-card.js?v=<version>``: browsers,
the companion apps' WebViews and proxies in front of Home Assistant cache a module by its URL,
some for weeks, and some drop the query string when they do. A new build therefore gets a new
*path* (its content hash), served with Home Assistant's long cache headers, and ``?v=`` names the
integration's version for a person reading the dashboard's resources.

Why both mechanisms: a storage-mode dashboard loads the modules listed in its Lovelace
resources, so the card gets one resource there (added once, moved to the new URL in place when
the file changes, never duplicated, the user's own resources untouched). Resources managed in
YAML cannot be written, so there the module is added with ``add_extra_js_url`` instead (cast
devices do not load extra modules: they need the resource). When the last Homebound entry is
removed, the resource and the extra module go again; the static path stays until Home
Assistant restarts (aiohttp cannot remove a route), serving a file nothing refers to.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import hashlib
import logging
from pathlib import Path
from typing import Any

from homeassistant.components.frontend import add_extra_js_url, remove_extra_js_url

# Home Assistant 2026.10 moved the class to http.server and re-exports it without ``__all__``;
# the one import both legs accept is this one, told to mypy once.
from homeassistant.components.http import (  # type: ignore[attr-defined,unused-ignore]
    StaticPathConfig,
)
from homeassistant.components.lovelace import LovelaceData
from homeassistant.components.lovelace.const import DOMAIN as LOVELACE_DOMAIN, MODE_STORAGE
from homeassistant.components.lovelace.resources import ResourceStorageCollection
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN

_LOGGER = logging.getLogger(__name__)

CARD_FILE = Path(__file__).with_name("homebound-card.js")
URL_BASE = f"/{DOMAIN}_static"
"""Every URL the cards were ever served from starts with this (old ones are found by it)."""
HASH_LENGTH = 16


@dataclass(slots=True)
class CardRegistration:
    """What this Home Assistant run registered for the cards."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    static_paths: set[str] = field(default_factory=set)
    url: str | None = None
    """The module's URL (with ``?v=``) while the cards are registered."""
    extra_js: str | None = None
    """The URL given to ``add_extra_js_url`` (YAML-mode resources), to take back."""


DATA_CARD: HassKey[CardRegistration] = HassKey(f"{DOMAIN}_card")
LOVELACE: HassKey[LovelaceData] = HassKey(LOVELACE_DOMAIN)
"""The dashboards' data, under the key Home Assistant's lovelace keeps it (equal to its own
``LOVELACE_DATA``; a test holds them equal): read here, its resource collection changed."""


def _registration(hass: HomeAssistant) -> CardRegistration:
    return hass.data.setdefault(DATA_CARD, CardRegistration())


def content_hash(data: bytes) -> str:
    """Return the short content hash that names a build in its URL."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def card_path(digest: str) -> str:
    """Return the URL path the build with ``digest`` is served at."""
    return f"{URL_BASE}/{digest}/{CARD_FILE.name}"


def is_card_url(url: str) -> bool:
    """Whether a resource URL is one of Homebound's (any build, any version)."""
    return url.startswith(f"{URL_BASE}/")


def _storage_resources(hass: HomeAssistant) -> ResourceStorageCollection | None:
    """Return the dashboards' resources when they are kept in storage (not YAML), else None."""
    lovelace = hass.data.get(LOVELACE)
    if lovelace is None:
        return None
    mode = getattr(lovelace, "resource_mode", MODE_STORAGE)
    resources = lovelace.resources
    if mode != MODE_STORAGE or not isinstance(resources, ResourceStorageCollection):
        return None
    return resources


async def _loaded(resources: ResourceStorageCollection) -> ResourceStorageCollection:
    """Load the collection before touching it.

    Home Assistant 2026.2 loads it only when the frontend first lists the resources; an item
    created before that would be saved alone, overwriting the user's stored resources. (Newer
    releases load it in ``async_create_item`` themselves.)
    """
    if not resources.loaded:
        await resources.async_load()
        resources.loaded = True
    return resources


async def async_register_card(hass: HomeAssistant) -> str:
    """Serve the cards and make every dashboard load them; return the module's URL.

    Idempotent: every entry's set-up may call it (concurrently too); only the first does work.
    """
    registration = _registration(hass)
    async with registration.lock:
        if registration.url is not None:
            return registration.url
        data = await hass.async_add_executor_job(CARD_FILE.read_bytes)
        path = card_path(content_hash(data))
        if path not in registration.static_paths:
            await hass.http.async_register_static_paths(
                [StaticPathConfig(path, str(CARD_FILE), cache_headers=True)]
            )
            registration.static_paths.add(path)
        # A custom integration always has a version (Home Assistant refuses it without one).
        version = (await async_get_integration(hass, DOMAIN)).version
        url = f"{path}?v={version}"
        if (resources := _storage_resources(hass)) is not None:
            await _ensure_resource(await _loaded(resources), url)
        else:
            add_extra_js_url(hass, url)
            registration.extra_js = url
        registration.url = url
        _LOGGER.debug("Dashboard cards registered at %s", url)
        return url


async def _ensure_resource(resources: ResourceStorageCollection, url: str) -> None:
    """Exactly one Homebound resource, at ``url``: kept, moved in place, or added."""
    ours: list[dict[str, Any]] = [
        item for item in resources.async_items() if is_card_url(str(item.get("url", "")))
    ]
    if not ours:
        await resources.async_create_item({"res_type": "module", "url": url})
        return
    first, *extra = ours
    if first.get("url") != url or first.get("type") != "module":
        await resources.async_update_item(first["id"], {"res_type": "module", "url": url})
    for item in extra:
        await resources.async_delete_item(item["id"])


async def async_unregister_card(hass: HomeAssistant) -> None:
    """Stop loading the cards on the dashboards (the last Homebound entry is being removed)."""
    registration = _registration(hass)
    async with registration.lock:
        if (resources := _storage_resources(hass)) is not None:
            await _loaded(resources)
            for item in list(resources.async_items()):
                if is_card_url(str(item.get("url", ""))):
                    await resources.async_delete_item(item["id"])
        if registration.extra_js is not None:
            remove_extra_js_url(hass, registration.extra_js)
            registration.extra_js = None
        registration.url = None


async def async_remove_card_if_last(hass: HomeAssistant, removed_entry_id: str) -> bool:
    """Unregister the cards when no Homebound entry but the removed one is left.

    Home Assistant calls ``async_remove_entry`` after taking the entry out of its list; the
    removed entry's id is excluded here too, so that this holds whatever the release does.
    """
    others = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != removed_entry_id
    ]
    if others:
        return False
    await async_unregister_card(hass)
    return True
