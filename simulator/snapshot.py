"""Snapshot images of the virtual camera and the HTTP authentication that guards them.

The picture is a JPEG test pattern (colour bars, a moving ball) with the camera name, the profile
and the camera time written on it, rendered at most once per second and profile. The URL is
protected by HTTP Digest (RFC 7616, MD5, qop=auth) like most cameras, or by HTTP Basic when the
camera has the BASIC_AUTH_SNAPSHOT quirk.
"""

from __future__ import annotations

import base64
from collections import OrderedDict
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from .media import StreamProfile

REALM: Final = "Homebound Virtual Camera"
_MAX_NONCES: Final = 256
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


_AUTH_PARAM: Final = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_auth_params(text: str) -> dict[str, str]:
    """Parse ``key="value", key=token`` pairs of an Authorization header."""
    return {
        match.group(1).lower(): (
            match.group(2).replace('\\"', '"') if match.group(2) is not None else match.group(3)
        )
        for match in _AUTH_PARAM.finditer(text)
    }


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest MD5 is the protocol


class HttpAuthenticator:
    """Server side of HTTP Digest (RFC 7616, MD5, qop=auth) and HTTP Basic."""

    def __init__(self) -> None:
        """Start with no issued nonces."""
        self._nonces: OrderedDict[str, None] = OrderedDict()
        self._opaque = secrets.token_hex(16)

    def digest_challenge(self) -> str:
        """Return a fresh WWW-Authenticate value for Digest."""
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = None
        while len(self._nonces) > _MAX_NONCES:
            self._nonces.popitem(last=False)
        return (
            f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", '
            f'opaque="{self._opaque}", algorithm=MD5'
        )

    @staticmethod
    def basic_challenge() -> str:
        """Return the WWW-Authenticate value for Basic."""
        return f'Basic realm="{REALM}"'

    def check_digest(
        self, header: str, method: str, uri: str, username: str, password: str
    ) -> bool:
        """Check a Digest Authorization header."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            return False
        params = parse_auth_params(rest)
        nonce = params.get("nonce", "")
        if nonce not in self._nonces:
            return False
        if params.get("username") != username or params.get("realm") != REALM:
            return False
        if params.get("algorithm", "MD5").upper() != "MD5":
            return False
        if params.get("uri") != uri:
            return False
        ha1 = _md5(f"{username}:{REALM}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        qop = params.get("qop")
        if qop == "auth":
            expected = _md5(
                f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}"
            )
        elif qop is None:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        else:
            return False
        return hmac.compare_digest(expected, params.get("response", ""))

    @staticmethod
    def check_basic(header: str, username: str, password: str) -> bool:
        """Check a Basic Authorization header."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(rest.strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        given_user, _, given_password = decoded.partition(":")
        return hmac.compare_digest(given_user.encode(), username.encode()) and hmac.compare_digest(
            given_password.encode(), password.encode()
        )
