"""The config flow's probe of a camera: what it is, or the form error that says why not.

Each step of the probe itself is logged at debug level by ``device/client.py``; this module
logs how the probe ended and which error the form shows for it. Camera text (a fault's reason)
is logged through ``%r`` so that a camera cannot write lines of its own into the log, and
credentials never are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant

from ..const import LOGGER
from ..device import (
    CameraAuthError,
    CameraError,
    CameraInfo,
    NotOnvifError,
    NoVideoProfilesError,
    OnvifClient,
)
from .client import async_client


async def async_probe(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[CameraInfo | None, str]:
    """Run the setup probe; return what the camera is, or the translation key of why not."""
    client, error = await async_probe_client(hass, data)
    if client is None:
        return None, error
    await client.async_close()
    return client.info, ""


def form_error(err: CameraError) -> str:
    """Return the form error (a translation key) for why the probe failed."""
    if isinstance(err, CameraAuthError):
        return "invalid_auth"
    if isinstance(err, NotOnvifError):
        return "not_onvif"
    if isinstance(err, NoVideoProfilesError):
        return "no_video_profiles"
    return "cannot_connect"  # unreachable, or a camera error no other message fits


async def async_probe_client(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[OnvifClient | None, str]:
    """Run the setup probe; return the connected client, or the translation key of why not."""
    where = f"{data[CONF_HOST]}:{data[CONF_PORT]}"
    client = async_client(hass, data)
    try:
        await client.async_connect()
    except CameraError as err:
        error = form_error(err)
        LOGGER.debug(
            "Setup probe of %r failed (%s: %r); the form says %s",
            where,
            type(err).__name__,
            str(err),
            error,
        )
    except Exception:  # noqa: BLE001 - a config flow must show an error, not a traceback
        LOGGER.exception("Unexpected error while probing %r", where)
        error = "unknown"
    else:
        LOGGER.debug("Setup probe of %r passed", where)
        return client, ""
    await client.async_close()
    return None, error
