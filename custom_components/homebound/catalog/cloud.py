"""Cloud services the cameras phone home to, per maker: to name what the firewall blocked.

Plain data, no Home Assistant imports. This list labels blocked destinations and feeds the
periodic resolution of cloud domains; it never decides what is blocked (everything off the
allow-list is). A domain list alone cannot stop these cameras: they use IP literals, random
UDP ports and hard-coded public resolvers.

Each entry carries its source: a public capture, code or document, as gathered in the
project's vendor-cloud research. ``domains`` are names a camera resolves (resolved
periodically on the Home Assistant host into an address map); ``suffixes`` label any name
under them; ``ports`` are (protocol, port) seen outbound; ``addresses`` are fixed addresses
seen dialled without DNS.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CloudService:
    """One cloud endpoint family of one maker."""

    key: str
    vendor: str
    """A ``catalog.vendors`` key, or ``public`` for services of nobody's cameras."""
    name: str
    """What the label says: ``Dahua P2P``, ``hard-coded public DNS``."""
    source: str
    domains: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    ports: tuple[tuple[str, int], ...] = ()
    addresses: tuple[str, ...] = ()
    resolver: bool = False
    """A public DNS resolver that firmware uses whatever DHCP says."""


# fmt: off
CLOUD_SERVICES: tuple[CloudService, ...] = (
    CloudService(
        key="public_dns", vendor="public", name="hard-coded public DNS",
        source="Xiongmai capture (johndoe31415/numenworld-ipcam README); Yoosee camera log "
               "(c0decave/yoosee-ipc README)",
        ports=(("udp", 53), ("tcp", 53), ("tcp", 853)),
        addresses=("8.8.8.8", "8.8.4.4", "114.114.114.114", "223.5.5.5", "1.1.1.1",
                   "2001:4860:4860::8888"),
        resolver=True,
    ),
    CloudService(
        key="hik_connect", vendor="hikvision", name="Hikvision Hik-Connect",
        source="ISAPI /ISAPI/System/Network/EZVIZ default hostName; NVR platform-access GUI",
        domains=("litedev.hik-connect.com", "dev.hik-connect.com", "api.hik-connect.com",
                 "apiieu.hik-connect.com", "apiius.hik-connect.com"),
        suffixes=("hik-connect.com", "hik-online.com", "hikops.com", "guardingvision.com"),
        ports=(("tcp", 443),),
    ),
    CloudService(
        key="hik_isup", vendor="hikvision", name="Hikvision ISUP/EHome platform",
        source="Visiotech/Safire support article (ISUP default port 7660)",
        ports=(("tcp", 7660),),
    ),
    CloudService(
        key="ezviz", vendor="ezviz", name="EZVIZ cloud",
        source="EZVIZ DB1 capture (seanblanchfield.com, 2022); RenierM26/pyEzvizApi cas.py",
        domains=("litedev.ezvizlife.com", "dev.ezvizlife.com", "alarmeu.ezvizlife.com",
                 "apiieu.ezvizlife.com", "time.ys7.com", "devlog.ys7.com", "alarm.ezviz7.com",
                 "dev.ezviz7.com"),
        suffixes=("ezvizlife.com", "ezviz7.com", "ys7.com", "eziot.com", "hicloudcam.com",
                  "shipin7.com", "ezvizru.com"),
        ports=(("tcp", 8666), ("tcp", 31006), ("udp", 31007), ("udp", 6002), ("udp", 6003),
               ("tcp", 7760), ("tcp", 9020)),
        addresses=("34.241.130.159", "52.49.49.41", "52.214.240.162"),
    ),
    CloudService(
        key="dahua_p2p", vendor="dahua", name="Dahua P2P",
        source="khoanguyen-3fc/dh-p2p src/dh.rs MAIN_SERVER; knowledge.ic.plus Dahua P2P ports",
        domains=("www.easy4ipcloud.com", "www.dahuap2pcloud.com", "www.easy4ip.com"),
        suffixes=("easy4ipcloud.com", "easy4ip.com", "dahuap2pcloud.com", "dahuaddns.com"),
        ports=(("udp", 8800), ("udp", 8900)),
    ),
    CloudService(
        key="imou", vendor="imou", name="Imou cloud",
        source="imou_life integration constants; LCOpenSDK header (iotaccess port 10001)",
        domains=("openapi.easy4ip.com", "iotaccess.easy4ipcloud.com"),
        suffixes=("imoulife.com", "lechange.cn"),
        ports=(("tcp", 10001),),
    ),
    CloudService(
        key="amcrest_p2p", vendor="amcrest", name="Amcrest P2P",
        source="Amcrest user notes on T2UServer (p2p.amcrestview.com)",
        domains=("p2p.amcrestview.com",),
        suffixes=("amcrestview.com",),
    ),
    CloudService(
        key="lorex", vendor="lorex", name="Lorex DDNS",
        source="Raysharp SDK header NTP/DDNS choices",
        suffixes=("lorexddns.net",),
    ),
    CloudService(
        key="xmeye", vendor="xiongmai", name="Xiongmai XMEye cloud",
        source="johndoe31415/numenworld-ipcam README; KostasEreksonas/Besder-6024PB README",
        domains=("pub-cfg.secu100.net", "access-dss.secu100.net", "mac.secu100.net",
                 "caps.xmcsrv.net", "logsvr.xmcsrv.net", "pub-status.secu100.net"),
        suffixes=("secu100.net", "xmcsrv.net", "xmeye.net", "bcloud365.net", "umeye.cn",
                  "xmsecu.com", "jftechws.com"),
        ports=(("tcp", 8086), ("tcp", 7605)),
        addresses=("120.92.92.241", "3.126.12.232", "52.58.71.125", "159.138.23.80"),
    ),
    CloudService(
        key="cloudlinks", vendor="gwell", name="Yoosee CloudLinks P2P",
        source="c0decave/yoosee-ipc README (camera log, TCP 47.91.77.247:51701)",
        domains=("p2p1.cloudlinks.cn", "p2p2.cloudlinks.cn", "p2p3.cloud-links.net",
                 "p2p4.cloud-links.net", "upg1.cloudlinks.cn"),
        suffixes=("cloudlinks.cn", "cloud-links.net", "gwelltimes.com", "2cu.co", "gwell.cc",
                  "yoosee.cc"),
        ports=(("tcp", 51701), ("tcp", 10443)),
        addresses=("47.91.77.247",),
    ),
    CloudService(
        key="reolink_p2p", vendor="reolink", name="Reolink P2P",
        source="QuantumEntangledAndy/neolink discovery.rs (p2p relays on UDP 9999)",
        domains=("p2p.reolink.com", "p2p1.reolink.com", "p2p2.reolink.com",
                 "devices-apis.reolink.com", "pushx.reolink.com"),
        suffixes=("reolink.com",),
        ports=(("udp", 9999), ("tcp", 443)),
    ),
    CloudService(
        key="tapo", vendor="tplink", name="TP-Link Tapo cloud",
        source="JurajNyiri/HomeAssistant-Tapo-Control docs (hosts to block)",
        domains=("n-device-api.tplinkcloud.com", "security.iot.i.tplinknbu.com",
                 "stun.tplinkcloud.com"),
        suffixes=("tplinkcloud.com", "tplinknbu.com"),
        ports=(("tcp", 443),),
    ),
    CloudService(
        key="tutk", vendor="hualai", name="ThroughTek Kalay P2P",
        source="AlexxIT/go2rtc pkg/wyze/tutk README; IOTC_Initialize demo addresses",
        domains=("m1.iotcplatform.com", "m2.iotcplatform.com", "m3.iotcplatform.com"),
        suffixes=("iotcplatform.com", "kalayservice.com", "kalay.net.cn"),
        ports=(("udp", 32761),),
        addresses=("50.19.254.134", "122.248.234.207", "46.137.188.54", "122.226.84.253"),
    ),
    CloudService(
        key="wyze", vendor="wyze", name="Wyze cloud",
        source="AlexxIT/go2rtc pkg/wyze/cloud.go",
        domains=("auth-prod.api.wyze.com", "api.wyzecam.com"),
        suffixes=("wyze.com", "wyzecam.com"),
    ),
    CloudService(
        key="miio", vendor="imilab", name="Xiaomi miIO cloud",
        source="dgiese/dustcloud dummycloud etc_hosts snippet (robot vacuums; cameras inferred)",
        domains=("ot.io.mi.com", "ott.io.mi.com"),
        suffixes=("io.mi.com", "fds.api.xiaomi.com"),
        ports=(("udp", 8053),),
    ),
    CloudService(
        key="ezcloud", vendor="uniview", name="Uniview EZCloud",
        source="EZCloud API clients (ezcloud.uniview.com /openapi)",
        domains=("ezcloud.uniview.com", "global.ezcloud.uniview.com"),
        suffixes=("ezcloud.uniview.com", "star4live.com"),
    ),
)
# fmt: on
