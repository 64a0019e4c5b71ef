"""Homebound's config flow: add a camera or the firewall, and keep either entry current.

The steps of each half live with it (``cameras/flow.py``, ``isolation/flow.py``); this class
joins them, asks what to add, and hands reauthentication and reconfiguration to the half the
entry belongs to. The overview entry is made by its own step (system source, ``overview/``);
a vulnerable-firmware repair offers the firewall's set-up as a discovered flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import callback
from homeassistant.helpers.typing import DiscoveryInfoType

from .cameras.flow import CameraFlowMixin
from .cameras.options_flow import HomeboundOptionsFlow
from .const import CONF_KIND, DOMAIN, FIREWALL_UNIQUE_ID, KIND_FIREWALL
from .entry import HomeboundConfigEntry
from .isolation.flow import FirewallFlowMixin
from .kind import is_camera_kind, is_firewall_entry, is_overview_entry
from .overview.flow import OverviewFlowMixin


class HomeboundConfigFlow(CameraFlowMixin, FirewallFlowMixin, OverviewFlowMixin, domain=DOMAIN):
    """Add an ONVIF camera (discovered, offered by DHCP, entered by hand) or the firewall."""

    VERSION = 1
    MINOR_VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HomeboundConfigEntry) -> HomeboundOptionsFlow:
        """Options: how streams are pulled and events read."""
        return HomeboundOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Cameras have options; the firewall is changed by reconfiguring it."""
        return is_camera_kind(config_entry)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask what to add: a camera or the firewall."""
        return self.async_show_menu(step_id="user", menu_options=["camera", "firewall"])

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start reauthentication: the camera (or the router) refused the stored login."""
        if is_firewall_entry(self._get_reauth_entry()):
            return await self.async_step_firewall_reauth()
        return await self.async_step_reauth_confirm()

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change a camera's address or credentials, or the firewall's settings."""
        entry = self._get_reconfigure_entry()
        if is_firewall_entry(entry):
            return await self.async_step_firewall_reconfigure()
        if is_overview_entry(entry):
            return self.async_abort(reason="overview_managed")
        return await self.async_reconfigure_camera(user_input)

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """Offer a camera the background search found, or the firewall a repair offers."""
        if discovery_info.get(CONF_KIND) == KIND_FIREWALL:
            return await self.async_step_firewall_offer()
        return await super().async_step_integration_discovery(discovery_info)

    async def async_step_firewall_offer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm adding the firewall offered by a repair, then run its steps."""
        await self.async_set_unique_id(FIREWALL_UNIQUE_ID, raise_on_progress=False)
        if any(is_firewall_entry(e) for e in self._async_current_entries()):
            return self.async_abort(reason="firewall_already_configured")
        if user_input is not None:
            return await self.async_step_firewall()
        self.context["title_placeholders"] = {"name": "Firewall"}
        self._set_confirm_only()
        return self.async_show_form(step_id="firewall_offer")
