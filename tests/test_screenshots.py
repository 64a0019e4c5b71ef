"""``script/demo --check --screenshots DIR`` on this test leg: real PNGs of the right pages.

The demo runs once for the module, as ``script/test`` runs it (``python -m devtools.demo`` on
this leg's interpreter), with headless Chromium taking the screenshots. Each PNG is decoded with
Pillow and must be a full, non-blank 1280x800 picture; the text recorded beside it (read through
the page's shadow roots when it was taken) must hold the heading that proves which page it is.
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
DEMO_TIMEOUT = 180  # the demo's own budget; the process gets a little more
VIEWPORT = (1280, 800)
MIN_BYTES = 10_000
EXPECTED: dict[str, tuple[str, ...]] = {
    "overview": ("Virtual Camera",),
    "integration": ("Homebound", "Virtual Camera"),
    "device": ("Virtual Camera", "Sub stream", "In Front door"),
    "camera": ("Virtual Camera", "Front door"),
}
"""Lines each page must show (the camera's: inside its more-info dialog; the Overview's: on its
camera card, on the first screen)."""
KNOWN_INTERNET = {"CONNECT brands.home-assistant.io:443"}
"""What a page may ask of the internet: Home Assistant 2026.2's frontend takes integration icons
from brands.home-assistant.io (2026.10 serves custom integrations' own). Refused either way."""


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the demo check with screenshots once; return the screenshot directory."""
    out = tmp_path_factory.mktemp("screenshots")
    proc = subprocess.run(  # noqa: S603 - our own demo on this leg's interpreter
        [
            sys.executable,
            "-m",
            "devtools.demo",
            "--check",
            "--timeout",
            str(DEMO_TIMEOUT),
            "--screenshots",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=DEMO_TIMEOUT + 60,
    )
    assert proc.returncode == 0, f"demo failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert "PASS" in proc.stdout
    return out


def _record(shots: Path, name: str) -> dict[str, Any]:
    data = json.loads((shots / f"{name}.json").read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_png_is_a_real_picture(shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    assert path.stat().st_size > MIN_BYTES
    with Image.open(path) as image:
        assert image.format == "PNG"
        image.verify()
    with Image.open(path) as image:
        image.load()  # decodes every row: a truncated file fails here
        assert image.size == VIEWPORT
        low, high = image.convert("L").getextrema()
        assert isinstance(low, int | float)
        assert isinstance(high, int | float)
        assert high - low > 100, f"{name}.png is nearly blank: {low}..{high}"
    assert not (shots / f"{name}.failed.png").exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_png_shows_its_page(shots: Path, name: str) -> None:
    record = _record(shots, name)
    shown = record["scope_text"] if name in ("camera", "overview") else record["text"]
    missing = [line for line in EXPECTED[name] if line not in shown]
    assert not missing, f"{name}.png does not show {missing}; it showed {shown}"
    path = record["url"].split("?")[0]
    if name == "integration":
        assert path == "/config/integrations/integration/homebound"
    elif name == "device":
        assert path.startswith("/config/devices/device/")
    elif name == "overview":
        # The first screen a user sees ("/" opens the default dashboard), the camera on it.
        assert path == "/homebound-demo/cameras"
        assert record["scope"] == "hui-picture-entity-card"
        assert record["media"]["kind"] in ("video", "image")
    else:
        assert record["scope"] == "ha-more-info-dialog"
        assert record["media"]["kind"] in ("video", "image")
        assert (record["media"]["width"], record["media"]["height"]) == (640, 480)


def test_nothing_reached_for_the_internet_but_known_icons(shots: Path) -> None:
    network = json.loads((shots / "network.json").read_text())
    assert set(network["internet"]) <= KNOWN_INTERNET, network
