"""Who a camera says it is: the identity a persona gives ``CameraConfig``'s empty fields.

A leaf: ``config`` (far below the personas, since the camera state holds it) fills a camera's
identity from its persona's, and ``persona`` bundles one; both read this module.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the camera says it is; each field is the default of the ``CameraConfig`` field."""

    name: str
    manufacturer: str
    model: str
    firmware: str
    serial: str
    mac: str
    hardware_id: str
    location: str = "Homebound"
    """The ``onvif://www.onvif.org/location/country/...`` scope."""

    def numbered(self, number: int) -> Identity:
        """Return the identity of camera ``number`` of several: name, serial, MAC end in it.

        The serial's last four characters and the MAC's last two octets become the number, so
        the first camera of a set keeps the persona's own serial and MAC when they end in 1.
        """
        octets = [*self.mac.split(":")[:4], f"{number // 256:02x}", f"{number % 256:02x}"]
        return dataclasses.replace(
            self,
            name=f"{self.name} {number}",
            serial=f"{self.serial[:-4]}{number:04d}",
            mac=":".join(octets),
        )
