"""Dahua (and its rebrands': Amcrest, Lorex, Imou…) settings that phone home.

Tables and fields are those of ../shared/reference/vendor_cloud.md §5.2: P2P
(``T2UServer.Enable``), Imou/Easy4ip (``VSP_PaaS.Enable``), mobile push
(``MobilePhoneApplication.PushNotificationEnable``), UPnP (``UPnP.Enable`` and
``StartDeviceDiscover``), DDNS (``DDNS[n].Enable``, every entry), Telnet (``Telnet.Enable``),
automatic cloud upgrade (``CloudUpgrade.AutoCheck`` — the field name is an assumption, see
the simulator's ``dahua_tables``) and the time server (``NTP.Enable``/``Address``).

Each table is read over ``configManager.cgi`` first (Digest); a firmware whose CGI lacks it
(``Error``, HTTP 400/404) is asked over RPC2 (``dahua_rpc2``), and the table is written back the
way it was read. CGI answers are ``table.Name.Field=value`` lines (with or without ``table.``,
``Name[0].Field`` for firmwares that index single tables); only ``true``/``false`` count as a
switch's value, and only names and indices Homebound builds itself reach a request. HTTP 403
is a read-only user.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Any, ClassVar, Final

from .dahua_rpc2 import Rpc2Client, Rpc2Error
from .errors import CameraError
from .settings_base import SettingsClient
from .settings_model import (
    UNSHOWABLE,
    Outcome,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
    clean_host,
    is_local,
)
from .vendor_http import query_value

if TYPE_CHECKING:
    from .vendor_http import Answer, VendorHttp

CONFIG_MANAGER: Final = "/cgi-bin/configManager.cgi"
MAX_LINES: Final = 2000
MAX_NODES: Final = 2000
MAX_DEPTH: Final = 8
_KEY: Final = re.compile(r"^(?:\[\d{1,3}\]\.)?[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True, slots=True)
class _Field:
    """Where one on/off setting lives in Dahua's configuration."""

    table: str
    field: str
    also_off: tuple[str, ...] = ()
    each: bool = False
    """A list table: the setting is on when any entry is, and off means every entry off."""
    servers: tuple[str, ...] = ()
    phones_home: bool = True


FIELDS: Final[dict[SettingId, _Field]] = {
    SettingId.DAHUA_P2P: _Field("T2UServer", "Enable"),
    SettingId.DAHUA_EASY4IP: _Field("VSP_PaaS", "Enable"),
    SettingId.DAHUA_PUSH: _Field("MobilePhoneApplication", "PushNotificationEnable"),
    SettingId.DAHUA_UPNP: _Field("UPnP", "Enable", also_off=("StartDeviceDiscover",)),
    SettingId.DAHUA_DDNS: _Field("DDNS", "Enable", each=True, servers=("Address",)),
    SettingId.DAHUA_TELNET: _Field("Telnet", "Enable", phones_home=False),
    SettingId.DAHUA_CLOUD_UPGRADE: _Field("CloudUpgrade", "AutoCheck"),
}
NTP_TABLE: Final = "NTP"


@dataclass(slots=True)
class _Table:
    """A table as read: its values by key (``Enable``, ``[0].Enable``) and how it came."""

    name: str
    values: dict[str, str]
    raw: Any = None
    """The RPC2 JSON, when it came over RPC2 (written back changed)."""

    @property
    def via_rpc2(self) -> bool:
        return self.raw is not None

    def entries(self, field: str, *, each: bool) -> list[tuple[str, str]]:
        """(key, value) of ``field``: the table's own, or every entry's for a list table."""
        if each:
            pattern = re.compile(rf"^\[\d{{1,3}}\]\.{re.escape(field)}$")
            return [(key, value) for key, value in self.values.items() if pattern.match(key)]
        for key in (field, f"[0].{field}"):
            if key in self.values:
                return [(key, self.values[key])]
        return []


def parse_lines(text: str, name: str) -> dict[str, str]:
    """Return the values of table ``name`` in a CGI ``getConfig`` answer, by key."""
    values: dict[str, str] = {}
    for line in text.splitlines()[:MAX_LINES]:
        key, separator, value = line.strip().partition("=")
        key = key.strip().removeprefix("table.")
        if not separator or not key.startswith(name):
            continue
        rest = key[len(name) :]
        if rest.startswith("."):
            values[rest[1:]] = value.strip()
        elif rest.startswith("["):
            values[rest] = value.strip()
    return values


def flatten(
    value: Any, prefix: str = "", budget: list[int] | None = None, depth: int = 0
) -> dict[str, str]:
    """Return an RPC2 table as the CGI writes it (``MapTable[0].Enable``), bounded.

    At most MAX_NODES values and MAX_DEPTH levels are taken: a table is a few dozen values
    two or three levels deep, and a hostile camera's answer must not exhaust the stack.
    """
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return {}
    if isinstance(value, dict):
        found: dict[str, str] = {}
        for key, item in value.items():
            found |= flatten(item, f"{prefix}.{key}" if prefix else str(key), budget, depth + 1)
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found |= flatten(item, f"{prefix}[{index}]", budget, depth + 1)
        return found
    if isinstance(value, bool):
        return {prefix: "true" if value else "false"}
    return {prefix: str(value)}


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _cgi_refusal(answer: Answer) -> Outcome | None:
    text = answer.text.strip()
    if answer.status == 200 and text.upper().startswith("OK"):
        return None
    if answer.status == 403:
        return Outcome.REFUSED
    if answer.status in {400, 404} or text.startswith("Error"):
        return Outcome.UNSUPPORTED
    return Outcome.FAILED


class DahuaSettings(SettingsClient):
    """P2P, Imou cloud, push, UPnP, DDNS, Telnet, cloud upgrade and NTP of one camera."""

    settings: ClassVar[tuple[SettingId, ...]] = (*FIELDS, SettingId.DAHUA_NTP)
    switchable: ClassVar[frozenset[SettingId]] = frozenset(FIELDS)

    def __init__(self, http: VendorHttp, username: str, password: str) -> None:
        """Talk CGI through ``http``, and RPC2 where the CGI lacks a table."""
        self._http = http
        self._rpc2 = Rpc2Client(http, username, password)
        self._tables: dict[str, _Table] = {}

    async def _read_table(self, name: str) -> _Table | tuple[State, str]:
        try:
            answer = await self._http.request(
                "GET", f"{CONFIG_MANAGER}?action=getConfig&name={name}"
            )
        except CameraError as err:
            return State.FAILED, str(err)
        if answer.status == 403:
            return State.REFUSED, "HTTP 403"
        if answer.status == 200 and not answer.text.lstrip().startswith("Error"):
            return _Table(name, parse_lines(answer.text, name))
        if answer.status not in {200, 400, 404}:
            return State.FAILED, f"HTTP {answer.status}"
        try:  # the CGI does not know it: RPC2 may
            raw = await self._rpc2.get_config(name)
        except Rpc2Error as err:
            return (State.REFUSED if err.refused else State.UNSUPPORTED), f"RPC2 {err.code}"
        except CameraError as err:
            return State.UNSUPPORTED, f"not over the CGI, and RPC2: {err}"
        return _Table(name, flatten(raw), raw=raw)

    async def read_one(self, setting: SettingId) -> SettingRead:
        """Read one setting."""
        if setting is SettingId.DAHUA_NTP:
            return await self._read_ntp()
        field = FIELDS[setting]
        table = await self._read_table(field.table)
        if isinstance(table, tuple):
            return SettingRead(setting, table[0], detail=table[1])
        self._tables[field.table] = table
        flags = [_flag(value) for _, value in table.entries(field.field, each=field.each)]
        if not flags or None in flags:
            return SettingRead(setting, State.UNREADABLE, detail=f"{field.field} unreadable")
        on = any(flags)
        servers: list[str] = []
        for key, value in table.entries(field.field, each=field.each):
            if _flag(value):
                base = key[: -len(field.field)]
                hosts = (clean_host(table.values.get(base + name)) for name in field.servers)
                servers += [host for host in hosts if host]
        return SettingRead(
            setting,
            State.ON if on else State.OFF,
            phones_home=on and field.phones_home,
            servers=tuple(dict.fromkeys(servers)),
        )

    async def write_off(self, before: SettingRead) -> Outcome | None:
        """Write the setting's fields ``false``, the way its table was read."""
        field = FIELDS[before.setting]
        table = self._tables[field.table]
        keys = [key for key, _ in table.entries(field.field, each=field.each)]
        for extra in field.also_off:
            keys += [key for key, _ in table.entries(extra, each=field.each)]
        return await self._write(table, dict.fromkeys(keys, False))

    async def _write(self, table: _Table, changes: dict[str, bool | int | str]) -> Outcome | None:
        if table.via_rpc2:
            raw = _patched(table.raw, changes)
            try:
                await self._rpc2.set_config(table.name, raw)
            except Rpc2Error as err:
                return Outcome.REFUSED if err.refused else Outcome.UNSUPPORTED
            return None
        parts = []
        for key, value in changes.items():
            if not _KEY.match(key):
                return Outcome.FAILED  # a key Homebound did not build: never sent
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            separator = "" if key.startswith("[") else "."
            parts.append(f"{table.name}{separator}{key}={query_value(text)}")
        query = "&".join(["action=setConfig", *parts])
        return _cgi_refusal(await self._http.request("GET", f"{CONFIG_MANAGER}?{query}"))

    # --- the time server ------------------------------------------------------------------

    async def _read_ntp(self) -> SettingRead:
        setting = SettingId.DAHUA_NTP
        table = await self._read_table(NTP_TABLE)
        if isinstance(table, tuple):
            return SettingRead(setting, table[0], detail=table[1])
        self._tables[NTP_TABLE] = table
        enabled = [_flag(value) for _, value in table.entries("Enable", each=False)]
        address = [clean_host(value) for _, value in table.entries("Address", each=False)]
        if enabled != [True] or not address or not address[0]:
            readable = enabled in ([True], [False])
            return SettingRead(setting, State.OFF if readable else State.UNREADABLE)
        host = address[0]
        return SettingRead(setting, State.ON, phones_home=not is_local(host), servers=(host,))

    async def set_ntp(self, server: str) -> SwitchResult:
        """Point the camera's clock at ``server`` (a host name or address), read back."""
        host = clean_host(server)
        before = await self._read_ntp()
        if host is None or host == UNSHOWABLE:
            return SwitchResult(SettingId.DAHUA_NTP, Outcome.FAILED, before, None, "not a host")

        async def write() -> Outcome | None:
            table = self._tables[NTP_TABLE]
            keys = {key for key, _ in table.entries("Address", each=False)}
            keys |= {key for key, _ in table.entries("Enable", each=False)}
            changes: dict[str, bool | int | str] = {
                key: (host if key.endswith("Address") else True) for key in sorted(keys)
            }
            return await self._write(table, changes)

        return await self.change(
            before,
            write,
            done=lambda after: after.state is State.ON and after.servers == (host,),
        )


def _patched(raw: Any, changes: dict[str, bool | int | str]) -> Any:
    """Return a copy of the RPC2 table ``raw`` with ``changes`` (CGI-style keys) applied."""
    if isinstance(raw, list):
        copied: Any = [dict(item) if isinstance(item, dict) else item for item in raw]
    elif isinstance(raw, dict):
        copied = dict(raw)
    else:
        return raw
    for key, value in changes.items():
        match = re.match(r"^\[(\d{1,3})\]\.(\w+)$", key)
        if match is not None and isinstance(copied, list):
            index = int(match.group(1))
            if index < len(copied) and isinstance(copied[index], dict):
                copied[index][match.group(2)] = value
        elif isinstance(copied, dict):
            copied[key] = value
    return copied
