"""The setup probe's steps, as debug lines a user can read and a camera cannot forge.

With debug logging on for ``custom_components.homebound``, every step of
:meth:`.client.OnvifClient.async_connect` says what it found. What a camera reports (maker,
model, firmware, a fault's reason) goes through ``%r``: quoted, with newlines, terminal escape
sequences and invisible characters written out, so it can neither start a line of its own nor
pass itself off as Homebound's text. Credentials, the serial number and the MAC address are
never written; service addresses are named by the service, not by the address the camera gave.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from . import probe

if TYPE_CHECKING:
    from .models import DeviceIdentity, MediaProfile

_LOGGER = logging.getLogger(__name__)

STEPS: Final = 3
"""The probe's rounds: the clock; identity and services; network identity and profiles."""

_SERVICE_NAMES: Final = {
    probe.NS_DEVICE: "device",
    probe.NS_MEDIA: "media",
    probe.NS_MEDIA2: "media2",
    probe.NS_EVENTS: "events",
    probe.NS_PTZ: "ptz",
    probe.NS_IMAGING: "imaging",
    probe.NS_ANALYTICS: "analytics",
}


def started(where: str) -> None:
    """Log that the probe begins (that credentials are used, never which)."""
    _LOGGER.debug("Setup probe of %r: starting, signing requests with the credentials given", where)


def clock(where: str, skew: float | None, signed_with_camera_time: bool) -> None:
    """Log step 1: the camera's clock was read (``skew`` None: it could not be)."""
    if skew is None:
        _LOGGER.debug(
            "Setup probe of %r, step 1 of %d: the camera's clock could not be read;"
            " requests carry our time",
            where,
            STEPS,
        )
        return
    _LOGGER.debug(
        "Setup probe of %r, step 1 of %d: the camera's clock is %+.1f s from ours;"
        " requests carry %s time",
        where,
        STEPS,
        skew,
        "the camera's" if signed_with_camera_time else "our",
    )


def identity_and_services(where: str, information: Any, services: dict[str, str]) -> None:
    """Log step 2: GetDeviceInformation and the service list answered."""
    names = sorted(_SERVICE_NAMES.get(namespace, "other") for namespace in services)
    _LOGGER.debug(
        "Setup probe of %r, step 2 of %d: the camera says it is maker %r, model %r,"
        " firmware %r; it serves: %s",
        where,
        STEPS,
        probe.text(getattr(information, "Manufacturer", None)),
        probe.text(getattr(information, "Model", None)),
        probe.text(getattr(information, "FirmwareVersion", None)),
        ", ".join(names) or "nothing known",
    )


def network_and_profiles(
    where: str,
    identity: DeviceIdentity,
    addresses: tuple[str, ...],
    profiles: tuple[MediaProfile, ...],
) -> None:
    """Log step 3: the network identity and the streams."""
    _LOGGER.debug(
        "Setup probe of %r, step 3 of %d: keyed by its %s; %d interface address(es);"
        " %d video profile(s): %s",
        where,
        STEPS,
        "MAC address" if identity.mac else "serial number",
        len(addresses),
        len(profiles),
        ", ".join(f"{p.codec} {p.width}x{p.height}" for p in profiles),
    )


def failed(where: str, step: int, err: BaseException) -> None:
    """Log that the probe stopped at ``step`` with ``err`` (the camera's words quoted)."""
    _LOGGER.debug(
        "Setup probe of %r, step %d of %d: failed with %s: %r",
        where,
        step,
        STEPS,
        type(err).__name__,
        str(err),
    )
