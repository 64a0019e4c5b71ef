"""The one interface between Homebound's two halves: the cameras and their isolation.

Why the halves meet at all: since Home Assistant 2026.8 a device belongs to exactly one config
entry, and a camera's device is its camera entry's. The isolation half (the firewall entry)
must know which cameras exist to build its policy, and must put its per-camera entities (Cloud
blocking, blocked attempts, …) on each camera's device. Both go through this module; nothing
in ``cameras/`` imports ``isolation/`` or the reverse.

* **What the isolation half may read of a camera**: :class:`CameraFacts`, from
  :func:`camera_facts`. The camera half provides them (:func:`provide_cameras`), built from the
  camera entries' data and, for a loaded camera, from what the camera reported. A camera's own
  report is a hint for the firewall, never a fact (the camera is untrusted).
* **What the isolation half may add to a camera's device**: the entities a :class:`DeviceExtras`
  returns for one platform and one :class:`CameraHandle`. The isolation half registers its
  extras while it is loaded (:func:`provide_extras`); each camera platform calls
  :func:`async_add_device_extras`, which adds them now and whenever extras load later. When the
  extras go, :data:`SIGNAL_EXTRAS_UNLOADED` tells their entities to remove themselves.
* **What the camera half tells the isolation half**: that cameras changed
  (:func:`cameras_changed`: an entry was set up, unloaded or removed).
* **What the camera half may read of the firewall**: the local time server isolated cameras'
  NTP is redirected to (:func:`ntp_server`), the default server to point cameras' clocks at.
* **What the overview may read** (the "Homebound" service device's household summary): the
  same :class:`CameraFacts`, whose :attr:`~CameraFacts.maker` carries who made each camera and
  what its firmware is exposed to (:class:`CameraMaker`), and a signal whenever cameras or
  those conclusions change (:func:`async_listen_cameras`; sent by :func:`cameras_changed` and
  :func:`makers_changed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect, async_dispatcher_send
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util.hass_dict import HassKey

from .catalog import FirmwareReport, MakerStatus
from .const import CONF_NTP_REDIRECT, DOMAIN
from .kind import is_firewall_entry

SIGNAL_EXTRAS_LOADED: Final = f"{DOMAIN}_device_extras_loaded"
SIGNAL_EXTRAS_UNLOADED: Final = f"{DOMAIN}_device_extras_unloaded"
SIGNAL_CAMERAS_CHANGED: Final = f"{DOMAIN}_cameras_changed"


@dataclass(frozen=True, slots=True)
class CameraMaker:
    """What the camera half concluded about who made a camera, and its firmware.

    ``status.identification`` is the conclusion with its evidence (the real maker, the brand on
    the box, how sure); ``status`` what governments did about that maker; ``firmware`` the
    known-vulnerable firmware check. Plain catalogue records: nothing here is Home Assistant's.
    """

    status: MakerStatus
    firmware: FirmwareReport


@dataclass(frozen=True, slots=True)
class CameraFacts:
    """What the isolation half may know of one camera entry (loaded or not)."""

    entry_id: str
    name: str
    host: str
    """The address the entry reaches the camera at (a name or an IP literal; DHCP keeps it)."""
    mac: str | None
    """The MAC the entry knows its camera by (``aa:bb:cc:dd:ee:ff``), or None. Often what the
    camera reported over ONVIF when it was added: a claim the firewall checks against the
    network, never a match key by itself."""
    reported: tuple[str, ...] = ()
    """Addresses the camera reported about itself while loaded (a hint, never a match key)."""
    observed_mac: str | None = None
    """The MAC Home Assistant's DHCP discovery saw lease :attr:`host` (the entry's
    ``observed_mac``): the network's word, not the camera's. The isolation half records it as
    an observation of that MAC at that address (a lease, weaker than a neighbour table)."""
    loaded: bool = False
    maker: CameraMaker | None = None
    """Who made it and its firmware check: from this run's set-up, or remembered from the last
    (a camera offline now is still what it was); None until the camera was first checked."""


@dataclass(frozen=True, slots=True)
class CameraHandle:
    """A loaded camera, as the isolation half's entities attach to its device."""

    facts: CameraFacts
    unique_id: str
    """The camera's device key: its entities' unique ids start with it."""
    device_info: DeviceInfo


class DeviceExtras(Protocol):
    """Entities another half adds to each camera's device."""

    def entities(self, platform: Platform, camera: CameraHandle) -> list[Entity]:
        """Return the entities of ``platform`` for ``camera`` (none is fine)."""
        ...


@dataclass(slots=True)
class _Link:
    cameras: Callable[[], list[CameraFacts]] | None = None
    extras: DeviceExtras | None = None
    cameras_changed: Callable[[], None] | None = None


_DATA: HassKey[_Link] = HassKey(f"{DOMAIN}_link")


def _link(hass: HomeAssistant) -> _Link:
    if (link := hass.data.get(_DATA)) is None:
        link = hass.data[_DATA] = _Link()
    return link


# -- the camera half -------------------------------------------------------------------------


@callback
def provide_cameras(hass: HomeAssistant, cameras: Callable[[], list[CameraFacts]]) -> None:
    """Say how the facts of every camera entry are read (once, at integration setup)."""
    _link(hass).cameras = cameras


@callback
def cameras_changed(hass: HomeAssistant) -> None:
    """Tell the isolation half (and the overview) that a camera entry was set up or removed."""
    if (notify := _link(hass).cameras_changed) is not None:
        notify()
    async_dispatcher_send(hass, SIGNAL_CAMERAS_CHANGED)


@callback
def makers_changed(hass: HomeAssistant) -> None:
    """Tell the overview that a camera's maker or firmware conclusion changed.

    Not the isolation half: who made a camera changes nothing in its firewall policy.
    """
    async_dispatcher_send(hass, SIGNAL_CAMERAS_CHANGED)


@callback
def async_add_device_extras(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    platform: Platform,
    camera: Callable[[], CameraHandle],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the extras' entities of ``platform`` to a camera's device, now and when they load."""

    @callback
    def add(extras: DeviceExtras) -> None:
        if entities := extras.entities(platform, camera()):
            async_add_entities(entities)

    if (extras := _link(hass).extras) is not None:
        add(extras)
    entry.async_on_unload(async_dispatcher_connect(hass, SIGNAL_EXTRAS_LOADED, add))


def ntp_server(hass: HomeAssistant) -> str | None:
    """Return the time server a loaded firewall redirects cameras' NTP to (None: none).

    The firewall entry's own setting, read here so that the camera half never reads the
    firewall entry: a camera pointed straight at it asks the server the firewall would send
    it to anyway (usually the Home Assistant host).
    """
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        if is_firewall_entry(entry) and (server := entry.data.get(CONF_NTP_REDIRECT)):
            return str(server)
    return None


# -- the isolation half and the overview -----------------------------------------------------


@callback
def async_listen_cameras(hass: HomeAssistant, listener: Callable[[], None]) -> CALLBACK_TYPE:
    """Call ``listener`` whenever cameras or what is known of their makers change."""
    return async_dispatcher_connect(hass, SIGNAL_CAMERAS_CHANGED, listener)


def camera_facts(hass: HomeAssistant) -> list[CameraFacts]:
    """Return the facts of every camera entry (none before the camera half provided them)."""
    cameras = _link(hass).cameras
    return cameras() if cameras is not None else []


@callback
def provide_extras(
    hass: HomeAssistant, extras: DeviceExtras, on_cameras_changed: Callable[[], None]
) -> CALLBACK_TYPE:
    """Put ``extras`` on every camera's device until the returned callback takes them away."""
    link = _link(hass)
    link.extras = extras
    link.cameras_changed = on_cameras_changed
    async_dispatcher_send(hass, SIGNAL_EXTRAS_LOADED, extras)

    @callback
    def withdraw() -> None:
        if link.extras is extras:
            link.extras = None
            link.cameras_changed = None
        async_dispatcher_send(hass, SIGNAL_EXTRAS_UNLOADED)

    return withdraw
