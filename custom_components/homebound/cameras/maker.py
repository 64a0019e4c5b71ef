"""Who made each camera, what governments did about its maker, whether its firmware is exploited.

Worked out while the camera is set up, from what set-up asks anyway:

* **What it costs the camera: one request, once per firmware.** The fingerprint recorder
  (cameras/client.py) reads the headers of the answers the ONVIF probe and the vendor-API
  detection get anyway; set-up adds one unauthenticated ``GET /`` of the web root
  (device/fingerprint.py says why), and only when the camera was never fingerprinted on the
  firmware it runs. The fingerprint is kept in the known-cameras store, so a restart asks
  nothing; a firmware update looks again.
* **What it concludes** (catalog/): the real maker, the brand on the box and how sure, from the
  ONVIF name, the firmware fingerprint and the MAC *the network* saw (DHCP:
  ``CONF_OBSERVED_MAC``; never the camera's own report, which it can forge). The conclusion is
  drawn afresh from the stored fingerprint at every set-up, so an updated catalogue applies
  without asking the camera; the firmware is checked again whenever the camera reports another.
* **Who reads it**: the device page (the maker, only when sure), the Maker status sensor
  (maker_sensor.py), the vulnerable-firmware repairs (maker_repairs.py) and, through
  :mod:`..link`, the overview's household summary. The conclusions of cameras not loaded now
  are rebuilt from the store, so a camera offline at start still counts as what it was.

The catalogue is read once per Home Assistant run, in an executor (reading and validating its
files blocks).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from .. import link
from ..catalog import (
    Catalog,
    Confidence,
    Fingerprint,
    Identification,
    check_firmware,
    identify,
    load_catalog,
    maker_status,
)
from ..const import CONF_OBSERVED_MAC, DOMAIN, LOGGER
from ..device import CameraInfo, format_mac
from ..device.fingerprint import FingerprintRecorder, fetch_root_page
from ..events import SourceKind
from ..events.capabilities import VENDOR_API
from ..kind import camera_entries
from .coordinator import HomeboundCoordinator
from .known import KnownCameras

SURE: Final = frozenset({Confidence.FIRMWARE, Confidence.DOCUMENTED})
"""How sure identification must be before the device page names the maker instead of the
camera's own manufacturer string (a MAC prefix alone is not enough for that)."""

_CATALOG: HassKey[Catalog] = HassKey(f"{DOMAIN}_catalog")
_CATALOG_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_catalog_lock")
_RESULTS: HassKey[dict[str, link.CameraMaker]] = HassKey(f"{DOMAIN}_makers")


async def async_catalog(hass: HomeAssistant) -> Catalog:
    """Return the maker catalogue, read in an executor by the first caller."""
    if (catalog := hass.data.get(_CATALOG)) is not None:
        return catalog
    async with hass.data.setdefault(_CATALOG_LOCK, asyncio.Lock()):
        if (catalog := hass.data.get(_CATALOG)) is None:
            catalog = hass.data[_CATALOG] = await hass.async_add_executor_job(load_catalog)
    return catalog


def maker_of(hass: HomeAssistant, entry_id: str) -> link.CameraMaker | None:
    """Return what is known of a camera entry's maker and firmware (None: never checked)."""
    return hass.data.get(_RESULTS, {}).get(entry_id)


def observed_mac(entry: ConfigEntry[Any]) -> str | None:
    """Return the MAC the network saw lease the camera's address (DHCP), or None."""
    raw = entry.data.get(CONF_OBSERVED_MAC)
    return format_mac(str(raw)) if raw else None


@dataclass(frozen=True, slots=True)
class Remembered:
    """The known-cameras store's record of one camera's fingerprint (``record["maker"]``)."""

    firmware: str
    """The firmware the camera ran when it was fingerprinted."""
    fingerprint: Fingerprint
    isolated: dict[str, str]
    """CVE -> the firmware it was for: the user isolated the camera from its repair."""

    @classmethod
    def from_store(cls, data: dict[str, Any] | None) -> Remembered | None:
        """Read a stored record; None when there is none or it does not fit."""
        if data is None or not isinstance(firmware := data.get("firmware"), str):
            return None
        isolated = data.get("isolated")
        return cls(
            firmware=firmware,
            fingerprint=Fingerprint.from_store(data.get("fingerprint")),
            isolated={
                str(cve): str(fw)
                for cve, fw in (isolated.items() if isinstance(isolated, dict) else ())
                if isinstance(fw, str)
            },
        )

    def as_store(self, result: link.CameraMaker) -> dict[str, Any]:
        """Return the record to keep (the conclusion is kept for people reading the store)."""
        ident = result.status.identification
        return {
            "firmware": self.firmware,
            "fingerprint": self.fingerprint.as_store(),
            "isolated": dict(self.isolated),
            "concluded": {
                "maker": ident.maker.key if ident.maker else None,
                "confidence": ident.confidence.value,
                "label": ident.manufacturer_label(),
                "firmware_checked": result.firmware.firmware,
            },
        }


def evaluate(
    catalog: Catalog, info: CameraInfo, mac: str | None, fingerprint: Fingerprint
) -> link.CameraMaker:
    """Identify the maker, check the firmware, and look up what governments did about it."""
    identity = info.identity
    ident = identify(catalog, manufacturer=identity.manufacturer, mac=mac, fingerprint=fingerprint)
    maker = ident.maker.key if ident.maker else None
    report = check_firmware(catalog, maker, identity.model, identity.firmware, oem=ident.oem)
    return link.CameraMaker(status=maker_status(catalog, ident), firmware=report)


def _restore_all(hass: HomeAssistant, catalog: Catalog, known: KnownCameras) -> None:
    """Rebuild every camera entry's conclusion from the store (for cameras not loaded now)."""
    results = hass.data.setdefault(_RESULTS, {})
    for entry in camera_entries(hass):
        info = known.info(entry.entry_id)
        remembered = Remembered.from_store(known.maker(entry.entry_id))
        if info is not None and remembered is not None and entry.entry_id not in results:
            results[entry.entry_id] = evaluate(
                catalog, info, observed_mac(entry), remembered.fingerprint
            )


async def async_maker_check(
    hass: HomeAssistant, entry: ConfigEntry[Any], known: KnownCameras, recorder: FingerprintRecorder
) -> MakerCheck:
    """Prepare a camera's identification (the first one reads the catalogue)."""
    first = _RESULTS not in hass.data
    catalog = await async_catalog(hass)
    if first:
        _restore_all(hass, catalog, known)
        link.makers_changed(hass)
    return MakerCheck(hass, entry, catalog, known, recorder)


class MakerCheck:
    """One camera's maker and firmware: found at set-up, checked again on a new firmware."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        catalog: Catalog,
        known: KnownCameras,
        recorder: FingerprintRecorder,
    ) -> None:
        """Nothing is asked of the camera before :meth:`async_look`."""
        self.hass = hass
        self.catalog = catalog
        self._entry = entry
        self._known = known
        self._recorder = recorder
        self._remembered = Remembered.from_store(known.maker(entry.entry_id))
        self.fresh = False
        """Whether this set-up fingerprinted the camera (else the stored fingerprint holds)."""
        self.result: link.CameraMaker | None = maker_of(hass, entry.entry_id)
        self._listeners: list[Callable[[], None]] = []

    @property
    def observers(self) -> tuple[aiohttp.ClientMiddlewareType, ...]:
        """Middlewares for the vendor-API detection's requests while fingerprinting."""
        return (self._recorder.middleware,) if self.fresh else ()

    @property
    def identification(self) -> Identification | None:
        """The current conclusion about the maker."""
        return self.result.status.identification if self.result else None

    @property
    def fingerprint(self) -> Fingerprint:
        """The fingerprint the conclusion rests on."""
        return self._remembered.fingerprint if self._remembered else Fingerprint()

    @property
    def isolated(self) -> dict[str, str]:
        """CVE -> firmware: the user isolated the camera from that CVE's repair."""
        return dict(self._remembered.isolated) if self._remembered else {}

    def describe(self) -> dict[str, Any]:
        """For diagnostics: the conclusion and the evidence behind it (the caller redacts)."""
        result = self.result
        return {
            "fingerprinted_at_this_setup": self.fresh,
            "fingerprinted_on_firmware": self._remembered.firmware if self._remembered else None,
            "network_mac_known": observed_mac(self._entry) is not None,
            "fingerprint": self.fingerprint.as_dict(),
            "identification": result.status.identification.as_dict() if result else None,
            "firmware": result.firmware.as_dict() if result else None,
            "status": result.status.attributes() if result else None,
            "isolated_from_repair": self.isolated,
        }

    def _base_url(self) -> str:
        host = str(self._entry.data[CONF_HOST])
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self._entry.data[CONF_PORT]}"

    async def async_look(self, info: CameraInfo) -> set[str]:
        """Fetch the web root unless this firmware was fingerprinted; return makers to ask.

        The makers returned are those the firmware already gave away (``detect_vendor``'s
        ``also``), so that a relabelled camera is asked its real maker's API.
        """
        remembered = self._remembered
        if remembered is not None and remembered.firmware == info.identity.firmware:
            return set()
        self.fresh = True
        session = async_get_clientsession(self.hass, verify_ssl=False)
        await fetch_root_page(session, self._base_url(), self._recorder)
        first = identify(
            self.catalog,
            manufacturer=info.identity.manufacturer,
            mac=observed_mac(self._entry),
            fingerprint=self._recorder.fingerprint(),
        )
        if first.confidence is Confidence.FIRMWARE and first.maker is not None:
            return {first.maker.key}
        return set()

    @callback
    def conclude(self, info: CameraInfo, vendor: SourceKind | None) -> link.CameraMaker:
        """Draw the conclusion once set-up has asked what it asks; remember the fingerprint."""
        if self.fresh or self._remembered is None:
            self._recorder.observe_vendor_api(VENDOR_API.get(vendor) if vendor else None)
            isolated = self._remembered.isolated if self._remembered else {}
            self._remembered = Remembered(
                info.identity.firmware, self._recorder.fingerprint(), isolated
            )
        return self._publish(info)

    @callback
    def async_start(self, coordinator: HomeboundCoordinator) -> None:
        """Check the firmware again whenever the camera reports another one."""

        @callback
        def on_update() -> None:
            info = coordinator.data
            if self.result is not None and info.identity.firmware != self.result.firmware.firmware:
                LOGGER.debug("%s reports another firmware: checking it again", self._entry.title)
                self._publish(info)

        self._entry.async_on_unload(coordinator.async_add_listener(on_update))

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the conclusion changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def async_isolated(self, cve: str) -> None:
        """Remember that the user isolated the camera from ``cve``'s repair (on this firmware)."""
        if self._remembered is None or self.result is None:
            return
        isolated = {**self._remembered.isolated, cve: self.result.firmware.firmware}
        self._remembered = Remembered(
            self._remembered.firmware, self._remembered.fingerprint, isolated
        )
        record = self._remembered.as_store(self.result)
        self._known.async_remember_maker(self._entry.entry_id, record)

    def _publish(self, info: CameraInfo) -> link.CameraMaker:
        assert self._remembered is not None
        before = self.result
        result = evaluate(self.catalog, info, observed_mac(self._entry), self.fingerprint)
        self.result = result
        self.hass.data.setdefault(_RESULTS, {})[self._entry.entry_id] = result
        self._known.async_remember_maker(self._entry.entry_id, self._remembered.as_store(result))
        if before is not None and _label(before) != _label(result):
            LOGGER.info(
                "%s: maker now %s (was %s)", self._entry.title, _label(result), _label(before)
            )
        for listener in list(self._listeners):
            listener()
        link.makers_changed(self.hass)
        return result


def _label(result: link.CameraMaker) -> str:
    ident = result.status.identification
    return f"{ident.manufacturer_label()} ({ident.confidence.value})"


@callback
def async_forget_maker(hass: HomeAssistant, entry_id: str) -> None:
    """Drop a removed camera's conclusion."""
    if hass.data.get(_RESULTS, {}).pop(entry_id, None) is not None:
        link.makers_changed(hass)


def manufacturer_label(check: MakerCheck | None) -> str | None:
    """Return what the device page says made the camera when identification is sure; else None.

    ``Hikvision (sold as LTS)``, ``Hikvision (reports itself as Dahua)``: plain text, as device
    fields are (not translatable). None leaves the camera's own manufacturer string.
    """
    ident = check.identification if check is not None else None
    if ident is None or ident.confidence not in SURE:
        return None
    return ident.manufacturer_label()
