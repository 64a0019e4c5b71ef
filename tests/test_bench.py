"""script/bench --quick: the benchmark program runs end to end (its figures are not judged)."""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys

REPO = Path(__file__).resolve().parent.parent


def test_bench_quick_runs_every_table(tmp_path: Path) -> None:
    """One run, two cameras, on this leg: every table printed, every figure in the JSON, and
    nothing Homebound was asked to do failed. Timings are never asserted (see DESIGN.md)."""
    figures_file = tmp_path / "figures.json"
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "bench", "--quick", "--json", str(figures_file)],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for title in ("Set-up of one camera", "Many cameras", "What each can add", "Firewall"):
        assert title in result.stdout
    figures = json.loads(figures_file.read_text())
    assert figures["environment"]["quick"] is True
    cameras = figures["cameras"]
    for integration in ("homebound", "onvif"):
        one, many = cameras["one"][integration], cameras["many"][integration]
        assert "error" not in one
        assert "error" not in many
        assert one["camera_s"]["runs"] == 1
        assert one["setup_requests"] > 0
        assert many["cameras"] == 2
        assert many["rss_added_mib"] > 0
    homebound = cameras["one"]["homebound"]
    assert homebound["sensor_s"] is not None
    assert homebound["snapshot_s"] is not None
    assert all(reason is None for reason in cameras["capabilities"]["homebound"].values())
    assert any(reason for reason in cameras["capabilities"]["onvif"].values())
    assert {row["cameras"] for row in figures["firewall"]["apply"]} >= {10, 100, 1000}
