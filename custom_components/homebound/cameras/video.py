"""Camera entities: one per H.264/H.265 media profile of the camera (the camera platform)."""

from __future__ import annotations

import re
import shlex

from homeassistant.components import ffmpeg
from homeassistant.components.camera import Camera
from homeassistant.components.stream import CONF_RTSP_TRANSPORT as STREAM_RTSP_TRANSPORT
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.start import async_at_started

from ..compat import CameraEntityFeature
from ..const import CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT, LOGGER
from ..device import CameraError, MediaProfile, redact_url
from .coordinator import CameraConfigEntry
from .entity import HomeboundEntity

_SUB_HINT = re.compile(r"sub|second|minor|(^|\D)[0-9]?0?2$")
_THIRD_HINT = re.compile(r"third|(^|\D)[0-9]?0?3$")


def stream_rank(profiles: tuple[MediaProfile, ...], profile: MediaProfile) -> tuple[str, int]:
    """Return which stream a profile is ("main", "sub", "third" or "other") and its rank.

    Firmwares name profiles ``Profile_1``, ``MainStream``, ``SubStream``, ``mainStream``,
    ``102`` or ``Sub``: the names are hints at best. The largest stream is the camera itself;
    the next one down is the sub stream, a third the third stream, unless the profile's name
    says otherwise; the rest are numbered by size.
    """
    ranked = sorted(profiles, key=lambda p: p.pixels, reverse=True)
    rank = ranked.index(profile) + 1
    name = profile.name.strip().lower()
    if rank == 1:
        return "main", rank
    if _SUB_HINT.search(name) or (rank == 2 and not _THIRD_HINT.search(name)):
        return "sub", rank
    if _THIRD_HINT.search(name) or rank == 3:
        return "third", rank
    return "other", rank


async def async_setup_video(
    hass: HomeAssistant,
    entry: CameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one camera entity per media profile; only the main stream is enabled by default.

    Entities of profiles the camera no longer has (after a firmware update or reset) are
    removed, so nothing stays behind that can never become available again.
    """
    info = entry.runtime_data.info
    cameras = [HomeboundCamera(entry, profile) for profile in info.profiles]
    wanted = {camera.unique_id for camera in cameras}
    registry = er.async_get(hass)
    for stale in er.async_entries_for_config_entry(registry, entry.entry_id):
        if stale.domain == Platform.CAMERA and stale.unique_id not in wanted:
            registry.async_remove(stale.entity_id)
    async_add_entities(cameras)


class HomeboundCamera(HomeboundEntity, Camera):
    """A camera entity for one media profile."""

    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(self, entry: CameraConfigEntry, profile: MediaProfile) -> None:
        """Describe the profile; the main stream takes the device's name."""
        HomeboundEntity.__init__(self, entry)
        Camera.__init__(self)
        info = entry.runtime_data.info
        self._client = entry.runtime_data.client
        self._profile = profile
        self._attr_unique_id = f"{self._device_id}_{profile.token}"
        kind, rank = stream_rank(info.profiles, profile)
        if kind == "main":
            self._attr_name = None
        else:
            self._attr_entity_registry_enabled_default = False
            if kind == "sub":
                self._attr_translation_key = "sub_stream"
            elif kind == "third":
                self._attr_translation_key = "third_stream"
            else:
                self._attr_translation_key = "stream"
                self._attr_translation_placeholders = {"number": str(rank)}
        self._attr_brand = info.identity.manufacturer
        self._attr_model = info.identity.model
        self.stream_options[STREAM_RTSP_TRANSPORT] = entry.options.get(
            CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT
        )

    async def async_added_to_hass(self) -> None:
        """Once Home Assistant runs, learn the snapshot address, so the first image is quick."""
        await super().async_added_to_hass()
        self.async_on_remove(async_at_started(self.hass, self._learn_snapshot_uri))
        self.async_on_remove(self.coordinator.async_listen_identity(self._identity_checked))

    @callback
    def _identity_checked(self, right: bool) -> None:
        """Stop a running stream when another camera answers at the address.

        Home Assistant's stream worker reconnects to the address it was given by itself: it
        would show the other camera's picture. A new stream is made when asked, once the
        right camera is back (``stream_source`` gives nothing until then).
        """
        if not right and (stream := self.stream) is not None:
            self.stream = None
            self.hass.async_create_task(stream.stop(), f"homebound stop {self.entity_id} stream")

    async def _learn_snapshot_uri(self, _: HomeAssistant) -> None:
        if not self.available:
            return
        try:
            await self._client.async_get_snapshot_uri(self._profile)
        except CameraError as err:
            LOGGER.debug("No snapshot address for %s yet: %s", self.entity_id, err)

    async def stream_source(self) -> str | None:
        """Return the profile's RTSP address with the credentials inserted.

        Nothing while another camera answers at the address (coordinator.py): its picture is
        not this camera's.
        """
        if self.coordinator.refused:
            return None
        try:
            uri = await self._client.async_get_stream_uri(self._profile)
        except CameraError as err:
            LOGGER.debug("No stream address for %s: %s", self.entity_id, err)
            return None
        return self._client.stream_url(uri)

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Return a JPEG: the camera's snapshot, else a frame grabbed from its stream.

        The snapshot has a budget of its own (a few seconds, see device/snapshot.py) well
        inside Home Assistant's 10 s for an image, so a hanging snapshot URL still leaves time
        for the frame; concurrent requests share one snapshot fetch, and nothing is locked
        while ffmpeg runs. Nothing while another camera answers at the address.
        """
        if self.coordinator.refused:
            return None
        try:
            return await self._client.async_get_snapshot(self._profile)
        except CameraError as err:
            LOGGER.debug(
                "No snapshot from %s (%s); taking a frame from the stream", self.entity_id, err
            )
        source = await self.stream_source()
        if source is None:
            return None
        transport = self.stream_options.get(STREAM_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT)
        # ha-ffmpeg takes a multi-word input as the input options followed by "-i URL".
        image = await ffmpeg.async_get_image(
            self.hass,
            shlex.join(["-rtsp_transport", str(transport), "-i", source]),
            width=width,
            height=height,
        )
        if not image:
            LOGGER.debug("No frame from %s", redact_url(source))
        return image
