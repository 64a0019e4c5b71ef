"""Where a camera's events come from, shown: the "Event source" sensor and its repair issue.

The sensor (diagnostic, one per camera) names the source in use — the vendor's stream, ONVIF
push, ONVIF PullPoint — or says that one is starting or that none works; its attributes say
whether the source delivers (``status``), since when, when the last event came
(``last_event``) and why each source that was tried did not work (``tried``).

The repair issue comes when a camera that answers has had no working event source for ten
minutes (the state machine's :data:`~..events.state.NO_SOURCE_AFTER`), naming what was tried
and why; it goes as soon as a source delivers again, and with the entry. A camera that does
not answer at all shows as unavailable instead: that is another problem, with its own signs.
The reasons partly quote the camera (an HTTP content type): they are escaped as plain text.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN
from ..events import SourceKind
from ..events.state import NO_SOURCE_AFTER, EventSourceView
from ..events.status import SourceState
from .coordinator import CameraConfigEntry
from .entity import device_info
from .maker_repairs import markdown_text

ISSUE_PREFIX: Final = "no_event_source_"
MAX_REASON: Final = 200
"""Characters of one source's reason shown in the repair (the rest is in diagnostics)."""


def issue_id(entry_id: str) -> str:
    """Return the repair issue of one camera entry."""
    return f"{ISSUE_PREFIX}{entry_id}"


def source_state(view: EventSourceView) -> str:
    """Return the sensor's state: the source in use, else ``starting``, ``none`` or ``stopped``."""
    return view.kind.value if view.kind is not None else view.state.value


def tried(view: EventSourceView) -> str:
    """Return what was tried and why it did not work, as Markdown list lines (plain text)."""
    lines = [
        f"- {kind}: {markdown_text(' '.join(reason.split())[:MAX_REASON])}"
        for kind, reason in sorted(view.failures.items())
    ]
    return "\n".join(lines) or "-"


@callback
def async_watch_event_source(hass: HomeAssistant, entry: CameraConfigEntry) -> None:
    """Keep the entry's "no working event source" issue in step while the entry is loaded."""
    data = entry.runtime_data
    hub, coordinator = data.hub, data.coordinator

    @callback
    def update(_: object = None) -> None:
        view = hub.detections.source
        if view.no_source and coordinator.last_update_success and hub.planned:
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id(entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="no_event_source",
                translation_placeholders={
                    "name": markdown_text(entry.title),
                    "minutes": str(round(NO_SOURCE_AFTER / 60)),
                    "tried": tried(view),
                },
            )
        else:
            ir.async_delete_issue(hass, DOMAIN, issue_id(entry.entry_id))

    entry.async_on_unload(hub.detections.listen_source(update))
    entry.async_on_unload(coordinator.async_add_listener(update))
    entry.async_on_unload(lambda: ir.async_delete_issue(hass, DOMAIN, issue_id(entry.entry_id)))


OPTIONS: Final = [
    *(kind.value for kind in SourceKind),
    SourceState.STARTING.value,
    SourceState.NONE.value,
    SourceState.STOPPED.value,
]


class EventSourceSensor(SensorEntity):
    """The camera's event source in use, and its state.

    Available while the camera is not refused (another camera at its address): when the
    camera does not answer, what was tried and why is what the user needs to see.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "event_source"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = OPTIONS
    # The reasons change with every attempt, the last event with every event: history keeps
    # the source and since when.
    _unrecorded_attributes = frozenset({"tried", "last_event"})

    def __init__(self, entry: CameraConfigEntry) -> None:
        """Attach to the camera's device."""
        self._entry = entry
        device = entry.unique_id or entry.runtime_data.info.identity.unique_id
        self._attr_unique_id = f"{device}_event_source"
        self._attr_device_info = device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the source, and the camera's identity (unavailable while refused)."""
        await super().async_added_to_hass()
        data = self._entry.runtime_data
        self.async_on_remove(data.hub.detections.listen_source(self._changed))
        self.async_on_remove(data.hub.async_listen_events(self._changed))  # last_event
        self.async_on_remove(data.coordinator.async_listen_identity(self._changed))

    @callback
    def _changed(self, _: object = None) -> None:
        self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Unavailable only while another camera answers at the address."""
        return not self._entry.runtime_data.coordinator.refused

    @property
    def native_value(self) -> str:
        """The source in use, or what stands in its place."""
        return source_state(self._entry.runtime_data.hub.detections.source)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Whether it delivers, since when, the last event, what was tried."""
        view = self._entry.runtime_data.hub.detections.source
        return {
            "status": view.state.value,
            "since": view.since.isoformat(),
            "last_event": view.last_event.isoformat() if view.last_event else None,
            "tried": dict(view.failures),
        }
