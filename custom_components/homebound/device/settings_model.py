"""What a camera is set to do that reaches outside the home, and what switching it off did.

The typed results of reading a camera's settings (``SettingRead``) and of changing them
(``SwitchResult``), the settings Homebound knows (``SettingId``, each with the translation key
the glue shows it under and an English label for logs and diagnostics), and how to turn what a
camera said into text that is safe to show: a host name or an address, never the camera's raw
text (it is untrusted: DESIGN.md, "The camera lies").

A change is never reported as done on the camera's word: every outcome comes from reading the
setting back (``Outcome``).
"""

from __future__ import annotations

from dataclasses import dataclass
import enum
import ipaddress
import re
from typing import Final


class Maker(enum.StrEnum):
    """Whose local settings API a camera speaks (rebrands speak their maker's)."""

    HIKVISION = "hikvision"
    DAHUA = "dahua"


class SettingId(enum.StrEnum):
    """A setting Homebound reads; its value is the translation key of its label."""

    HIK_CONNECT = "hik_connect"
    HIK_ISUP = "hik_isup"
    HIK_UPNP = "hik_upnp"
    HIK_PORT_MAPPING = "hik_port_mapping"
    HIK_DDNS = "hik_ddns"
    HIK_CLOUD_STORAGE = "hik_cloud_storage"
    HIK_NTP = "hik_ntp"
    DAHUA_P2P = "dahua_p2p"
    DAHUA_EASY4IP = "dahua_easy4ip"
    DAHUA_PUSH = "dahua_push"
    DAHUA_UPNP = "dahua_upnp"
    DAHUA_DDNS = "dahua_ddns"
    DAHUA_TELNET = "dahua_telnet"
    DAHUA_CLOUD_UPGRADE = "dahua_cloud_upgrade"
    DAHUA_NTP = "dahua_ntp"
    ONVIF_NTP = "onvif_ntp"
    ONVIF_DNS = "onvif_dns"
    ONVIF_GATEWAY = "onvif_gateway"
    ONVIF_DHCP = "onvif_dhcp"


LABELS: Final[dict[SettingId, str]] = {
    SettingId.HIK_CONNECT: "Hik-Connect cloud (EZVIZ platform access)",
    SettingId.HIK_ISUP: "ISUP / EHome platform access",
    SettingId.HIK_UPNP: "UPnP",
    SettingId.HIK_PORT_MAPPING: "UPnP port mapping",
    SettingId.HIK_DDNS: "DDNS (HiDDNS)",
    SettingId.HIK_CLOUD_STORAGE: "Picture server / cloud storage",
    SettingId.HIK_NTP: "Time server (NTP)",
    SettingId.DAHUA_P2P: "P2P cloud (T2U / Easy4ip)",
    SettingId.DAHUA_EASY4IP: "Imou / Easy4ip cloud (VSP_PaaS)",
    SettingId.DAHUA_PUSH: "Mobile push notifications",
    SettingId.DAHUA_UPNP: "UPnP",
    SettingId.DAHUA_DDNS: "DDNS",
    SettingId.DAHUA_TELNET: "Telnet",
    SettingId.DAHUA_CLOUD_UPGRADE: "Automatic cloud firmware upgrade",
    SettingId.DAHUA_NTP: "Time server (NTP)",
    SettingId.ONVIF_NTP: "Time server (NTP)",
    SettingId.ONVIF_DNS: "DNS servers",
    SettingId.ONVIF_GATEWAY: "Default gateway",
    SettingId.ONVIF_DHCP: "DHCP",
}
"""English labels, for logs and diagnostics; the glue shows the translation of ``label_key``."""


class State(enum.StrEnum):
    """What reading a setting found."""

    ON = "on"
    OFF = "off"
    UNREADABLE = "unreadable"
    """The camera answered something that does not say (a malformed or hostile answer)."""
    REFUSED = "refused"
    """The user may not read it (HTTP 403)."""
    UNSUPPORTED = "unsupported"
    """This model has no such setting (404, ``Error``, ``ActionNotSupported``)."""
    FAILED = "failed"
    """The camera did not answer (unreachable, timed out)."""


class Outcome(enum.StrEnum):
    """What switching a setting off (or pointing it elsewhere) came to, read back."""

    DONE = "done"
    """Changed, and reading it back agrees."""
    NOTHING_TO_DO = "nothing_to_do"
    """Nothing to change: it was off (or pointed where asked) already."""
    IGNORED = "ignored"
    """The camera accepted the change but reading it back shows the old value."""
    REFUSED = "refused"
    """The camera refused the change: the user may read but not write (403, NotAuthorized)."""
    UNSUPPORTED = "unsupported"
    """The camera has no such setting, or does not accept this change of it."""
    UNDONE_BY_DHCP = "undone_by_dhcp"
    """Not attempted: the camera takes its network settings by DHCP, which would undo it."""
    FAILED = "failed"
    """The camera did not answer, or answered something that cannot be read."""


@dataclass(frozen=True, slots=True)
class SettingRead:
    """One setting as read from the camera.

    ``servers`` are the hosts it points at (cleaned by :func:`clean_host`); ``phones_home``
    says whether, as set, it makes the camera reach (or be reached from) beyond the LAN.
    """

    setting: SettingId
    state: State
    phones_home: bool = False
    servers: tuple[str, ...] = ()
    detail: str = ""
    """What went wrong when ``state`` is not ON or OFF (for diagnostics, never camera text)."""

    @property
    def label_key(self) -> str:
        """The translation key of the setting's label."""
        return self.setting.value

    @property
    def label(self) -> str:
        """The English label (logs, diagnostics)."""
        return LABELS[self.setting]

    @property
    def on(self) -> bool:
        """Whether the feature is on."""
        return self.state is State.ON

    @property
    def value(self) -> str:
        """A short, safe rendering: ``on``/``off`` (and its servers), or what went wrong."""
        if self.servers and self.state is State.ON:
            return f"on ({', '.join(self.servers)})"
        return self.state.value


@dataclass(frozen=True, slots=True)
class SwitchResult:
    """What one change came to, with the readings before and after it."""

    setting: SettingId
    outcome: Outcome
    before: SettingRead | None = None
    after: SettingRead | None = None
    detail: str = ""

    @property
    def label_key(self) -> str:
        """The translation key of the setting's label (for "… was ignored" messages)."""
        return self.setting.value


MAX_HOST: Final = 253
_HOST_NAME: Final = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.?$"
)
UNSHOWABLE: Final = "(unreadable)"


def clean_host(text: str | None) -> str | None:
    """Return ``text`` as a host name or address fit to show; None for nothing, else a marker.

    An address is re-rendered from its parsed form (a scope id is dropped); a host name must
    be letters, digits, hyphens and dots. Anything else a camera says is replaced by
    :data:`UNSHOWABLE`, so that no camera text reaches a log line, a repair or a command.
    """
    if text is None or not (stripped := text.strip()):
        return None
    if len(stripped) > MAX_HOST + 4:
        return UNSHOWABLE
    try:
        return str(ipaddress.ip_address(stripped.split("%", 1)[0]))
    except ValueError:
        pass
    return stripped.lower() if _HOST_NAME.match(stripped) else UNSHOWABLE


def is_address(host: str) -> bool:
    """Whether ``host`` is an IP address (not a name)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_local(host: str) -> bool:
    """Whether ``host`` (cleaned) is an address on a private network or this host."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.endswith((".local", ".lan", ".home.arpa", ".internal")) or "." not in host
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_link_local
        or (address.is_private and not address.is_global and _lan(address))
    )


def _lan(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """RFC 1918, RFC 6598's shared space excluded, and IPv6 unique local addresses."""
    if isinstance(address, ipaddress.IPv4Address):
        return any(
            address in ipaddress.ip_network(net)
            for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        )
    return address in ipaddress.ip_network("fc00::/7")
