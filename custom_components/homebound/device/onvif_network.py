"""Any ONVIF camera's time server, resolvers and default gateway, and whether DHCP is on.

Read with ``GetNTP``, ``GetDNS``, ``GetNetworkDefaultGateway`` and ``GetNetworkInterfaces``
(the IPv4 ``DHCP`` flag), through onvif-zeep-async on Homebound's own device WSDL (which
declares these operations for this module: see ``wsdl/devicemgmt.wsdl``), every call through
``OnvifClient.call`` so that library errors arrive as ours. Two changes, each read back:

* :meth:`OnvifNetwork.set_ntp` points the camera's clock at one server (``SetNTP``);
* :meth:`OnvifNetwork.remove_gateway_and_dns` takes away the default gateway and every
  resolver outside the LAN (``SetNetworkDefaultGateway``, ``SetDNS``), so that even the
  camera's own routing has no way out. A camera that takes its address by DHCP is not asked:
  the next lease would hand the gateway back (and cameras on DHCP keep routing through DHCP's
  gateway whatever they are told), so the answer is ``UNDONE_BY_DHCP``.

A refusal (``ter:NotAuthorized``: an operator account) is ``REFUSED``; ``ActionNotSupported``
is ``UNSUPPORTED``; what the camera names is shown only as clean hosts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from . import probe
from .errors import CameraAuthError, CameraError, CameraFaultError
from .settings_base import SettingsReader
from .settings_model import (
    UNSHOWABLE,
    Outcome,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
    clean_host,
    is_address,
    is_local,
)

if TYPE_CHECKING:
    from .client import OnvifClient

_UNSUPPORTED = frozenset({"actionnotsupported", "notsupported", "operationprohibited"})


class _CallError(Exception):
    """A call failed; ``state`` says how (REFUSED, UNSUPPORTED, FAILED)."""

    def __init__(self, state: State, detail: str, *, fault: bool = False) -> None:
        super().__init__(detail)
        self.state = state
        self.detail = detail
        self.fault = fault
        """Whether the camera answered a SOAP fault (it understood, and said no)."""


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "1": True, "false": False, "0": False}.get(str(value).strip().lower())


def _host(item: Any) -> str | None:
    for field in ("DNSname", "IPv4Address", "IPv6Address"):
        if (host := clean_host(_text(getattr(item, field, None)))) is not None:
            return host
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _hosts(items: Any) -> tuple[str, ...]:
    found = (_host(item) for item in (items if isinstance(items, list) else []))
    return tuple(dict.fromkeys(host for host in found if host is not None))


def _addresses(items: Any) -> tuple[str, ...]:
    found = (clean_host(_text(item)) for item in (items if isinstance(items, list) else []))
    return tuple(dict.fromkeys(host for host in found if host is not None))


def _network_host(host: str) -> dict[str, str]:
    if not is_address(host):
        return {"Type": "DNS", "DNSname": host}
    kind = "IPv6" if ":" in host else "IPv4"
    return {"Type": kind, f"{kind}Address": host}


class OnvifNetwork(SettingsReader):
    """NTP, DNS, gateway and DHCP of one connected ONVIF camera."""

    settings: ClassVar[tuple[SettingId, ...]] = (
        SettingId.ONVIF_NTP,
        SettingId.ONVIF_DNS,
        SettingId.ONVIF_GATEWAY,
        SettingId.ONVIF_DHCP,
    )

    def __init__(self, client: OnvifClient) -> None:
        """Use ``client``'s Device service (the client must be connected)."""
        self._client = client
        self._search_domains: tuple[str, ...] = ()

    async def _call(self, operation: str, payload: dict[str, Any] | None = None) -> Any:
        try:
            # Inside the try: a client between connections (its health check reconnecting)
            # has no Device service, and that is a failed read, not an error of the caller's.
            method = getattr(await self._client.service("devicemgmt"), operation)
            return await self._client.call(method(payload) if payload is not None else method())
        except CameraAuthError as err:
            raise _CallError(State.REFUSED, f"{operation}: not allowed for this user") from err
        except CameraFaultError as err:
            state = State.UNSUPPORTED if _UNSUPPORTED & set(err.codes) else State.FAILED
            detail = f"{operation}: {', '.join(err.codes) or 'fault'}"
            raise _CallError(state, detail, fault=True) from err
        except CameraError as err:
            raise _CallError(State.FAILED, f"{operation}: {type(err).__name__}") from err

    async def read_one(self, setting: SettingId) -> SettingRead:
        """Read one of the four."""
        try:
            return await self._read(setting)
        except _CallError as failed:
            return SettingRead(setting, failed.state, detail=failed.detail)

    async def _read(self, setting: SettingId) -> SettingRead:
        if setting is SettingId.ONVIF_DHCP:
            dhcp = await self.dhcp()
            if dhcp is None:
                return SettingRead(setting, State.UNREADABLE, detail="no DHCP flag")
            return SettingRead(setting, State.ON if dhcp else State.OFF)
        if setting is SettingId.ONVIF_NTP:
            ntp = await self._call("GetNTP")
            from_dhcp = _flag(getattr(ntp, "FromDHCP", None))
            field = "NTPFromDHCP" if from_dhcp else "NTPManual"
            servers = _hosts(getattr(ntp, field, None))
        elif setting is SettingId.ONVIF_DNS:
            dns = await self._call("GetDNS")
            from_dhcp = _flag(getattr(dns, "FromDHCP", None))
            field = "DNSFromDHCP" if from_dhcp else "DNSManual"
            servers = _hosts(getattr(dns, field, None))
            self._search_domains = tuple(
                domain
                for domain in _addresses(getattr(dns, "SearchDomain", None))
                if domain != UNSHOWABLE
            )
        else:
            gateway = await self._call("GetNetworkDefaultGateway")
            servers = _addresses(getattr(gateway, "IPv4Address", None)) + _addresses(
                getattr(gateway, "IPv6Address", None)
            )
            return SettingRead(setting, State.ON if servers else State.OFF, bool(servers), servers)
        outside = any(host == UNSHOWABLE or not is_local(host) for host in servers)
        return SettingRead(setting, State.ON if servers else State.OFF, outside, servers)

    async def clock_offset(self) -> float | None:
        """How far the camera's clock is off now, in seconds (None: it did not say, or failed).

        Only measures: the client keeps signing requests with the offset it found when it
        connected (changing it rebuilds service clients under requests in flight; a camera
        whose clock moved that far refuses a request, and the client's health check measures
        again then). For the clock-offset sensor, which follows a clock pointed at a new server.
        """
        try:
            answer = await self._call("GetSystemDateAndTime")
        except _CallError:
            return None
        camera_time = probe.camera_time(answer)
        if camera_time is None:
            return None
        return (camera_time - dt.datetime.now(dt.UTC)).total_seconds()

    async def dhcp(self) -> bool | None:
        """Whether the first enabled interface takes its IPv4 address by DHCP (None: unknown)."""
        for interface in await self._call("GetNetworkInterfaces") or []:
            if _flag(getattr(interface, "Enabled", True)) is False:
                continue
            config = getattr(getattr(interface, "IPv4", None), "Config", None)
            if (dhcp := _flag(getattr(config, "DHCP", None))) is not None:
                return dhcp
        return None

    async def _write(self, operation: str, payload: dict[str, Any]) -> Outcome | None:
        try:
            await self._call(operation, payload)
        except _CallError as failed:
            if failed.state is State.REFUSED:
                return Outcome.REFUSED
            # Any other fault: the camera understood and does not take this change.
            return Outcome.UNSUPPORTED if failed.fault else Outcome.FAILED
        return None

    async def set_ntp(self, server: str) -> SwitchResult:
        """Point the camera's clock at ``server`` alone (not from DHCP), read back."""
        host = clean_host(server)
        before = await self.read_one(SettingId.ONVIF_NTP)
        if host is None or host == UNSHOWABLE:
            return SwitchResult(SettingId.ONVIF_NTP, Outcome.FAILED, before, None, "not a host")

        async def write() -> Outcome | None:
            payload = {"FromDHCP": False, "NTPManual": [_network_host(host)]}
            return await self._write("SetNTP", payload)

        return await self.change(
            before, write, done=lambda after: after.on and after.servers == (host,)
        )

    async def remove_gateway_and_dns(self) -> tuple[SwitchResult, SwitchResult]:
        """Take away the default gateway and the resolvers outside the LAN, each read back."""
        gateway = await self.read_one(SettingId.ONVIF_GATEWAY)
        dns = await self.read_one(SettingId.ONVIF_DNS)
        try:
            dhcp = await self.dhcp()
        except _CallError:
            dhcp = None
        if dhcp:
            return (
                SwitchResult(SettingId.ONVIF_GATEWAY, Outcome.UNDONE_BY_DHCP, gateway),
                SwitchResult(SettingId.ONVIF_DNS, Outcome.UNDONE_BY_DHCP, dns),
            )

        async def no_gateway() -> Outcome | None:
            return await self._write(
                "SetNetworkDefaultGateway", {"IPv4Address": [], "IPv6Address": []}
            )

        async def lan_dns() -> Outcome | None:
            kept = [host for host in dns.servers if host != UNSHOWABLE and is_local(host)]
            payload = {
                "FromDHCP": False,
                "SearchDomain": list(self._search_domains),
                "DNSManual": [_network_host(host) for host in kept if is_address(host)],
            }
            return await self._write("SetDNS", payload)

        return (
            await self.change(gateway, no_gateway),
            await self.change(dns, lan_dns, done=lambda after: not after.phones_home),
        )
