"""The camera figures (:mod:`bench.cameras`) as plain tables, each row saying what it measures."""

from __future__ import annotations

from typing import Any

from . import rest
from .adding import INTEGRATIONS
from .cameras import CAPABILITY_CHECKS


def _ms(x: dict[str, float] | None) -> str:
    if not x:
        return "-"
    return f"{x['median'] * 1000:.0f} ms ({x['min'] * 1000:.0f}-{x['max'] * 1000:.0f})"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def _median(x: dict[str, float] | None) -> float | None:
    return x["median"] if x else None


def _requests(counts: dict[str, int] | None) -> str:
    return ", ".join(f"{name} {n}" for name, n in (counts or {}).items()) or "none"


def _one_rows(hb: dict[str, Any], core: dict[str, Any]) -> list[list[str]]:
    rows = [["one camera", "Homebound", "built-in onvif", "ratio"]]
    if "error" in hb or "error" in core:
        rows.append(["adding it", hb.get("error", "ok"), core.get("error", "ok"), ""])
        return rows
    a, b = hb.get("user_s"), core.get("user_s")
    rows.append(
        [
            "flow opened -> camera entity (as a user lives it)",
            _ms(a),
            _ms(b),
            _ratio(_median(a), _median(b)),
        ]
    )
    rows.append(
        [
            "  of it: a search waited for before the address form",
            _ms(hb.get("discovery_s")),
            "- (none)",
            "",
        ]
    )
    for label, key in (
        ("address submitted -> camera entity", "camera_s"),
        ("address submitted -> motion sensor", "sensor_s"),
        ("first JPEG from camera_proxy", "snapshot_s"),
    ):
        a, b = hb.get(key), core.get(key)
        rows.append([label, _ms(a), _ms(b), _ratio(_median(a), _median(b))])
    a_req, b_req = hb.get("setup_requests"), core.get("setup_requests")
    rows.append(["SOAP requests during set-up", str(a_req), str(b_req), _ratio(a_req, b_req)])
    rows.append(
        [
            "  snapshots the integration fetched itself",
            str(hb.get("setup_snapshots", 0)),
            str(core.get("setup_snapshots", 0)),
            "",
        ]
    )
    rows.append(
        [
            "requests of the bench's first JPEG (not set-up)",
            _requests(hb.get("first_jpeg_requests_by_operation")),
            _requests(core.get("first_jpeg_requests_by_operation")),
            "",
        ]
    )
    return rows


def _many_rows(hb: dict[str, Any], core: dict[str, Any]) -> list[list[str]]:
    count = hb.get("cameras", core.get("cameras", "?"))
    rows = [[f"{count} cameras", "Homebound", "built-in onvif", "ratio"]]
    if "error" in hb or "error" in core:
        rows.append(["adding them", hb.get("error", "ok"), core.get("error", "ok"), ""])
        return rows
    for label, key, unit in (
        ("Home Assistant alone: start", "start_alone_s", "s"),
        (f"start with {count} entries (every entry loaded)", "start_with_cameras_s", "s"),
        ("added to the start (*)", "start_added_s", "s"),
        ("start until every camera is available", "cameras_available_s", "s"),
        ("start until every camera's events are live (**)", "events_live_s", "s"),
        ("memory per camera, added one by one", "mib_per_camera_added", "MiB"),
        ("memory per camera, after a restart", "mib_per_camera_restarted", "MiB"),
        ("  of it per camera beyond the first", "mib_per_camera_marginal", "MiB"),
    ):
        a, b = hb.get(key), core.get(key)
        text = [("-" if x is None else f"{x:.2f} {unit}") for x in (a, b)]
        rows.append([label, *text, _ratio(a, b)])
    rows.append(
        [
            "RSS after restart / added one by one",
            _ratio(hb.get("rss_restarted_mib"), hb.get("rss_added_mib")),
            _ratio(core.get("rss_restarted_mib"), core.get("rss_added_mib")),
            "",
        ]
    )
    return rows


MANY_NOTES = (
    "(*) Homebound's warm path: each entry starts with one request per camera, from what its "
    "store keeps,\n    and its event subscriptions start after the entry is loaded; the built-in "
    "probes every camera before.\n(**) Every camera was asked for an event subscription "
    "(Subscribe, or CreatePullPointSubscription)."
)


def tables(results: dict[str, Any]) -> list[tuple[str, list[list[str]], str]]:
    """Return the camera tables as rows of text (first row: header) and a note below each."""
    caps = [["camera kind", "Homebound", "built-in onvif"]]
    capabilities = results["capabilities"]
    caps.extend(
        [
            name,
            *(
                "yes" if capabilities[i][name] is None else f"cannot: {capabilities[i][name]}"
                for i in INTEGRATIONS
            ),
        ]
        for name in CAPABILITY_CHECKS
    )
    return [
        (
            "Set-up of one camera",
            _one_rows(results["one"]["homebound"], results["one"]["onvif"]),
            f"Who goes first: {results.get('order', 'Homebound')}.",
        ),
        (
            "Many cameras",
            _many_rows(results["many"]["homebound"], results["many"]["onvif"]),
            MANY_NOTES,
        ),
        (
            "At rest: requests to cameras whose events are live",
            rest.rows(results["rest"]),
            "Counted by the cameras from the moment every subscription stood; per camera per "
            "minute over the window.",
        ),
        ("What each can add", caps, ""),
    ]
