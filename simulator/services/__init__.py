"""Service plug-ins of the virtual camera: each serves one part of its web server.

``onvif/`` holds the ONVIF services (device, media, media2, events) and their shared SOAP
endpoint; ``snapshot`` and ``web`` are plain HTTP. A vendor API (Hikvision ``isapi/...``, Dahua
``cgi-bin/...``) is one more module here with one ``Service`` subclass, listed by a persona.
"""

from __future__ import annotations

from .base import Service, ServiceContext, drop_connection

__all__ = ["Service", "ServiceContext", "drop_connection"]
