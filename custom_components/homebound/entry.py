"""The typed dispatch on a Homebound config entry: a camera, the firewall, or the overview.

Each part keeps its own entry type and test (:func:`~.cameras.coordinator.is_camera_entry`,
:func:`~.isolation.coordinator.is_isolation_entry`, :func:`~.overview.is_overview`); the entry
points Home Assistant calls (setup, unload, the platforms, diagnostics) receive any kind and
narrow it with these, once, without casts.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry

from .cameras.coordinator import CameraData, is_camera_entry as is_camera
from .isolation.coordinator import FirewallCoordinator, is_isolation_entry as is_isolation
from .overview import Overview, is_overview

type HomeboundConfigEntry = ConfigEntry[CameraData | FirewallCoordinator | Overview]
"""Any entry of Homebound's, as Home Assistant hands it to the entry points."""

__all__ = ["HomeboundConfigEntry", "is_camera", "is_isolation", "is_overview"]
