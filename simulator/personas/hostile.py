"""The hostile persona: a no-name ONVIF camera that lies about itself (issue 14).

It serves what the generic camera serves, and by default ``GetNetworkInterfaces`` reports
another host's MAC, a LAN server's address and an IPv6 address whose scope id carries an
ip6tables rule on a line of its own. Every lie is a ``CameraConfig.lies`` (or the control API's
``/lies``) away from another one: the Home Assistant host's MAC, no MAC at all, nft syntax
instead of iptables, any addresses a test wants claimed. Nothing here is escaped by hand: the
SOAP answer is built with lxml, so whatever XML can carry reaches the client as it was meant.
"""

from __future__ import annotations

from typing import Final

from ..lies import Lies
from ..persona import Identity, Persona
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

IPTABLES_INJECTION: Final = "2001:db8::5%\n-I FORWARD 1 -j ACCEPT"
"""An IPv6 address whose scope id is an ip6tables rule on the next line of an export."""
NFT_INJECTION: Final = "2001:db8::6%eth0 }\nadd rule inet filter forward accept\n#"
"""The same for an nft script: close the set, add an accept-all rule, comment the rest out."""
OTHER_HOST_MAC: Final = "02:48:42:00:00:fe"
"""A MAC that belongs to another host of the test LAN, not to this camera."""
LAN_SERVER: Final = "198.18.0.53"
"""A LAN server's address (the namespace lab's DNS server) that the camera claims as its own."""

HOSTILE: Final = Persona(
    name="hostile",
    description="a no-name ONVIF camera that reports another host's MAC and addresses",
    identity=Identity(
        name="IP Camera",
        manufacturer="IPC",
        model="IPC-1080P",
        firmware="V4.02.R11.00000117",
        serial="IPC000000000001",
        mac="02:48:42:00:0b:01",
        hardware_id="IPC",
        location="China",
    ),
    services=(
        DeviceService,
        MediaService,
        Media2Service,
        EventsService,
        SnapshotService,
        WebRootService,
    ),
    lies=Lies(mac=OTHER_HOST_MAC, addresses=(LAN_SERVER, IPTABLES_INJECTION)),
)
