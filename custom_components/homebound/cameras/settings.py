"""A camera's settings that reach outside the home: audited daily, changed only when asked.

Each loaded camera entry has one :class:`SettingsAudit` (``runtime_data.settings``). It reads
what the camera is set to do — the maker's cloud switches over its own API where Homebound has
a client for it (Hikvision ISAPI, Dahua CGI/RPC2: ``device/camera_settings.py``), the time
server, resolvers, gateway and DHCP over ONVIF — in the background after set-up (a camera
whose API hangs must not hold up Home Assistant) and once a day; it keeps the camera's repair
issue (:mod:`.settings_issue`) and the sensors up to date.

Changes happen only when the user asks — the repair's fix flow, the "Disable cloud features"
button, the service actions, the time-server option — and each is read back by the device
layer: an outcome is *done* only when the camera's answer to a second read agrees. After every
change the audit runs again, so the repair shows what is still on.

The time-server option is the one standing order: when it is set, the daily audit points the
camera's clock at it again if the camera was reset or changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .. import link
from ..catalog import CatalogError, identify, load_catalog
from ..const import CONF_NTP_SERVER, CONF_OBSERVED_MAC, LOGGER
from ..device.camera_settings import CameraSettings, vendor_settings
from ..device.settings_model import (
    UNSHOWABLE,
    Maker,
    Outcome,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
    clean_host,
)
from ..events import SourceKind
from .settings_issue import async_update_issue
from .settings_text import FEATURE_DNS, FEATURE_TIME, TIME_SETTINGS, Finding, findings

if TYPE_CHECKING:
    from .coordinator import CameraConfigEntry

AUDIT_INTERVAL: Final = timedelta(days=1)
"""How often a camera's settings are read again (a reset or an app may switch them back on)."""

FIX_SWITCH_OFF: Final = "switch_off"
FIX_SET_NTP: Final = "set_ntp"
FIX_REMOVE_GATEWAY: Final = "remove_gateway"

_MAKERS: Final = {SourceKind.HIKVISION: Maker.HIKVISION, SourceKind.DAHUA: Maker.DAHUA}


def base_url(data: Any) -> str:
    """Return the camera's web server, where the makers' APIs answer (the entry's host and port)."""
    host = str(data[CONF_HOST])
    return (
        f"http://[{host}]:{data[CONF_PORT]}" if ":" in host else f"http://{host}:{data[CONF_PORT]}"
    )


class SettingsAudit:
    """What one camera is set to do beyond the LAN, and the changes the user asks for."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: CameraConfigEntry,
        settings: CameraSettings,
        maker: Maker | None,
    ) -> None:
        """Audit ``entry``'s camera through ``settings`` (``maker``: whose API it speaks)."""
        self.hass = hass
        self.entry = entry
        self.settings = settings
        self.maker = maker
        self.reads: tuple[SettingRead, ...] = ()
        """The latest reading of every setting, as the camera answered it."""
        self.findings: list[Finding] = []
        self.audited_at: datetime | None = None
        self.audits = 0
        self.clock_offset: float | None = None
        self.changes: tuple[SwitchResult, ...] = ()
        """What the latest change the user asked for came to (for diagnostics)."""
        self.no_switch_maker: str | None = None
        """The maker (from the catalogue) of a camera without a local switch, when known."""
        self._known: dict[SettingId, SettingRead] = {}
        self._identified = False
        self._lock = asyncio.Lock()
        self._listeners: list[Callable[[], None]] = []
        self.first_audit = asyncio.Event()
        """Set once the first audit is done (for what must not guess, tests among them)."""

    # -- what the entities and the repair read ---------------------------------------------

    @property
    def has_local_switch(self) -> bool:
        """Whether Homebound can switch the camera's own cloud features off."""
        return self.settings.has_local_switch

    @property
    def switchable(self) -> frozenset[SettingId]:
        """The maker's settings that switch off (none without a local switch)."""
        vendor = self.settings.vendor
        return vendor.switchable if vendor is not None else frozenset()

    @property
    def count(self) -> int | None:
        """How many features are on (None until the first audit)."""
        return len(self.findings) if self.audited_at is not None else None

    def fixes(self) -> list[str]:
        """Return what the repair's fix flow can offer for what is on now."""
        offered = []
        if any(finding.setting in self.switchable for finding in self.findings):
            offered.append(FIX_SWITCH_OFF)
        if any(finding.phrase == FEATURE_TIME for finding in self.findings):
            offered.append(FIX_SET_NTP)
        dns = any(finding.phrase == FEATURE_DNS for finding in self.findings)
        if dns or (self._read_on(SettingId.ONVIF_GATEWAY) and self._static()):
            offered.append(FIX_REMOVE_GATEWAY)
        return offered

    def _read_on(self, setting: SettingId) -> bool:
        read = self._known.get(setting)
        return read is not None and read.on

    def _static(self) -> bool:
        read = self._known.get(SettingId.ONVIF_DHCP)
        return read is not None and read.state is State.OFF

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` after every audit; returns the callback that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- the audit ---------------------------------------------------------------------------

    @callback
    def async_schedule(self, _now: datetime | None = None) -> None:
        """Audit in the background (the daily timer, and set-up)."""
        self.entry.async_create_background_task(
            self.hass, self.async_audit(), f"homebound {self.entry.title} settings audit"
        )

    async def async_audit(self) -> None:
        """Read every setting; update the repair and the sensors."""
        async with self._lock:
            await self._audit()

    async def _audit(self) -> None:
        if not self.entry.runtime_data.coordinator.last_update_success:
            return  # the camera is away: what was found stands until it is back
        # The settings clients never raise for what a camera does: their readings say it.
        reads = await self.settings.read()
        if (server := self.entry.options.get(CONF_NTP_SERVER)) and _elsewhere(reads, server):
            result = await self.settings.set_ntp(server)
            self.changes = (result,)
            LOGGER.info("Pointed the clock of %s at %s: %s", self.entry.title, server, result)
            reads = await self.settings.read()
        offset = await self.settings.network.clock_offset()
        self.reads = reads
        # A setting the camera did not answer for this time keeps its last reading: one
        # timed-out request should not take a line off the repair until tomorrow.
        self._known |= {read.setting: read for read in reads if read.state is not State.FAILED}
        if offset is not None:
            self.clock_offset = offset
        if not self.has_local_switch and not self._identified:
            self._identified = True
            self.no_switch_maker = await self._maker_without_switch()
        self.findings = findings(self._known.values())
        self.audited_at = dt_util.utcnow()
        self.audits += 1
        await async_update_issue(self.hass, self.entry, self)
        self.first_audit.set()
        for listener in list(self._listeners):
            listener()

    async def _maker_without_switch(self) -> str | None:
        """Return the catalogue's name for the camera's maker, if known (never camera text)."""
        try:
            catalog = await self.hass.async_add_executor_job(load_catalog)
        except CatalogError as err:  # the shipped data is checked by the tests: a bug
            LOGGER.error("Homebound's maker catalogue does not load: %s", err)
            return None
        found = identify(
            catalog,
            manufacturer=self.entry.runtime_data.info.identity.manufacturer,
            mac=self.entry.data.get(CONF_OBSERVED_MAC),
        )
        return found.manufacturer_label() if found.maker is not None else None

    # -- changes the user asks for -----------------------------------------------------------

    async def async_switch_off(self) -> tuple[SwitchResult, ...]:
        """Switch every switchable setting off, each read back; then audit again."""
        async with self._lock:
            results = await self.settings.switch_off()
            return await self._changed(results)

    async def async_set_ntp(self, server: str) -> SwitchResult:
        """Point the camera's clock at ``server``, read back; then audit again."""
        async with self._lock:
            return (await self._changed((await self.settings.set_ntp(server),)))[0]

    async def async_remove_gateway_and_dns(self) -> tuple[SwitchResult, ...]:
        """Take away the default gateway and resolvers outside the LAN; then audit again."""
        async with self._lock:
            return await self._changed(await self.settings.remove_gateway_and_dns())

    async def _changed(self, results: tuple[SwitchResult, ...]) -> tuple[SwitchResult, ...]:
        self.changes = results
        await self._audit()
        return results

    # -- diagnostics -------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """Every reading, what counts as on, and the latest change (no camera text)."""
        return {
            "maker_api": self.maker.value if self.maker is not None else None,
            "local_switch": self.has_local_switch,
            "no_switch_maker": self.no_switch_maker,
            "audited_at": self.audited_at.isoformat() if self.audited_at else None,
            "audits": self.audits,
            "reads": [
                {
                    "setting": read.setting.value,
                    "label": read.label,
                    "state": read.state.value,
                    "phones_home": read.phones_home,
                    "servers": list(read.servers),
                    "detail": read.detail,
                }
                for read in self.reads
            ],
            "on": [finding.setting.value for finding in self.findings],
            "fixes": self.fixes(),
            "clock_offset_seconds": (
                round(self.clock_offset) if self.clock_offset is not None else None
            ),
            "ntp_server_option": self.entry.options.get(CONF_NTP_SERVER),
            "last_changes": [
                {"setting": r.setting.value, "outcome": r.outcome.value, "detail": r.detail}
                for r in self.changes
            ],
        }


def clean_server(text: object) -> str | None:
    """Return a time server the user typed as the camera is told it (None: not a host)."""
    host = clean_host(text) if isinstance(text, str) else None
    return host if host is not None and host != UNSHOWABLE else None


def default_ntp_server(hass: HomeAssistant, entry: CameraConfigEntry) -> str | None:
    """Return the camera's time-server option, else the firewall's NTP redirect (link)."""
    option = entry.options.get(CONF_NTP_SERVER)
    return str(option) if option else link.ntp_server(hass)


NTP_ERRORS: Final[dict[Outcome, str]] = {
    Outcome.IGNORED: "ntp_ignored",
    Outcome.REFUSED: "ntp_refused",
    Outcome.UNSUPPORTED: "ntp_unsupported",
    Outcome.UNDONE_BY_DHCP: "ntp_failed",
    Outcome.FAILED: "ntp_failed",
}
"""The options form's error for each way the camera did not take a time server."""


async def async_apply_ntp_option(
    hass: HomeAssistant, entry: CameraConfigEntry, user_input: dict[str, Any]
) -> str | None:
    """Set a changed time-server option on the camera, read back; the form's error, if any.

    The option is cleaned in ``user_input`` (an empty one removed). A camera that is not
    loaded gets it at its next set-up (the audit points the clock at the option).
    """
    asked = str(user_input.pop(CONF_NTP_SERVER, "") or "").strip()
    if not asked:
        return None
    if (server := clean_server(asked)) is None:
        return "invalid_ntp_server"
    user_input[CONF_NTP_SERVER] = server
    audit = entry.runtime_data.settings if entry.state is ConfigEntryState.LOADED else None
    if server == entry.options.get(CONF_NTP_SERVER) or audit is None:
        return None
    result = await audit.async_set_ntp(server)
    return NTP_ERRORS.get(result.outcome)


def _elsewhere(reads: tuple[SettingRead, ...], server: str) -> bool:
    """Whether a readable time setting points anywhere but ``server`` alone."""
    wanted = (clean_server(server),)
    return any(
        read.setting in TIME_SETTINGS
        and read.state in {State.ON, State.OFF}
        and read.servers != wanted
        for read in reads
    )


@callback
def async_start_settings(hass: HomeAssistant, entry: CameraConfigEntry) -> SettingsAudit:
    """Give a camera entry its audit: first in the background now, then once a day."""
    data = entry.runtime_data
    maker = _MAKERS.get(data.hub.vendor) if data.hub.vendor is not None else None
    vendor = vendor_settings(
        maker,
        async_get_clientsession(hass, verify_ssl=False),
        base_url(entry.data),
        entry.data[CONF_USERNAME],
        entry.data[CONF_PASSWORD],
    )
    audit = SettingsAudit(hass, entry, CameraSettings(data.client, vendor), maker)
    data.settings = audit
    entry.async_on_unload(
        async_track_time_interval(
            hass,
            audit.async_schedule,
            AUDIT_INTERVAL,
            name=f"homebound {entry.title} audit",
            cancel_on_shutdown=True,  # Home Assistant does not unload entries when it stops
        )
    )
    audit.async_schedule()
    return audit
