"""Why a key (a MAC or an address) was not used to match a camera: typed, per camera.

Validation fails per camera, never for the whole policy: a key that would match somebody else
(the Home Assistant host, the router, an allowed server, another camera), or that the network
never tied to the camera, is left out, and the rest of the policy is built and applied. Each
left-out key becomes a :class:`Refusal` the glue turns into the camera's repair issue; the
``reason`` values are stable codes (translation keys), the ``key`` is safe to show (a
canonical MAC, a plain address, or an untrusted value already quoted and escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalReason(StrEnum):
    """Why a key is not matched. The values are stable: translations and stored repairs use them."""

    MALFORMED = "malformed"
    """Not a usable unicast MAC or host address (a scope id, multicast, text that is neither)."""
    HA_HOST = "ha_host"
    """A MAC or address of the Home Assistant host."""
    GATEWAY = "gateway"
    """A MAC or address of a gateway (the router) or of the machine the firewall runs on."""
    ALLOWED_SERVER = "allowed_server"
    """The address (or the MAC behind it) of an NTP or DNS server the cameras may use."""
    OTHER_CAMERA = "other_camera"
    """Another camera's key, or a key two cameras claim (neither gets it)."""
    NOT_ON_LAN = "not_on_lan"
    """A public IPv4 address or an IPv6 translation address (6to4, Teredo, NAT64, mapped):
    matching it as a source would drop what the internet sends to everybody."""
    SEEN_ON_OTHER_MAC = "seen_on_other_mac"
    """The camera reported an address the network ties to another MAC now."""
    UNCONFIRMED = "unconfirmed"
    """The camera reported it, but nothing the network observed ties it to the camera (a hint,
    not a key; often an address the camera has not used yet). Informational."""
    MAC_MISMATCH = "mac_mismatch"
    """The camera (or its entry) claims a MAC other than the one the network shows at the
    camera's address; the network's is used."""
    NOTHING_TO_MATCH = "nothing_to_match"
    """Every key of the camera was refused or none was observed: it is *not* isolated."""


INFORMATIONAL = frozenset({RefusalReason.UNCONFIRMED})
"""Reasons that describe a hint not taken rather than something wrong: no repair needed."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """One key left out of one camera's match keys, and why."""

    camera: str
    """The camera's id (:attr:`~.policy.CameraIdentity.id`)."""
    key: str
    """The MAC or address refused, safe to show (empty for ``NOTHING_TO_MATCH``)."""
    reason: RefusalReason
    other: str = ""
    """For :attr:`RefusalReason.OTHER_CAMERA`: the id of the other camera claiming the key."""
    detail: str = ""
    """An English sentence for logs (never translated, safe to log)."""
