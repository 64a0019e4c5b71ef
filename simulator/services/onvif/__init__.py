"""The ONVIF services: device management, Media ver10, Media2 and events, over one SOAP endpoint."""

from __future__ import annotations

from .device import DeviceService
from .endpoint import OnvifService, Operation
from .events import EventsService
from .media import MediaService
from .media2 import Media2Service

__all__ = [
    "DeviceService",
    "EventsService",
    "Media2Service",
    "MediaService",
    "OnvifService",
    "Operation",
]
