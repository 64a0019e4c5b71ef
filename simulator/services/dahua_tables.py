"""Dahua configuration tables: their factory defaults, their CGI text, and how writes apply.

A Dahua camera keeps its configuration as JSON-like tables by name (``T2UServer``, ``UPnP``,
``DDNS``…). RPC2 hands a table over as JSON (``configManager.getConfig`` → ``params.table``);
the CGI flattens it into lines (``table.T2UServer.Enable=true``, ``table.DDNS[0].Enable=false``,
``table.UPnP.MapTable[0].InnerPort=80``) and takes writes as ``T2UServer.Enable=false`` query
parameters. A write must name a field the table has and a value of its type (``true``/``false``
for booleans, digits for numbers); anything else is ``Error``, and the write changes nothing.

Defaults, from ../shared/reference/vendor_cloud.md §1.3 and §5.2 unless marked: P2P
(``T2UServer``, its ``UUID`` the serial number) on — it "ships ON" on Amcrest; Imou/Easy4ip
(``VSP_PaaS``) on and mobile push (``MobilePhoneApplication.PushNotificationEnable``) on, which
is what logicblocks switches off; UPnP on with discovery, mapping HTTP and RTSP (that it ships
on is assumed); Dahua DDNS at ``www.dahuaddns.com``:80, off (its default is not in the
reference); Telnet off (python-amcrest's ``telnet_config``; modern firmware ships it off);
automatic cloud upgrade checks on, in a table ``CloudUpgrade`` with a field ``AutoCheck`` —
the reference names only the ``CloudUpgrader`` RPC methods, an Amcrest client reads a
``CloudUpgrade`` config; field name assumed. NTP is the ``NTP`` table
(``Enable``/``Address``/``Port``/``TimeZone``/``UpdatePeriod``), a view of the camera's
``NetworkSettings``; its default server ``clock.isc.org`` is python-amcrest's example.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ..state import CameraState

DAHUA_NTP: Final = "clock.isc.org"
NTP: Final = "NTP"
RPC2_ONLY: Final = frozenset({"CloudUpgrade"})
"""Tables this firmware's CGI does not know (``Error``): only RPC2 reaches them."""
_STEP: Final = re.compile(r"\.([A-Za-z_&:][\w&: ]*)|\[(\d{1,4})\]")


class TableError(ValueError):
    """A write that names no field of the table, or gives a value of the wrong type."""


def defaults(state: CameraState) -> dict[str, Any]:
    """Return the configuration tables of a camera out of the box, by name (not NTP)."""
    port = state.onvif_port or 80
    return {
        "T2UServer": {"Enable": True, "UUID": state.config.serial},
        "VSP_PaaS": {"Enable": True, "CustomEnable": False, "RsServerIP": ""},
        "MobilePhoneApplication": {"PushNotificationEnable": True},
        "UPnP": {
            "Enable": True,
            "StartDeviceDiscover": True,
            "Mode": "Auto",
            "MapTable": [
                {
                    "Enable": True,
                    "Protocol": "TCP",
                    "ServiceName": name,
                    "InnerPort": inner,
                    "OuterPort": inner,
                }
                for name, inner in (("HTTP", port), ("RTSP", 554))
            ],
        },
        "DDNS": [
            {
                "Enable": False,
                "Protocol": "Dahua DDNS",
                "Address": "www.dahuaddns.com",
                "Port": 80,
                "HostName": f"{state.config.serial.lower()}.dahuaddns.com",
                "UserName": "",
            }
        ],
        "Telnet": {"Enable": False},
        "CloudUpgrade": {"AutoCheck": True},
    }


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(name: str, value: Any, prefix: str = "table") -> list[str]:
    """Return the CGI lines of table ``name`` (``table.Name.Field=value``), in table order."""
    key = f"{prefix}.{name}" if not name.startswith("[") else f"{prefix}{name}"
    if isinstance(value, dict):
        lines: list[str] = []
        for field, item in value.items():
            lines += flatten(field, item, key)
        return lines
    if isinstance(value, list):
        lines = []
        for index, item in enumerate(value):
            lines += flatten(f"[{index}]", item, key)
        return lines
    return [f"{key}={_text(value)}"]


def _coerce(old: Any, text: str, where: str) -> Any:
    if isinstance(old, bool):
        if text not in {"true", "false"}:
            raise TableError(f"{where} must be true or false, not {text!r}")
        return text == "true"
    if isinstance(old, int):
        if not re.fullmatch(r"-?\d{1,10}", text):
            raise TableError(f"{where} must be a whole number, not {text!r}")
        return int(text)
    if isinstance(old, str):
        return text
    raise TableError(f"{where} is not a single value")


def set_field(tables: dict[str, Any], key: str, text: str) -> str:
    """Set ``Name.Field…=text`` (a CGI write) in ``tables``; return the table's name."""
    match = re.match(r"[A-Za-z_][\w&:]*", key)
    if match is None or match.group() not in tables:
        raise TableError(f"no table for {key!r}")
    name = match.group()
    steps = list(_STEP.finditer(key, match.end()))
    if not steps or "".join(step.group() for step in steps) != key[match.end() :]:
        raise TableError(f"not a field path: {key!r}")
    holder: Any = tables
    slot: str | int = name
    for step in steps:
        holder = holder[slot]
        field, index = step.group(1), step.group(2)
        if field is not None and isinstance(holder, dict) and field in holder:
            slot = field
        elif index is not None and isinstance(holder, list) and int(index) < len(holder):
            slot = int(index)
        else:
            raise TableError(f"{key!r} names no field of {name}")
    holder[slot] = _coerce(holder[slot], text, key)
    return name


def merge(old: Any, new: Any, where: str) -> Any:
    """Return ``old`` with what an RPC2 ``table`` sets: known fields only, of their type."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            raise TableError(f"{where} must be an object")
        merged = copy.deepcopy(old)
        for field, value in new.items():
            if field in merged:
                merged[field] = merge(merged[field], value, f"{where}.{field}")
        return merged
    if isinstance(old, list):
        if not isinstance(new, list):
            raise TableError(f"{where} must be a list")
        merged_list = copy.deepcopy(old)
        for index, value in enumerate(new[: len(old)]):
            merged_list[index] = merge(old[index], value, f"{where}[{index}]")
        return merged_list
    if isinstance(old, bool) != isinstance(new, bool) or not isinstance(new, type(old)):
        raise TableError(f"{where} must be a {type(old).__name__}")
    return new


def ntp_table(state: CameraState) -> dict[str, Any]:
    """Return the ``NTP`` table as the camera's network settings say."""
    network = state.network
    return {
        "Enable": network.ntp_enabled,
        "Address": network.ntp[0] if network.ntp else "",
        "Port": network.ntp_port,
        "TimeZone": 0,
        "UpdatePeriod": 10,
    }


def apply_ntp(state: CameraState, table: dict[str, Any]) -> None:
    """Take a written ``NTP`` table into the camera's network settings."""
    network = state.network
    network.ntp_enabled = bool(table["Enable"])
    address = str(table["Address"]).strip()
    network.ntp = [address, *network.ntp[1:]] if address else network.ntp[1:]
    network.ntp_port = int(table["Port"])
