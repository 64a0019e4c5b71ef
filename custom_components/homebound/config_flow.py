"""Config flow: find or enter a camera, check it answers, and keep its entry current."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.typing import DiscoveryInfoType

from .catalog import vendor_for_mac
from .client import async_client, async_hand_over, async_take_back
from .compat import vol
from .config_flow_firewall import FirewallFlowMixin
from .const import (
    CONF_DEVICE,
    CONF_MAC,
    CONF_SERIAL,
    DEFAULT_PORT,
    DOMAIN,
    LOGGER,
    MANUAL_ENTRY,
    SEARCH_AGAIN,
)
from .coordinator import HomeboundConfigEntry
from .device import (
    CameraAuthError,
    CameraError,
    CameraInfo,
    CameraUnreachableError,
    DiscoveredCamera,
    NotOnvifError,
    NoVideoProfilesError,
    OnvifClient,
    format_mac,
)
from .firewall_backend import is_firewall_entry
from .identity import entry_identity, find_entry, find_entry_by_mac
from .options_flow import HomeboundOptionsFlow
from .scanner import async_get_scanner, configured_addresses

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_PORT = vol.All(vol.Coerce(int), vol.Range(min=1, max=65535))

MANUAL_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT, default=DEFAULT_PORT): _PORT,
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)
RECONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT): _PORT,
        vol.Required(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
    }
)


def default_port_input(host: str | None) -> dict[str, Any]:
    """Return what the address form starts with."""
    return {CONF_HOST: host or "", CONF_PORT: DEFAULT_PORT}


def camera_title(info: CameraInfo, name_hint: str | None) -> str:
    """Return the entry's title: the name the camera announced, else maker and model (once)."""
    if name_hint:
        return name_hint
    identity = info.identity
    if identity.model.lower().startswith(identity.manufacturer.lower()):
        return identity.model
    return f"{identity.manufacturer} {identity.model}"


async def async_probe(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[CameraInfo | None, str]:
    """Run the setup probe; return what the camera is, or the translation key of why not."""
    client, error = await async_probe_client(hass, data)
    if client is None:
        return None, error
    await client.async_close()
    return client.info, ""


async def async_probe_client(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[OnvifClient | None, str]:
    """Run the setup probe; return the connected client, or the translation key of why not."""
    client = async_client(hass, data)
    try:
        await client.async_connect()
    except CameraAuthError:
        error = "invalid_auth"
    except CameraUnreachableError:
        error = "cannot_connect"
    except NotOnvifError:
        error = "not_onvif"
    except NoVideoProfilesError:
        error = "no_video_profiles"
    except CameraError as err:
        LOGGER.debug("Camera %s failed the setup probe: %s", data[CONF_HOST], err)
        error = "cannot_connect"
    except Exception:  # noqa: BLE001 - a config flow must show an error, not a traceback
        LOGGER.exception("Unexpected error while probing %s", data[CONF_HOST])
        error = "unknown"
    else:
        return client, ""
    await client.async_close()
    return None, error


class HomeboundConfigFlow(FirewallFlowMixin, domain=DOMAIN):
    """Add an ONVIF camera (discovered, offered by DHCP, entered by hand) or the firewall.

    The firewall's steps live in :class:`~.config_flow_firewall.FirewallFlowMixin`.
    """

    VERSION = 1
    MINOR_VERSION = 2

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__()
        self._scan_task: Any = None
        self._discovered: dict[str, DiscoveredCamera] = {}
        self._found = 0
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

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HomeboundConfigEntry) -> HomeboundOptionsFlow:
        """Options: how streams are pulled."""
        return HomeboundOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Cameras have options; the firewall is changed by reconfiguring it."""
        return not is_firewall_entry(config_entry)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask what to add: a camera or the firewall."""
        return self.async_show_menu(step_id="user", menu_options=["camera", "firewall"])

    # -- adding a camera -------------------------------------------------------------------

    async def async_step_camera(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """List the cameras the background search knows; search first when that is stale."""
        scanner = async_get_scanner(self.hass)
        if self._scan_task is None and scanner.fresh:
            return await self.async_step_pick()
        return await self.async_step_search()

    async def async_step_search(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Search the LAN for ONVIF cameras, showing progress while it listens."""
        if self._scan_task is None:
            self._scan_task = self.hass.async_create_task(
                async_get_scanner(self.hass).async_scan(), "homebound WS-Discovery"
            )
        if not self._scan_task.done():
            return self.async_show_progress(
                step_id="search", progress_action="discovery", progress_task=self._scan_task
            )
        self._scan_task = None
        return self.async_show_progress_done(next_step_id="pick")

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose a discovered camera, search again, or enter one by hand."""
        if user_input is not None:
            choice = user_input[CONF_DEVICE]
            if choice == SEARCH_AGAIN:
                return await self.async_step_search()
            if choice in self._discovered:
                self._selected = self._discovered[choice]
                return await self.async_step_credentials()
            return await self.async_step_manual()
        found = async_get_scanner(self.hass).found
        known = configured_addresses(
            [
                e
                for e in self._async_current_entries(include_ignore=False)
                if not is_firewall_entry(e)
            ]
        )
        self._found = len(found)
        self._discovered = {
            f"{camera.host}:{camera.port}": camera
            for camera in found
            if (camera.host, camera.port) not in known
        }
        options = [
            SelectOptionDict(
                value=key, label=f"{camera.name or camera.hardware or 'ONVIF camera'} ({key})"
            )
            for key, camera in self._discovered.items()
        ]
        options += [
            SelectOptionDict(value=SEARCH_AGAIN, label=SEARCH_AGAIN),
            SelectOptionDict(value=MANUAL_ENTRY, label=MANUAL_ENTRY),
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
        return self.async_show_form(
            step_id="pick",
            data_schema=schema,
            description_placeholders={
                "found": str(self._found),
                "added": str(self._found - len(self._discovered)),
            },
        )

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """Return a camera the background search found: offer it for sign-in."""
        camera = DiscoveredCamera(**{**discovery_info, "scopes": tuple(discovery_info["scopes"])})
        # The MAC the camera announces is its key; without one, its WS-Discovery endpoint
        # reference keeps two searches from offering it twice (the entry's key comes later).
        await self.async_set_unique_id(camera.mac or f"ws-discovery:{camera.endpoint}")
        self._abort_if_unique_id_configured(
            updates={CONF_HOST: camera.host, CONF_PORT: camera.port}
        )
        self._async_abort_entries_match({CONF_HOST: camera.host, CONF_PORT: camera.port})
        self.context["title_placeholders"] = {"name": camera.name or camera.host}
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
                "name": camera.name or camera.hardware or camera.host,
                "address": f"{camera.host}:{camera.port}",
            },
        )

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Enter the camera's address and credentials by hand."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._async_abort_entries_match(
                {CONF_HOST: user_input[CONF_HOST], CONF_PORT: user_input[CONF_PORT]}
            )
            if (result := await self._async_create(dict(user_input), errors, None)) is not None:
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
            self._async_follow(entry, {CONF_HOST: host})
            return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured()
        self._async_abort_entries_match({CONF_HOST: host})
        vendor = vendor_for_mac(mac)
        self._mac_hint = mac
        self._host_hint = host
        self.context["title_placeholders"] = {"name": f"{vendor.name} ({host})" if vendor else host}
        return await self.async_step_manual()

    # -- keeping an entry current ----------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start reauthentication: the camera (or the router) refused the stored login."""
        if is_firewall_entry(self._get_reauth_entry()):
            return await self.async_step_firewall_reauth()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and check them."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            info, error = await async_probe(self.hass, {**entry.data, **user_input})
            if info is not None:
                if not info.identity.matches(*entry_identity(entry)):
                    return self.async_abort(reason="wrong_camera")
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
            errors["base"] = error
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, user_input or {CONF_USERNAME: entry.data[CONF_USERNAME]}
            ),
            errors=errors,
            description_placeholders={"name": entry.title, "host": entry.data[CONF_HOST]},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or credentials of a camera without losing its entities."""
        entry = self._get_reconfigure_entry()
        if is_firewall_entry(entry):
            return await self.async_step_firewall_reconfigure()
        errors: dict[str, str] = {}
        if user_input is not None:
            updates = dict(user_input)
            if not updates.get(CONF_PASSWORD):
                updates[CONF_PASSWORD] = entry.data[CONF_PASSWORD]
            info, error = await async_probe(self.hass, {**entry.data, **updates})
            if info is not None:
                if not info.identity.matches(*entry_identity(entry)):
                    return self.async_abort(reason="wrong_camera")
                return self.async_update_reload_and_abort(entry, data_updates=updates)
            errors["base"] = error
        suggested = user_input or {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_PORT: entry.data[CONF_PORT],
            CONF_USERNAME: entry.data[CONF_USERNAME],
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(RECONFIGURE_SCHEMA, suggested),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    # -- helpers ---------------------------------------------------------------------------

    @callback
    def _async_follow(self, entry: ConfigEntry, updates: dict[str, Any]) -> None:
        """Point a known camera's entry at its new address; reload it only if it runs."""
        if all(entry.data.get(key) == value for key, value in updates.items()):
            return
        self.hass.config_entries.async_update_entry(entry, data={**entry.data, **updates})
        if entry.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)

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
        cameras = [e for e in self._async_current_entries() if not is_firewall_entry(e)]
        existing = find_entry(cameras, identity, self._mac_hint)
        if existing is not None:
            # The same camera under another address: follow it rather than add it twice, and
            # keep a MAC it did not know yet, so DHCP alone finds it next time.
            updates: dict[str, Any] = dict(address)
            if (mac := identity.mac or self._mac_hint) and entry_identity(existing)[0] is None:
                updates[CONF_MAC] = mac
            self._async_follow(existing, updates)
            return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(identity.unique_id, raise_on_progress=False)
        self._abort_if_unique_id_configured(updates=address)
        data[CONF_MAC] = identity.mac or self._mac_hint
        data[CONF_SERIAL] = identity.serial
        async_hand_over(self.hass, identity.unique_id, client)
        self._handed_over = (identity.unique_id, client)
        return self.async_create_entry(title=camera_title(info, name_hint), data=data)
