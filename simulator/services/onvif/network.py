"""The device service's network operations: interfaces, NTP, DNS and the default gateway.

They read and write the camera's ``NetworkSettings`` (``simulator.network``), which the vendor
APIs share. ``GetNetworkInterfaces`` says what the camera claims (``simulator.lies``: another
host's MAC or addresses, no MAC, rule text in an IPv6 scope id) and whether DHCP is on.
Writes honour the setting faults (``simulator.setting_faults``) under the names ``NTP``,
``DNS`` and ``NetworkDefaultGateway``: ignored (answered, unchanged), refused
(``ter:NotAuthorized``, as an operator account gets) or unsupported
(``ter:ActionNotSupported``). Addresses given are checked as cameras check them
(``ter:InvalidArgVal`` with ``ter:InvalidIPv4Address``, ``InvalidIPv6Address``,
``InvalidDnsName``, ``InvalidGatewayAddress``).
"""

from __future__ import annotations

from collections.abc import Mapping
import ipaddress
import re
from typing import TYPE_CHECKING, Final

from lxml import etree

from ...errors import FaultError
from ...network import PREFIX_LENGTH
from ...quirks import Quirk
from ...setting_faults import SettingFault
from ...soap import ACTION_NOT_SUPPORTED, NOT_AUTHORIZED, invalid_arg, sub, xml_bool

if TYPE_CHECKING:
    from ...soap import SoapRequest
    from ...state import CameraState
    from .endpoint import Operation

IPV6_PREFIX_LENGTH: Final = 64
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DNS_NAME: Final = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?$")


def _children(parent: etree._Element, local: str) -> list[etree._Element]:
    return [
        child
        for child in parent
        if isinstance(child.tag, str) and etree.QName(child).localname == local
    ]


def _text(parent: etree._Element, local: str) -> str | None:
    found = _children(parent, local)
    return (found[0].text or "").strip() if found else None


def _flag(parent: etree._Element, local: str) -> bool:
    return (_text(parent, local) or "false").lower() in {"true", "1"}


def _version(text: str, subcode: str) -> int:
    """Return the IP version of ``text``; an InvalidArgVal fault with ``subcode`` if none."""
    try:
        return ipaddress.ip_address(text).version
    except ValueError:
        raise FaultError(invalid_arg(subcode, f"not an address: {text!r}")) from None


def _write_allowed(state: CameraState, name: str) -> bool:
    """Raise the fault a write of ``name`` gets; False when it is to be ignored."""
    fault = state.setting_fault(name, write=True)
    if fault is SettingFault.UNSUPPORTED:
        raise FaultError(ACTION_NOT_SUPPORTED)
    if fault is SettingFault.REFUSED:
        raise FaultError(NOT_AUTHORIZED)
    return fault is not SettingFault.IGNORED


def _read_allowed(state: CameraState, name: str) -> None:
    if state.setting_fault(name, write=False) is SettingFault.UNSUPPORTED:
        raise FaultError(ACTION_NOT_SUPPORTED)


# --- GetNetworkInterfaces ------------------------------------------------------------------


def _prefixed(parent: etree._Element, name: str, address: str, prefix: int) -> None:
    holder = sub(parent, name)
    sub(holder, "tt:Address", address)
    sub(holder, "tt:PrefixLength", str(prefix))


async def get_network_interfaces(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetNetworkInterfaces: one wired interface, with what the camera claims on it."""
    if Quirk.NO_NETWORK_INTERFACES in state.config.quirks:
        raise FaultError(ACTION_NOT_SUPPORTED)
    lies, network = state.lies, state.network
    mac = state.config.mac if lies.mac is None else lies.mac
    claimed = list(lies.addresses) if lies.addresses is not None else None
    response = sub(body, "tds:GetNetworkInterfacesResponse")
    interface = sub(response, "tds:NetworkInterfaces", attrib={"token": "eth0"})
    sub(interface, "tt:Enabled", "true")
    if mac:
        info = sub(interface, "tt:Info")
        sub(info, "tt:Name", "eth0")
        sub(info, "tt:HwAddress", mac)
        sub(info, "tt:MTU", "1500")
    link = sub(interface, "tt:Link")
    for name in ("tt:AdminSettings", "tt:OperSettings"):
        settings = sub(link, name)
        sub(settings, "tt:AutoNegotiation", "true")
        sub(settings, "tt:Speed", "100")
        sub(settings, "tt:Duplex", "Full")
    sub(link, "tt:InterfaceType", "6")
    ipv4 = sub(interface, "tt:IPv4")
    sub(ipv4, "tt:Enabled", "true")
    config = sub(ipv4, "tt:Config")
    if claimed is None:
        kind = "tt:FromDHCP" if network.dhcp else "tt:Manual"
        _prefixed(config, kind, state.host, PREFIX_LENGTH)
    else:
        for address in (text for text in claimed if ":" not in text):
            _prefixed(config, "tt:Manual", address, PREFIX_LENGTH)
    sub(config, "tt:DHCP", xml_bool(network.dhcp))
    six = [text for text in claimed or [] if ":" in text]
    if six:
        ipv6 = sub(interface, "tt:IPv6")
        sub(ipv6, "tt:Enabled", "true")
        config6 = sub(ipv6, "tt:Config")
        sub(config6, "tt:DHCP", "Off")
        for address in six:
            _prefixed(config6, "tt:Manual", address, IPV6_PREFIX_LENGTH)


# --- NTP -----------------------------------------------------------------------------------


def _network_host(parent: etree._Element, name: str, host: str) -> None:
    holder = sub(parent, name)
    try:
        version = ipaddress.ip_address(host).version
    except ValueError:
        sub(holder, "tt:Type", "DNS")
        sub(holder, "tt:DNSname", host)
        return
    sub(holder, "tt:Type", f"IPv{version}")
    sub(holder, f"tt:IPv{version}Address", host)


async def get_ntp(state: CameraState, _request: SoapRequest, body: etree._Element) -> None:
    """tds:GetNTP."""
    _read_allowed(state, "NTP")
    network = state.network
    information = sub(sub(body, "tds:GetNTPResponse"), "tds:NTPInformation")
    sub(information, "tt:FromDHCP", xml_bool(network.ntp_from_dhcp))
    for host in network.dhcp_ntp if network.dhcp else []:
        _network_host(information, "tt:NTPFromDHCP", host)
    for host in network.ntp:
        _network_host(information, "tt:NTPManual", host)


def _host_of(element: etree._Element) -> str:
    kind = _text(element, "Type") or ""
    if kind == "DNS":
        name = _text(element, "DNSname") or ""
        if not _DNS_NAME.match(name):
            raise FaultError(invalid_arg("ter:InvalidDnsName", f"not a host name: {name!r}"))
        return name
    if kind not in {"IPv4", "IPv6"}:
        raise FaultError(invalid_arg("ter:InvalidArgs", f"unknown host type {kind!r}"))
    address = _text(element, f"{kind}Address") or ""
    subcode = f"ter:Invalid{kind}Address"
    if _version(address, subcode) != int(kind[-1]):
        raise FaultError(invalid_arg(subcode, f"not an {kind} address: {address!r}"))
    return address


async def set_ntp(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """tds:SetNTP: FromDHCP and the manual servers."""
    hosts = [_host_of(element) for element in _children(request.operation, "NTPManual")]
    from_dhcp = _flag(request.operation, "FromDHCP")
    if _write_allowed(state, "NTP"):
        state.network.ntp_from_dhcp = from_dhcp
        state.network.ntp = hosts
    sub(body, "tds:SetNTPResponse")


# --- DNS -----------------------------------------------------------------------------------


def _ip_address(parent: etree._Element, name: str, address: str) -> None:
    holder = sub(parent, name)
    version = ipaddress.ip_address(address).version
    sub(holder, "tt:Type", f"IPv{version}")
    sub(holder, f"tt:IPv{version}Address", address)


async def get_dns(state: CameraState, _request: SoapRequest, body: etree._Element) -> None:
    """tds:GetDNS."""
    _read_allowed(state, "DNS")
    network = state.network
    information = sub(sub(body, "tds:GetDNSResponse"), "tds:DNSInformation")
    sub(information, "tt:FromDHCP", xml_bool(network.dns_from_dhcp))
    for domain in network.search_domains:
        sub(information, "tt:SearchDomain", domain)
    for address in network.dhcp_dns if network.dhcp else []:
        _ip_address(information, "tt:DNSFromDHCP", address)
    for address in network.dns:
        _ip_address(information, "tt:DNSManual", address)


async def set_dns(state: CameraState, request: SoapRequest, body: etree._Element) -> None:
    """tds:SetDNS: FromDHCP, search domains and the manual resolvers."""
    operation = request.operation
    servers = []
    for element in _children(operation, "DNSManual"):
        kind = _text(element, "Type") or ""
        address = _text(element, f"{kind}Address") or ""
        if kind not in {"IPv4", "IPv6"} or _version(address, f"ter:Invalid{kind}Address") != int(
            kind[-1]
        ):
            raise FaultError(invalid_arg("ter:InvalidIPv4Address", f"bad resolver {address!r}"))
        servers.append(address)
    domains = [(element.text or "").strip() for element in _children(operation, "SearchDomain")]
    from_dhcp = _flag(operation, "FromDHCP")
    if _write_allowed(state, "DNS"):
        state.network.dns_from_dhcp = from_dhcp
        state.network.dns = servers
        state.network.search_domains = [domain for domain in domains if domain]
    sub(body, "tds:SetDNSResponse")


# --- default gateway -----------------------------------------------------------------------


async def get_network_default_gateway(
    state: CameraState, _request: SoapRequest, body: etree._Element
) -> None:
    """tds:GetNetworkDefaultGateway: what the camera routes through (DHCP's when DHCP is on)."""
    _read_allowed(state, "NetworkDefaultGateway")
    network = state.network
    gateway = sub(sub(body, "tds:GetNetworkDefaultGatewayResponse"), "tds:NetworkGateway")
    for address in network.effective_gateway:
        sub(gateway, "tt:IPv4Address", address)
    for address in network.gateway6:
        sub(gateway, "tt:IPv6Address", address)


async def set_network_default_gateway(
    state: CameraState, request: SoapRequest, body: etree._Element
) -> None:
    """tds:SetNetworkDefaultGateway: kept by hand; with DHCP on, DHCP's gateway stays in use."""
    found: dict[int, list[str]] = {4: [], 6: []}
    for version in (4, 6):
        for element in _children(request.operation, f"IPv{version}Address"):
            address = (element.text or "").strip()
            if _version(address, "ter:InvalidGatewayAddress") != version:
                raise FaultError(
                    invalid_arg("ter:InvalidGatewayAddress", f"not IPv{version}: {address!r}")
                )
            found[version].append(address)
    if _write_allowed(state, "NetworkDefaultGateway"):
        state.network.gateway = found[4]
        state.network.gateway6 = found[6]
    sub(body, "tds:SetNetworkDefaultGatewayResponse")


OPERATIONS: Final[Mapping[str, Operation]] = {
    "GetNetworkInterfaces": get_network_interfaces,
    "GetNTP": get_ntp,
    "SetNTP": set_ntp,
    "GetDNS": get_dns,
    "SetDNS": set_dns,
    "GetNetworkDefaultGateway": get_network_default_gateway,
    "SetNetworkDefaultGateway": set_network_default_gateway,
}
