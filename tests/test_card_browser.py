"""The dashboard cards in headless Chromium against a real Home Assistant, on this test leg.

``python -m devtools.card_check`` runs once for the module on this leg's interpreter: the demo's
simulated camera in a real ``hass``, a firewall entry on nftables in a network namespace, both
cards on the Overview, and Debian's Chromium driven by playwright-core through every step the
issue names (see :mod:`devtools.card_check`). What each step saw is in ``card-check.json``;
these tests read it and the PNGs.
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys
from typing import Any

from PIL import Image
import pytest

REPO = Path(__file__).resolve().parent.parent
BUDGET = 420
STEPS = (
    "logged in",
    "live view",
    "detection lit",
    "cloud blocking turned on",
    "toggle cancelled",
    "cloud blocking turned off",
    "isolation lost: the strip is red",
    "isolation restored",
    "overview",
    "every control named",
    "dark mode and phone screenshots",
    "card picker lists the cards",
    "editor round trip",
)
PICTURES = (
    "dashboard",
    "card-camera",
    "card-detection",
    "card-lost",
    "card-overview",
    "card-dark",
    "card-phone",
    "card-picker",
    "card-editor",
)
KNOWN_INTERNET = {
    "CONNECT brands.home-assistant.io:443",
    "CONNECT demo.home-assistant.io:443",
}
"""What the frontend's own pages may ask of the internet (refused on 127.0.0.1): integration
icons on 2026.2, and the picture card's example image in the card picker's preview."""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Run the browser checks once; return the output directory and the record."""
    out = tmp_path_factory.mktemp("cards")
    proc = subprocess.run(  # noqa: S603 - our own check on this leg's interpreter
        [sys.executable, "-m", "devtools.card_check", "--out", str(out), "--timeout", str(BUDGET)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUDGET + 60,
    )
    assert proc.returncode == 0, f"card check failed:\n{proc.stdout[-8000:]}\n{proc.stderr[-3000:]}"
    assert "PASS" in proc.stdout
    record = json.loads((out / "card-check.json").read_text())
    assert isinstance(record, dict)
    return out, record


def _step(record: dict[str, Any], name: str) -> dict[str, Any]:
    found = [step for step in record["steps"] if step["name"] == name]
    assert found, f"no step {name!r} in {[s['name'] for s in record['steps']]}"
    return dict(found[-1])


def test_every_step_ran(checked: tuple[Path, dict[str, Any]]) -> None:
    _, record = checked
    names = [step["name"] for step in record["steps"]]
    for name in STEPS:
        assert name in names
    assert "failure" not in record


def test_the_live_view_is_the_frontends_stream(checked: tuple[Path, dict[str, Any]]) -> None:
    live = _step(checked[1], "live view")
    assert live["element"] == "ha-camera-stream"
    assert live["kind"] in ("video", "mjpeg", "image")
    assert (live["width"], live["height"]) == (640, 480)


def test_a_detection_lights_its_chip_within_a_second(checked: tuple[Path, dict[str, Any]]) -> None:
    lit = _step(checked[1], "detection lit")
    assert lit["aria_label"] == "Motion: detected"
    assert 0 <= lit["latency_ms"] <= 1000  # the promise, measured in the browser


def test_cloud_blocking_follows_the_card(checked: tuple[Path, dict[str, Any]]) -> None:
    record = checked[1]
    turned = [s for s in record["steps"] if s["name"].startswith("cloud blocking turned")]
    assert [(s["name"], s["via"]) for s in turned] == [
        ("cloud blocking turned on", "keyboard"),
        ("cloud blocking turned off", "mouse"),
        ("cloud blocking turned on", "mouse"),
    ]
    assert all(s["focus_on_confirm"] for s in turned)
    assert _step(record, "toggle cancelled")["switch"] == "on"


def test_lost_isolation_is_red(checked: tuple[Path, dict[str, Any]]) -> None:
    lost = _step(checked[1], "isolation lost: the strip is red")
    assert lost["background"] == lost["error"]
    assert "Isolation lost" in lost["text"]


def test_the_picker_and_the_editor(checked: tuple[Path, dict[str, Any]]) -> None:
    record = checked[1]
    names = _step(record, "card picker lists the cards")["names"]
    assert {"Homebound camera", "Homebound cameras"} <= set(names)
    trip = _step(record, "editor round trip")
    assert trip["saved"] == {
        "type": "custom:homebound-camera",
        "device_id": record["job"]["device_id"],
        "name": "Front door camera",
        "show_maker": False,
    }
    assert trip["reopened"]["name"] == "Front door camera"
    assert trip["reopened"]["show_maker"] is False


def test_suggested_from_2026_6_on(checked: tuple[Path, dict[str, Any]]) -> None:
    record = checked[1]
    year, month = (int(part) for part in record["ha_version"].split(".")[:2])
    suggested = [s for s in record["steps"] if s["name"] == "suggested for a Homebound entity"]
    assert record["job"]["suggestions"] == ((year, month) >= (2026, 6))
    if record["job"]["suggestions"]:
        assert suggested[0]["title"].endswith("Camera, detections and isolation")
    else:
        assert suggested == []  # 2026.2 has no suggestions; the card works without them


def test_the_overview_card(checked: tuple[Path, dict[str, Any]]) -> None:
    text = _step(checked[1], "overview")["text"]
    assert {"1 camera", "1 isolated", "Cloud blocked", "Virtual Camera"} <= set(text)


@pytest.mark.parametrize("name", PICTURES)
def test_screenshots_are_real_pictures(checked: tuple[Path, dict[str, Any]], name: str) -> None:
    with Image.open(checked[0] / f"{name}.png") as image:
        image.load()
        assert image.width >= 300
        assert image.height >= 300
        low, high = image.convert("L").getextrema()
        assert isinstance(low, int | float)
        assert isinstance(high, int | float)
        assert high - low > 100, f"{name}.png is nearly blank"


def test_nothing_reached_for_the_internet_but_known_pages(
    checked: tuple[Path, dict[str, Any]],
) -> None:
    record = checked[1]
    assert set(record["internet"]) <= KNOWN_INTERNET, record["internet"]
    assert record["console_errors"] == [] or all(
        "ERR_" in error or "Failed to load resource" in error for error in record["console_errors"]
    ), record["console_errors"]
