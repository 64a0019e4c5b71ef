"""Camera entities: one per H.264/H.265 media profile of the camera."""

from __future__ import annotations

import asyncio
import shlex

from homeassistant.components import ffmpeg
from homeassistant.components.camera import Camera
from homeassistant.components.stream import CONF_RTSP_TRANSPORT as STREAM_RTSP_TRANSPORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import CameraEntityFeature
from .const import CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT, LOGGER
from .coordinator import HomeboundConfigEntry
from .device import CameraError, MediaProfile, redact_url
from .entity import HomeboundEntity

# Entities only read what the coordinator and the camera already have; the camera's own
# connection limits calls, so Home Assistant need not serialise them.
PARALLEL_UPDATES = 0

CODEC_LABELS = {"H264": "H.264", "H265": "H.265"}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one camera entity per media profile; only the main stream is enabled by default."""
    info = entry.runtime_data.info
    main = info.main_profile
    async_add_entities(
        HomeboundCamera(entry, profile, is_main=profile is main) for profile in info.profiles
    )


class HomeboundCamera(HomeboundEntity, Camera):
    """A camera entity for one media profile."""

    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(
        self, entry: HomeboundConfigEntry, profile: MediaProfile, *, is_main: bool
    ) -> None:
        """Describe the profile; the main stream takes the device's name."""
        HomeboundEntity.__init__(self, entry)
        Camera.__init__(self)
        self._client = entry.runtime_data.client
        self._profile = profile
        self._attr_unique_id = f"{self._device_id}_{profile.token}"
        if is_main:
            self._attr_name = None
        else:
            self._attr_translation_key = "stream"
            self._attr_translation_placeholders = {"profile": profile.name}
            self._attr_entity_registry_enabled_default = False
        self._attr_brand = entry.runtime_data.info.identity.manufacturer
        self._attr_model = entry.runtime_data.info.identity.model
        self._attr_extra_state_attributes = {
            "codec": CODEC_LABELS.get(profile.codec, profile.codec),
            "resolution": f"{profile.width}x{profile.height}",
        }
        self.stream_options[STREAM_RTSP_TRANSPORT] = entry.options.get(
            CONF_RTSP_TRANSPORT, DEFAULT_RTSP_TRANSPORT
        )
        self._image_lock = asyncio.Lock()

    async def stream_source(self) -> str | None:
        """Return the profile's RTSP address with the credentials inserted."""
        try:
            uri = await self._client.async_get_stream_uri(self._profile)
        except CameraError as err:
            LOGGER.debug("No stream address for %s: %s", self.entity_id, err)
            return None
        return self._client.stream_url(uri)

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Return a JPEG: the camera's snapshot, else a frame grabbed from its stream."""
        async with self._image_lock:
            try:
                return await self._client.async_get_snapshot(self._profile)
            except CameraError as err:
                LOGGER.debug(
                    "Snapshot of %s failed (%s); grabbing a frame from the stream",
                    self.entity_id,
                    err,
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
