"""Snapshot images of the virtual camera.

The picture is a JPEG test pattern (colour bars, a moving ball) with the camera name, the profile
and the camera time written on it, rendered at most once per second and profile, so that
consecutive snapshots differ and a burst of requests costs one rendering.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from .profiles import StreamProfile

_BARS: Final = (
    (192, 192, 192),
    (192, 192, 0),
    (0, 192, 192),
    (0, 192, 0),
    (192, 0, 192),
    (192, 0, 0),
    (0, 0, 192),
)


class SnapshotRenderer:
    """Render and cache snapshot JPEGs."""

    def __init__(self, camera_name: str) -> None:
        """Prepare fonts once."""
        self._name = camera_name
        self._fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}
        self._cache: dict[str, tuple[int, bytes]] = {}

    def _font(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        font = self._fonts.get(size)
        if font is None:
            font = ImageFont.load_default(size=size)
            self._fonts[size] = font
        return font

    def jpeg(self, profile: StreamProfile, now: dt.datetime) -> bytes:
        """Return the JPEG for this profile at this second (cached for the second)."""
        second = int(now.timestamp())
        cached = self._cache.get(profile.token)
        if cached is not None and cached[0] == second:
            return cached[1]
        data = self._render(profile, now)
        self._cache[profile.token] = (second, data)
        return data

    def _render(self, profile: StreamProfile, now: dt.datetime) -> bytes:
        width, height = profile.width, profile.height
        image = Image.new("RGB", (width, height), (16, 16, 16))
        draw = ImageDraw.Draw(image)
        bar_width = width / len(_BARS)
        bar_height = int(height * 0.62)
        for index, colour in enumerate(_BARS):
            draw.rectangle(
                (int(index * bar_width), 0, int((index + 1) * bar_width), bar_height), fill=colour
            )
        steps = 12
        for index in range(steps):
            grey = int(255 * index / (steps - 1))
            draw.rectangle(
                (
                    int(index * width / steps),
                    bar_height,
                    int((index + 1) * width / steps),
                    bar_height + height // 12,
                ),
                fill=(grey, grey, grey),
            )
        # A ball that moves with the seconds, so consecutive snapshots differ.
        radius = max(height // 16, 6)
        phase = now.second + now.microsecond / 1_000_000
        x = int(radius + (width - 2 * radius) * ((phase % 10) / 10))
        y = bar_height // 2
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255))
        scale = height / 480
        big = self._font(max(int(28 * scale), 10))
        small = self._font(max(int(20 * scale), 9))
        text_top = bar_height + height // 12 + int(8 * scale)
        draw.text((int(12 * scale), text_top), self._name, font=big, fill=(255, 255, 255))
        draw.text(
            (int(12 * scale), text_top + int(36 * scale)),
            f"{profile.token}  {width}x{height}  {profile.codec}",
            font=small,
            fill=(200, 200, 200),
        )
        draw.text(
            (int(12 * scale), text_top + int(64 * scale)),
            now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            font=small,
            fill=(200, 200, 200),
        )
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=80)
        return output.getvalue()
