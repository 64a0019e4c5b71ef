"""Config flow: find or enter a camera, check it answers, and keep its entry current."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import os
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlowWithReload
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
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

from .catalog import vendor_for_mac
from .compat import vol
from .const import (
    CONF_DEVICE,
    CONF_MAC,
    CONF_RTSP_TRANSPORT,
    DEFAULT_PORT,
    DEFAULT_RTSP_TRANSPORT,
    DISCOVERY_TIMEOUT,
    DOMAIN,
    ENV_DISCOVERY_TARGETS,
    LOGGER,
    MANUAL_ENTRY,
    RTSP_TRANSPORTS,
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
    async_discover,
    format_mac,
)
from .device.discovery import MULTICAST_TARGET

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))

MANUAL_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Required(CONF_PORT, default=DEFAULT_PORT): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=65535)
        ),
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
        vol.Required(CONF_PORT): vol.All(vol.Coerce(int), vol.Range(min=1, max=65535)),
        vol.Required(CONF_USERNAME): str,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
    }
)


def discovery_targets() -> list[tuple[str, int]]:
    """Where WS-Discovery probes go: the multicast group, or a test rig's own list."""
    raw = os.environ.get(ENV_DISCOVERY_TARGETS, "").strip()
    if not raw:
        return [MULTICAST_TARGET]
    targets: list[tuple[str, int]] = []
    for item in raw.split(","):
        host, _, port = item.strip().rpartition(":")
        if host and port.isdigit():
            targets.append((host, int(port)))
    return targets or [MULTICAST_TARGET]


def _unique_id(info: CameraInfo, mac_hint: str | None) -> str:
    """Return the MAC address when known (from the camera or DHCP), else the serial number."""
    return info.identity.mac or mac_hint or info.identity.unique_id


def _title(info: CameraInfo, name_hint: str | None) -> str:
    if name_hint:
        return name_hint
    identity = info.identity
    if identity.model.lower().startswith(identity.manufacturer.lower()):
        return identity.model
    return f"{identity.manufacturer} {identity.model}"


class HomeboundConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an ONVIF camera: discovered on the LAN, offered by DHCP, or entered by hand."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing found."""
        self._discovery_task: asyncio.Task[list[DiscoveredCamera]] | None = None
        self._discovered: dict[str, DiscoveredCamera] = {}
        self._selected: DiscoveredCamera | None = None
        self._mac_hint: str | None = None
        self._host_hint: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HomeboundConfigEntry) -> HomeboundOptionsFlow:
        """Options: how streams are pulled."""
        return HomeboundOptionsFlow()

    # -- adding a camera -------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Search the LAN for ONVIF cameras, showing progress while it listens."""
        if self._discovery_task is None:
            self._discovery_task = self.hass.async_create_task(
                async_discover(discovery_targets(), timeout=DISCOVERY_TIMEOUT),
                "homebound WS-Discovery",
            )
        if not self._discovery_task.done():
            return self.async_show_progress(
                progress_action="discovery", progress_task=self._discovery_task
            )
        try:
            found = self._discovery_task.result()
        except OSError as err:
            LOGGER.warning("Searching for ONVIF cameras failed: %s", err)
            found = []
        configured = {
            (entry.data.get(CONF_HOST), entry.data.get(CONF_PORT))
            for entry in self._async_current_entries(include_ignore=False)
        }
        self._discovered = {
            f"{camera.host}:{camera.port}": camera
            for camera in found
            if (camera.host, camera.port) not in configured
        }
        return self.async_show_progress_done(next_step_id="pick" if self._discovered else "manual")

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose a discovered camera, or enter one by hand."""
        if user_input is not None:
            choice = user_input[CONF_DEVICE]
            if choice == MANUAL_ENTRY or choice not in self._discovered:
                return await self.async_step_manual()
            self._selected = self._discovered[choice]
            return await self.async_step_credentials()
        options = [
            SelectOptionDict(
                value=key,
                label=f"{camera.name or camera.hardware or 'ONVIF camera'} ({key})",
            )
            for key, camera in self._discovered.items()
        ]
        options.append(SelectOptionDict(value=MANUAL_ENTRY, label=MANUAL_ENTRY))
        schema = vol.Schema(
            {
                vol.Required(CONF_DEVICE): SelectSelector(
                    SelectSelectorConfig(
                        options=options,
                        mode=SelectSelectorMode.LIST,
                        translation_key=CONF_DEVICE,
                    )
                )
            }
        )
        return self.async_show_form(step_id="pick", data_schema=schema)

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
        suggested = user_input or {CONF_HOST: self._host_hint or "", CONF_PORT: DEFAULT_PORT}
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
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured(updates={CONF_HOST: host})
        # Cameras that did not tell their MAC over ONVIF are keyed by serial number; their
        # entry still records the MAC that DHCP saw when they were added.
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_MAC) == mac:
                if entry.data.get(CONF_HOST) != host:
                    self.hass.config_entries.async_update_entry(
                        entry, data={**entry.data, CONF_HOST: host}
                    )
                    self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return self.async_abort(reason="already_configured")
        self._async_abort_entries_match({CONF_HOST: host})
        vendor = vendor_for_mac(mac)
        self._mac_hint = mac
        self._host_hint = host
        self.context["title_placeholders"] = {"name": f"{vendor.name} ({host})" if vendor else host}
        return await self.async_step_manual()

    # -- keeping an entry current ----------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start reauthentication: the camera refused the stored password."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and check them."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            info, error = await self._async_probe(data)
            if info is not None:
                await self.async_set_unique_id(_unique_id(info, entry.data.get(CONF_MAC)))
                self._abort_if_unique_id_mismatch(reason="wrong_camera")
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
        errors: dict[str, str] = {}
        if user_input is not None:
            updates = dict(user_input)
            if not updates.get(CONF_PASSWORD):
                updates[CONF_PASSWORD] = entry.data[CONF_PASSWORD]
            info, error = await self._async_probe({**entry.data, **updates})
            if info is not None:
                await self.async_set_unique_id(_unique_id(info, entry.data.get(CONF_MAC)))
                self._abort_if_unique_id_mismatch(reason="wrong_camera")
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

    async def _async_probe(self, data: Mapping[str, Any]) -> tuple[CameraInfo | None, str]:
        """Run the setup probe; return what the camera is, or the translation key of why not."""
        client = OnvifClient(
            data[CONF_HOST],
            int(data[CONF_PORT]),
            data[CONF_USERNAME],
            data[CONF_PASSWORD],
            async_get_clientsession(self.hass, verify_ssl=False),
        )
        try:
            return await client.async_connect(), ""
        except CameraAuthError:
            return None, "invalid_auth"
        except CameraUnreachableError:
            return None, "cannot_connect"
        except NotOnvifError:
            return None, "not_onvif"
        except NoVideoProfilesError:
            return None, "no_video_profiles"
        except CameraError as err:
            LOGGER.debug("Camera %s failed the setup probe: %s", data[CONF_HOST], err)
            return None, "cannot_connect"
        except Exception:  # noqa: BLE001 - a config flow must show an error, not a traceback
            LOGGER.exception("Unexpected error while probing %s", data[CONF_HOST])
            return None, "unknown"
        finally:
            await client.async_close()

    async def _async_create(
        self, data: dict[str, Any], errors: dict[str, str], name_hint: str | None
    ) -> ConfigFlowResult | None:
        """Probe the camera and create its entry; None with ``errors`` filled when it fails."""
        data[CONF_PORT] = int(data[CONF_PORT])
        info, error = await self._async_probe(data)
        if info is None:
            errors["base"] = error
            return None
        await self.async_set_unique_id(_unique_id(info, self._mac_hint), raise_on_progress=False)
        self._abort_if_unique_id_configured()
        data[CONF_MAC] = info.identity.mac or self._mac_hint
        return self.async_create_entry(title=_title(info, name_hint), data=data)


class HomeboundOptionsFlow(OptionsFlowWithReload):
    """How Home Assistant pulls the camera's streams."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the RTSP transport."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_RTSP_TRANSPORT,
                    default=self.config_entry.options.get(
                        CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT
                    ),
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=list(RTSP_TRANSPORTS),
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key=CONF_RTSP_TRANSPORT,
                    )
                )
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
