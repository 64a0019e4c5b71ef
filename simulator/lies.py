"""What a hostile camera says about itself instead of the truth.

The camera is untrusted (DESIGN.md, issue 14): whatever it reports over ONVIF — the MAC in
``GetNetworkInterfaces`` and its ``MAC`` scope, the addresses of its interfaces — is a hint that
a firewall must never take as a match key unchecked. ``Lies`` is what a camera reports in their
place: another host's MAC (the Home Assistant host's, say), no MAC at all, other hosts'
addresses, or text the ONVIF schema lets through (``tt:IPv6Address`` is an ``xs:token``, so an
IPv6 address with a scope id full of rule text such as ``2001:db8::5%`` + newline +
``-I FORWARD 1 -j ACCEPT`` is valid on the wire).

Anything is allowed but what XML 1.0 cannot carry (NUL and the other C0 controls but tab, LF
and CR): the answer must stay well-formed, or the lie would never reach the client.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Final

_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(text: str, what: str) -> str:
    """Return ``text`` if XML 1.0 can carry it (escaped); else ValueError naming ``what``."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be text, not {text!r}")
    if (match := _NOT_XML.search(text)) is not None:
        raise ValueError(f"{what} holds {match.group()!r}, which no XML document can carry")
    return text


@dataclass(frozen=True, slots=True)
class Lies:
    """What ``GetNetworkInterfaces`` (and the ``MAC`` scope) report instead of the truth.

    ``mac``: None tells the camera's own MAC; "" reports no MAC at all (the interface comes
    without its ``Info``, which the schema allows, and the scopes without ``MAC/``); any other
    text is reported as it is. ``addresses``: None tells the camera's own address; otherwise
    each text is reported as it is, as a manual IPv6 address when it holds a colon and as a
    manual IPv4 address when it does not (an empty tuple: no address at all).
    """

    mac: str | None = None
    addresses: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        """Refuse only what XML cannot carry; lists of addresses become tuples."""
        if self.mac is not None:
            check_xml_text(self.mac, "the reported MAC")
        if self.addresses is not None:
            given: object = self.addresses
            if isinstance(given, str):
                raise TypeError("addresses must be a sequence of texts, not one text")
            addresses = tuple(self.addresses)
            for address in addresses:
                check_xml_text(address, "a reported address")
            object.__setattr__(self, "addresses", addresses)

    @property
    def truthful(self) -> bool:
        """Whether nothing is misreported."""
        return self.mac is None and self.addresses is None


TRUTH: Final = Lies()
"""A camera that reports what it is."""
