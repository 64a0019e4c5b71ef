"""The camera's own network settings: how it gets its address, its gateway, DNS and NTP.

One store per camera that every interface reads and writes: ONVIF (``GetNTP``/``SetNTP``,
``GetDNS``/``SetDNS``, ``GetNetworkDefaultGateway``/``SetNetworkDefaultGateway``, the ``DHCP``
flag of ``GetNetworkInterfaces``) and the makers' own APIs (Hikvision's ``time/ntpServers``,
Dahua's ``NTP`` table), as on a real camera, where the ONVIF service and the web UI change one
configuration. With DHCP on, what DHCP hands out wins, as it does on cameras: a default
gateway set by hand is kept but not used (``GetNetworkDefaultGateway`` still answers DHCP's),
so removing it changes nothing a reader can see.

Defaults look like a camera out of the box on a LAN: a static address, a gateway in its own
subnet, and a public resolver. Hikvision's factory network defaults use 8.8.8.8 (not in the
reference; the reference's §0.1 shows several of these firmwares carrying public resolvers of
their own). The NTP server is the maker's (the vendor plug-ins set theirs) or pool.ntp.org.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

GENERIC_NTP: Final = "pool.ntp.org"
"""NTP server of a camera whose maker's plug-in names none."""
DEFAULT_GATEWAY: Final = "127.0.0.254"
"""The static default gateway: in the camera's own 127.0.0.0/8, since it serves on 127.0.0.1."""
DHCP_GATEWAY: Final = "127.0.0.1"
"""What "DHCP" hands out as the gateway on loopback (a camera with DHCP on reports it)."""
PUBLIC_DNS: Final = "8.8.8.8"
DHCP_DNS: Final = "127.0.0.53"
PREFIX_LENGTH: Final = 8


@dataclass
class NetworkSettings:
    """What the camera is set to; changed by whoever has the rights, on any interface."""

    dhcp: bool = False
    """Whether the IPv4 address (and with it gateway, DNS, NTP offered by DHCP) comes by DHCP."""
    gateway: list[str] = field(default_factory=lambda: [DEFAULT_GATEWAY])
    """The default gateway set by hand (IPv4)."""
    gateway6: list[str] = field(default_factory=list)
    """The IPv6 default gateway set by hand."""
    dhcp_gateway: list[str] = field(default_factory=lambda: [DHCP_GATEWAY])
    dns_from_dhcp: bool = False
    dns: list[str] = field(default_factory=lambda: [PUBLIC_DNS])
    """Resolvers set by hand."""
    dhcp_dns: list[str] = field(default_factory=lambda: [DHCP_DNS])
    search_domains: list[str] = field(default_factory=list)
    ntp_from_dhcp: bool = False
    ntp: list[str] = field(default_factory=lambda: [GENERIC_NTP])
    """NTP servers set by hand: host names or addresses, first one first."""
    dhcp_ntp: list[str] = field(default_factory=list)
    ntp_enabled: bool = True
    """Whether the clock is set by NTP (off: by hand)."""
    ntp_port: int = 123
    ntp_interval: int = 1440
    """Minutes between synchronisations (Hikvision's default ``synchronizeInterval``)."""

    @property
    def effective_gateway(self) -> list[str]:
        """The IPv4 gateways the camera routes through right now."""
        return list(self.dhcp_gateway if self.dhcp else self.gateway)

    @property
    def effective_dns(self) -> list[str]:
        """The resolvers the camera asks right now."""
        return list(self.dhcp_dns if self.dhcp and self.dns_from_dhcp else self.dns)

    @property
    def effective_ntp(self) -> list[str]:
        """The NTP servers the camera asks right now (none when its clock is set by hand)."""
        if not self.ntp_enabled:
            return []
        return list(self.dhcp_ntp if self.dhcp and self.ntp_from_dhcp else self.ntp)
