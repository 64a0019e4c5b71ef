"""Adding a camera: the list of cameras found, the address form, sign-in, discovery and DHCP.

The first screen comes at once. The flow never makes the user wait for a search before it: it
lists what the background search (``scanner.py``) already knows, and when that is stale — in a
Home Assistant that never searched, for one — it starts a search in the background and shows
the list anyway, with the address form one choice away. Cameras that answer meanwhile become
"Discovered" cards, and the list shows them when the user chooses to see the search's results
(a progress step that waits only for the rest of the search already running). A search runs
before a screen only when the user asks for it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.typing import DiscoveryInfoType

from ..catalog import vendor_for_mac
from ..compat import vol
from ..const import (
    CONF_DEVICE,
    CONF_MAC,
    CONF_OBSERVED_MAC,
    CONF_SERIAL,
    MANUAL_ENTRY,
    SEARCH_AGAIN,
    SEARCH_RESULTS,
)
from ..device import DiscoveredCamera, OnvifClient, format_mac
from ..kind import is_camera_kind
from .client import async_hand_over, async_take_back
from .flow_forms import (
    CREDENTIALS_SCHEMA,
    MANUAL_SCHEMA,
    address_taken,
    camera_title,
    default_port_input,
    markdown_safe,
    plain,
    valid_host,
    valid_port,
)
from .flow_probe import async_probe_client
from .identity import entry_identity, find_entry, find_entry_by_mac
from .scanner import async_get_scanner, configured_addresses


async def _wait_for(search: asyncio.Task[None]) -> None:
    """Wait for a search this flow does not own (closing the flow must not end it)."""
    await asyncio.shield(search)


class CameraAddSteps(ConfigFlow):
    """The steps that add a camera (see the module's docstring for the order of screens)."""

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__()
        self._wait_task: asyncio.Task[None] | None = None
        self._discovered: dict[str, DiscoveredCamera] = {}
        self._selected: DiscoveredCamera | None = None
        self._mac_hint: str | None = None
        self._host_hint: str | None = None
        self._handed_over: tuple[str, OnvifClient] | None = None

    @callback
    def async_remove(self) -> None:
        """Close a probed client the new entry's setup did not take (it was not set up)."""
        if self._handed_over is None:
            return
        unique_id, client = self._handed_over
        self._handed_over = None
        if async_take_back(self.hass, unique_id, client):
            self.hass.async_create_task(client.async_close(), "homebound close probe")

    async def async_step_camera(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """List the cameras found so far at once; search in the background when that is stale."""
        scanner = async_get_scanner(self.hass)
        if not scanner.fresh:
            scanner.async_search()
        return await self.async_step_pick()

    async def async_step_search(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Wait for the search running now (or start one), showing progress while it listens."""
        if self._wait_task is None:
            self._wait_task = self.hass.async_create_task(
                _wait_for(async_get_scanner(self.hass).async_search()), "homebound wait for search"
            )
        if not self._wait_task.done():
            return self.async_show_progress(
                step_id="search", progress_action="discovery", progress_task=self._wait_task
            )
        self._wait_task = None
        return self.async_show_progress_done(next_step_id="pick")

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose a camera found, see what the search found since, or enter an address."""
        if user_input is not None:
            choice = user_input[CONF_DEVICE]
            if choice == SEARCH_AGAIN or (
                choice == SEARCH_RESULTS and async_get_scanner(self.hass).searching
            ):
                return await self.async_step_search()
            if choice == SEARCH_RESULTS:  # that search ended while the list was shown
                return await self.async_step_pick()
            if choice in self._discovered:
                self._selected = self._discovered[choice]
                return await self.async_step_credentials()
            return await self.async_step_manual()
        scanner = async_get_scanner(self.hass)
        known = configured_addresses(
            [e for e in self._async_current_entries(include_ignore=False) if is_camera_kind(e)]
        )
        self._discovered = {
            f"{camera.host}:{camera.port}": camera
            for camera in scanner.found
            if (camera.host, camera.port) not in known
        }
        options = [
            SelectOptionDict(
                value=key,
                label=f"{plain(camera.name or camera.hardware) or 'ONVIF camera'} ({key})",
            )
            for key, camera in self._discovered.items()
        ]
        # While a search listens, the choice says so: it shows what that search finds.
        search = SEARCH_RESULTS if scanner.searching else SEARCH_AGAIN
        options += [
            SelectOptionDict(value=MANUAL_ENTRY, label=MANUAL_ENTRY),
            SelectOptionDict(value=search, label=search),
        ]
        schema = vol.Schema(
            {
                vol.Required(CONF_DEVICE): SelectSelector(
                    SelectSelectorConfig(
                        options=options, mode=SelectSelectorMode.LIST, translation_key=CONF_DEVICE
                    )
                )
            }
        )
        # Chosen when the form opens: the first camera listed, else the address form.
        chosen = {CONF_DEVICE: options[0]["value"]}
        return self.async_show_form(
            step_id="pick",
            data_schema=self.add_suggested_values_to_schema(schema, chosen),
            description_placeholders={
                "found": str(len(scanner.found)),
                "added": str(len(scanner.found) - len(self._discovered)),
            },
        )

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """Return a camera the background search found: offer it for sign-in."""
        camera = DiscoveredCamera(**{**discovery_info, "scopes": tuple(discovery_info["scopes"])})
        # The MAC the camera announces is its key; without one, its WS-Discovery endpoint
        # reference keeps two searches from offering it twice (the entry's key comes later).
        # A configured camera is not moved to the announced address: the announcement is the
        # device's own word, and the entry would send that camera's credentials there (DHCP,
        # the network's word, does move it).
        await self.async_set_unique_id(camera.mac or f"ws-discovery:{camera.endpoint}")
        self._abort_if_unique_id_configured()
        self._async_abort_entries_match({CONF_HOST: camera.host, CONF_PORT: camera.port})
        self.context["title_placeholders"] = {"name": plain(camera.name) or camera.host}
        self._selected = camera
        self._mac_hint = camera.mac
        return await self.async_step_credentials()

    async def async_step_credentials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the username and password of the discovered camera."""
        camera = self._selected
        assert camera is not None
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_HOST: camera.host, CONF_PORT: camera.port, **user_input}
            if (result := await self._async_create(data, errors, camera.name)) is not None:
                return result
        return self.async_show_form(
            step_id="credentials",
            data_schema=self.add_suggested_values_to_schema(CREDENTIALS_SCHEMA, user_input),
            errors=errors,
            description_placeholders={
                "name": markdown_safe(camera.name or camera.hardware or camera.host),
                "address": markdown_safe(f"{camera.host}:{camera.port}"),
            },
        )

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Enter the camera's address and credentials by hand."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port = valid_host(user_input[CONF_HOST]), valid_port(user_input[CONF_PORT])
            if host is None:
                errors[CONF_HOST] = "invalid_host"
            if port is None:
                errors[CONF_PORT] = "invalid_port"
            current = self._async_current_entries(include_ignore=False)
            if host is not None and port is not None and address_taken(current, host, port):
                # Shown on the address, where the user can change it; the flow goes on.
                errors[CONF_HOST] = "already_configured"
            if not errors:
                data = {**user_input, CONF_HOST: host, CONF_PORT: port}
                if (result := await self._async_create(data, errors, None)) is not None:
                    return result
        suggested = user_input or default_port_input(self._host_hint)
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(MANUAL_SCHEMA, suggested),
            errors=errors,
        )

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """Follow a known camera to its new address, or offer a new one."""
        mac = format_mac(discovery_info.macaddress)
        if mac is None:
            return self.async_abort(reason="not_onvif")
        host = discovery_info.ip
        if (entry := find_entry_by_mac(self._async_current_entries(), mac)) is not None:
            self._async_follow(entry, {CONF_HOST: host, CONF_OBSERVED_MAC: mac})
            return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured()
        self._async_abort_entries_match({CONF_HOST: host})
        vendor = vendor_for_mac(mac)
        self._mac_hint = mac
        self._host_hint = host
        self.context["title_placeholders"] = {"name": f"{vendor.name} ({host})" if vendor else host}
        return await self.async_step_manual()

    # -- helpers ---------------------------------------------------------------------------

    @callback
    def _async_follow(self, entry: ConfigEntry, updates: dict[str, Any]) -> bool:
        """Point a known camera's entry at its new address; reload it only if it runs.

        Returns whether the entry's address changed (a MAC learnt alone is no move).
        """
        if all(entry.data.get(key) == value for key, value in updates.items()):
            return False
        moved = any(entry.data.get(key) != updates[key] for key in (CONF_HOST, CONF_PORT))
        self.hass.config_entries.async_update_entry(entry, data={**entry.data, **updates})
        if entry.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return moved

    async def _async_create(
        self, data: dict[str, Any], errors: dict[str, str], name_hint: str | None
    ) -> ConfigFlowResult | None:
        """Probe the camera and create its entry; None with ``errors`` filled when it fails."""
        data[CONF_PORT] = int(data[CONF_PORT])
        client, error = await async_probe_client(self.hass, data)
        if client is None or client.info is None:
            errors["base"] = error
            return None
        try:
            return await self._async_create_for(client, data, name_hint)
        finally:
            if self._handed_over is None:
                await client.async_close()

    async def _async_create_for(
        self, client: OnvifClient, data: dict[str, Any], name_hint: str | None
    ) -> ConfigFlowResult:
        assert client.info is not None
        info = client.info
        identity = info.identity
        address = {CONF_HOST: data[CONF_HOST], CONF_PORT: data[CONF_PORT]}
        cameras = [e for e in self._async_current_entries() if is_camera_kind(e)]
        existing = find_entry(cameras, identity, self._mac_hint)
        if existing is not None:
            # The same camera under another address: follow it rather than add it twice, and
            # keep a MAC it did not know yet, so DHCP alone finds it next time.
            updates: dict[str, Any] = dict(address)
            if (mac := identity.mac or self._mac_hint) and entry_identity(existing)[0] is None:
                updates[CONF_MAC] = mac
            if self.source == SOURCE_DHCP and self._mac_hint:
                updates[CONF_OBSERVED_MAC] = self._mac_hint
            if self._async_follow(existing, updates) and self.source == SOURCE_USER:
                # The user added it: say where its entry is now, not only "already set up".
                return self.async_abort(
                    reason="camera_moved",
                    description_placeholders={
                        "name": markdown_safe(existing.title),
                        "address": markdown_safe(f"{data[CONF_HOST]}:{data[CONF_PORT]}"),
                    },
                )
            return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(identity.unique_id, raise_on_progress=False)
        self._abort_if_unique_id_configured(updates=address)
        data[CONF_MAC] = identity.mac or self._mac_hint
        if self.source == SOURCE_DHCP and self._mac_hint:
            # DHCP saw this MAC lease this address: the network's word, not the camera's.
            data[CONF_OBSERVED_MAC] = self._mac_hint
        data[CONF_SERIAL] = identity.serial
        async_hand_over(self.hass, identity.unique_id, client)
        self._handed_over = (identity.unique_id, client)
        return self.async_create_entry(title=camera_title(info, name_hint), data=data)
