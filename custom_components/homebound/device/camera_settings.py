"""One camera's settings that reach outside the home: read them all, change them, read back.

The entry point the glue calls (issue 20): :func:`vendor_settings` makes the maker's client
(Hikvision ISAPI, Dahua CGI/RPC2; None for a maker Homebound has no local switch for — the
glue then says so and points at cloud isolation), and :class:`CameraSettings` puts it beside
the ONVIF network settings every camera has:

* :meth:`CameraSettings.read`: every setting, as :class:`~.settings_model.SettingRead`
  (setting id, label key, state, whether it phones home, the servers it names);
* :meth:`CameraSettings.switch_off`: the maker's switchable settings off, each read back, as
  :class:`~.settings_model.SwitchResult` with an :class:`~.settings_model.Outcome`;
* :meth:`CameraSettings.set_ntp`: the clock pointed at one server — ONVIF ``SetNTP``, and the
  maker's API when ONVIF does not take it;
* :meth:`CameraSettings.remove_gateway_and_dns`: no default gateway and no resolver outside
  the LAN (refused when DHCP would undo it).

Nothing here runs on its own: the glue calls it when the user asks (or on its daily audit,
which only reads).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .dahua_settings import DahuaSettings
from .hikvision_settings import HikvisionSettings
from .onvif_network import OnvifNetwork
from .settings_model import Maker, Outcome, SettingId, SettingRead, SwitchResult
from .vendor_http import VendorHttp

if TYPE_CHECKING:
    import aiohttp

    from .client import OnvifClient
    from .settings_base import SettingsClient

_TRY_THE_MAKER = frozenset({Outcome.UNSUPPORTED, Outcome.IGNORED, Outcome.FAILED})


def vendor_settings(
    maker: Maker | None,
    session: aiohttp.ClientSession,
    base_url: str,
    username: str,
    password: str,
) -> SettingsClient | None:
    """Return the settings client of ``maker`` at ``base_url``; None when it has none."""
    if maker is None:
        return None
    http = VendorHttp(session, base_url, username, password)
    if maker is Maker.HIKVISION:
        return HikvisionSettings(http)
    return DahuaSettings(http, username, password)


class CameraSettings:
    """A camera's maker settings (if any) and its ONVIF network settings."""

    def __init__(self, onvif: OnvifClient, vendor: SettingsClient | None) -> None:
        """Use the connected ``onvif`` client and the maker's client (None: no local switch)."""
        self.network = OnvifNetwork(onvif)
        self.vendor = vendor

    @property
    def has_local_switch(self) -> bool:
        """Whether the camera's cloud features can be switched off on the camera itself."""
        return self.vendor is not None

    async def read(self) -> tuple[SettingRead, ...]:
        """Read every setting: the maker's, then ONVIF's."""
        found = await self.vendor.read() if self.vendor is not None else ()
        return found + await self.network.read()

    async def switch_off(
        self, settings: Collection[SettingId] | None = None
    ) -> tuple[SwitchResult, ...]:
        """Switch off the maker's settings (all switchable ones by default), read back."""
        if self.vendor is None:
            return ()
        return await self.vendor.switch_off(settings)

    async def set_ntp(self, server: str) -> SwitchResult:
        """Point the clock at ``server``: ONVIF first, the maker's API if ONVIF does not."""
        result = await self.network.set_ntp(server)
        if result.outcome not in _TRY_THE_MAKER or self.vendor is None:
            return result
        by_maker = await self.vendor.set_ntp(server)
        return by_maker if by_maker.outcome in {Outcome.DONE, Outcome.NOTHING_TO_DO} else result

    async def remove_gateway_and_dns(self) -> tuple[SwitchResult, SwitchResult]:
        """Take away the default gateway and external resolvers (ONVIF), read back."""
        return await self.network.remove_gateway_and_dns()
