"""The settings controls of a virtual camera: what it claims, how it is networked, how it fails.

``VirtualCamera`` takes these from ``CameraSettings``, as it takes its event controls from
``CameraEvents``: a test (or the control API) makes the camera lie about itself, switches its
DHCP, or picks how writes of a setting fail. What the camera is set to (NTP, DNS, gateway) is
changed the way a user changes it, through its own APIs; ``network`` shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lies import Lies
from .setting_faults import SettingFault

if TYPE_CHECKING:
    from .config import CameraConfig
    from .network import NetworkSettings
    from .state import CameraState


class CameraSettings:
    """Settings controls; mixed into ``VirtualCamera``."""

    config: CameraConfig
    state: CameraState

    @property
    def network(self) -> NetworkSettings:
        """The camera's address, gateway, DNS and NTP settings (shared by all its APIs)."""
        return self.state.network

    @property
    def lies(self) -> Lies:
        """What the camera reports about itself instead of the truth."""
        return self.state.lies

    def set_lies(self, mac: str | None = None, addresses: tuple[str, ...] | None = None) -> None:
        """Report ``mac`` and ``addresses`` from now on (None: the truth; see ``Lies``)."""
        self.config.lies = Lies(mac=mac, addresses=addresses)

    def set_dhcp(self, dhcp: bool) -> None:
        """Take the address (and gateway) by DHCP, or keep the static one."""
        self.state.network.dhcp = bool(dhcp)

    def set_setting_fault(self, name: str, fault: SettingFault | str | None) -> None:
        """Make writes of the setting ``name`` fail with ``fault`` (None: work again)."""
        if not name:
            raise ValueError("a setting fault needs the setting's name")
        faults = dict(self.config.setting_faults)
        if fault is None:
            faults.pop(name, None)
        else:
            faults[name] = SettingFault(fault)
        self.config.setting_faults = faults

    @property
    def setting_faults(self) -> dict[str, SettingFault]:
        """How writes of which settings fail (a copy)."""
        return dict(self.config.setting_faults)
