"""Camera makers and the IEEE MA-L (/24) MAC prefixes registered to them.

Plain data, no Home Assistant imports. Prefixes are six uppercase hex digits without separators.
Source: IEEE MA-L registrations as condensed in early 2025, cross-checked with Wireshark's
``manuf`` (2023). Only registrations that name the camera maker itself are listed; a
prefix seen only in third-party lists is left out until confirmed.

Deliberately absent:

* TP-Link (Tapo, VIGI): the company holds hundreds of MA-L blocks and almost all of them are
  used for routers, switches and Wi-Fi gear. Matching them would make DHCP discovery offer a
  "camera" for every TP-Link router on the network.
* Xiongmai (XMEye boards): no MA-L is registered under that name; those boards are found by
  their DVRIP port and web server instead.

An OUI names the maker of the network interface, which is often the parent OEM rather than the
brand on the box (a Lorex camera built by Dahua may carry a Dahua prefix). Use it as a hint for
discovery, never as proof of identity.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vendor:
    """A camera maker: stable key, display name, MAC prefixes, brands sold on its hardware."""

    key: str
    name: str
    ouis: tuple[str, ...]
    brands: tuple[str, ...]


# fmt: off
VENDORS: tuple[Vendor, ...] = (
    Vendor(
        key="hikvision",
        name="Hikvision",
        ouis=(
            "040312", "085411", "08A189", "08CC81", "0C75D2", "1012FB", "1868CB", "188025",
            "240F9B", "2428FD", "2432AE", "244845", "2857BE", "2CA59C", "3C1BF8", "40ACBF",
            "4419B6", "4447CC", "4CBD8F", "548C81", "5803FB", "5C345B", "64DB8B", "686DBC",
            "807C62", "8CE748", "98DF82", "A41437", "ACCB51", "BCAD28", "BCBAC2", "C056E3",
            "C42F90", "D4E853", "E0BAAD", "E0CA3C", "E8A0ED", "ECC89C", "F84DFC", "FC9FFD",
        ),
        brands=("Hikvision", "LTS", "LaView", "RCA", "Uniden"),
    ),
    Vendor(
        key="ezviz",
        name="EZVIZ",
        ouis=(
            "0CA64C", "20BBBC", "34C6DD", "54D60D", "588FCF",
            "64F2FB", "78A6A0", "78C1AE", "94EC13", "EC97E0",
        ),
        brands=("EZVIZ",),
    ),
    Vendor(
        key="dahua",
        name="Dahua",
        ouis=(
            "08EDED", "14A78B", "24526A", "30DDAA", "38AF29", "3CE36B", "3CEF8C", "4C11BF",
            "5CF51A", "64FD29", "6C1C71", "74C929", "8CE9B4", "9002A9", "98F9CC", "9C1463",
            "A0BD1D", "B44C3B", "BC325F", "C0395A", "C4AAC4", "D4430E", "E02EFE", "E0508B",
            "E4246C", "F4B1C2", "F8CE07", "FC5F49", "FCB69D",
        ),
        brands=("Dahua", "Amcrest", "Lorex", "IndigoVision", "KBVision"),
    ),
    Vendor(
        key="imou",
        name="Imou",
        # Hangzhou Huacheng Network Technology, Dahua's consumer arm. 30:24:50 and AC:3D:FA
        # appear only in a third-party list and are left out.
        ouis=("1C4D89", "906A94", "A83162"),
        brands=("Imou", "Lechange"),
    ),
    Vendor(
        key="uniview",
        name="Uniview",
        ouis=("48EA63", "6CF17E", "C47905"),
        brands=("Uniview",),
    ),
    Vendor(
        key="tiandy",
        name="Tiandy",
        ouis=("3CDA6D", "E4E66C"),
        brands=("Tiandy",),
    ),
    Vendor(
        key="hualai",
        name="Hualai",
        # Tianjin Hualai Technology builds Wyze's cameras.
        ouis=("185073", "E4AAEC"),
        brands=("Wyze",),
    ),
    Vendor(
        key="wyze",
        name="Wyze",
        # MA-L only: the MA-M blocks A4:DA:22:2 and A4:DA:22:8 are 28-bit prefixes and a
        # 24-bit match on A4:DA:22 would claim other companies' devices.
        ouis=("2CAA8E", "7C78B2", "80482C", "D03F27"),
        brands=("Wyze",),
    ),
    Vendor(
        key="reolink",
        name="Reolink",
        ouis=("EC71DB",),
        brands=("Reolink",),
    ),
    Vendor(
        key="amcrest",
        name="Amcrest",
        ouis=("00651E", "9C8ECD", "A06032"),
        brands=("Amcrest",),
    ),
    Vendor(
        key="lorex",
        name="Lorex",
        ouis=("001F54",),
        brands=("Lorex",),
    ),
    Vendor(
        key="swann",
        name="Swann",
        ouis=("BC51FE",),
        brands=("Swann",),
    ),
    Vendor(
        key="imilab",
        name="Imilab",
        ouis=("607EA4", "78DF72", "94F827", "B88880"),
        brands=("Imilab", "Xiaomi"),
    ),
    Vendor(
        key="gwell",
        name="Gwell",
        # Shenzhen Gwelltimes Technology, maker of the Yoosee / CloudLinks cameras.
        ouis=("4CB008",),
        brands=("Yoosee", "CloudLinks"),
    ),
)
# fmt: on
