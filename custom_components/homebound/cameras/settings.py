"""A camera's settings that reach outside the home: audited daily, changed only when asked.

Each loaded camera entry has one :class:`SettingsAudit` (``runtime_data.settings``). It reads
what the camera is set to do — the maker's cloud switches over its own API where Homebound has
a client for it (Hikvision ISAPI, Dahua CGI/RPC2: ``device/camera_settings.py``), the time
server, resolvers, gateway and DHCP over ONVIF — in the background after set-up (a camera
whose API hangs must not hold up Home Assistant) and once a day; it keeps the camera's repair
issue (:mod:`.settings_issue`) and the sensors up to date. What it read is kept with the
camera's record (known.py): a start of Home Assistant takes the day's audit from there and
reads again only when it is due, or when the time-server option changed meanwhile.

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

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.util import dt as dt_util

from ..catalog import CatalogError, identify, load_catalog
from ..const import CONF_NTP_SERVER, CONF_OBSERVED_MAC, LOGGER
from ..device.camera_settings import CameraSettings, vendor_settings
from ..device.settings_model import (
    Maker,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
)
from ..device.stored import reads_from_data, reads_to_data
from ..events import SourceKind
from .settings_issue import async_update_issue
from .settings_ntp import clean_server
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
        self.findings = findings(self._known.values())
        self.audited_at = dt_util.utcnow()
        self.audits += 1
        known = self.entry.runtime_data.coordinator.known
        known.async_remember_settings(self.entry.entry_id, self.stored())
        await self._published()

    async def _published(self) -> None:
        """Show what is known now: the repair, then the sensors."""
        if not self.has_local_switch and not self._identified:
            self._identified = True
            self.no_switch_maker = await self._maker_without_switch()
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

    # -- kept across restarts ----------------------------------------------------------------

    def stored(self) -> dict[str, Any]:
        """Return what a start of Home Assistant takes instead of reading the camera again."""
        return {
            "at": self.audited_at.isoformat() if self.audited_at else None,
            "reads": reads_to_data(self.reads),
            "known": reads_to_data(self._known.values()),
            "clock_offset": self.clock_offset,
            "ntp_server": self.entry.options.get(CONF_NTP_SERVER),
        }

    def restore(self, data: dict[str, Any]) -> timedelta | None:
        """Take a stored audit that is less than a day old; the time until the next is due.

        None, and nothing taken, for one that is older, from the future, made under another
        time-server option, or that does not fit this version. The maker's name is looked up
        in the catalogue again (:meth:`async_restored`), not taken from the file.
        """
        at = dt_util.parse_datetime(str(data.get("at")))
        reads, known = reads_from_data(data.get("reads")), reads_from_data(data.get("known"))
        offset = data.get("clock_offset")
        if (
            at is None
            or at.tzinfo is None
            or reads is None
            or known is None
            or not (offset is None or type(offset) in (int, float))
            or data.get("ntp_server") != self.entry.options.get(CONF_NTP_SERVER)
        ):
            return None
        age = dt_util.utcnow() - at
        if not timedelta(0) <= age < AUDIT_INTERVAL:
            return None
        self.reads, self._known = reads, {read.setting: read for read in known}
        self.clock_offset = float(offset) if offset is not None else None
        self.findings = findings(self._known.values())
        self.audited_at = at
        return AUDIT_INTERVAL - age

    async def async_restored(self) -> None:
        """Show a restored audit as one just made (no request to the camera)."""
        async with self._lock:
            await self._published()

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

    @callback
    def daily(_now: datetime | None = None) -> None:
        audit.async_schedule()
        entry.async_on_unload(
            async_track_time_interval(
                hass,
                audit.async_schedule,
                AUDIT_INTERVAL,
                name=f"homebound {entry.title} audit",
                cancel_on_shutdown=True,  # Home Assistant does not unload entries when it stops
            )
        )

    # Only while Home Assistant starts (as the probe): a reload means "look again".
    stored = data.coordinator.known.settings(entry.entry_id) if data.coordinator.resumed else None
    if stored is None or (due := audit.restore(stored)) is None:
        daily()
        return audit
    job = HassJob(daily, f"homebound {entry.title} audit due", cancel_on_shutdown=True)
    entry.async_on_unload(async_call_later(hass, due, job))
    entry.async_create_background_task(
        hass, audit.async_restored(), f"homebound {entry.title} settings restored"
    )
    return audit
