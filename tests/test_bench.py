"""script/bench --quick: the benchmark program runs end to end (its figures are not judged)."""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys

from bench.adding import in_order
from bench.events import attribute

REPO = Path(__file__).resolve().parent.parent


def test_bench_quick_runs_every_table(tmp_path: Path) -> None:
    """One run, two cameras, on this leg: every table printed, every figure in the JSON, and
    nothing Homebound was asked to do failed. Timings are never asserted (see DESIGN.md)."""
    figures_file = tmp_path / "figures.json"
    proc = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "bench", "--quick", "--json", str(figures_file)],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        # SIGTERM, not subprocess.run's SIGKILL: the benchmark then stops the simulators and
        # Home Assistants it started.
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stdout[-3000:] + stderr[-3000:]
    for title in (
        "Set-up of one camera",
        "Many cameras",
        "At rest: requests to cameras whose events are live",
        "What each can add",
        "Events: raised on the camera",
        "Event failover: the vendor stream dies and returns",
        "Event failover: the camera reboots",
        "Event parsers",
        "Firewall",
    ):
        assert title in stdout
    figures = json.loads(figures_file.read_text())
    assert figures["environment"]["quick"] is True
    cameras = figures["cameras"]
    for integration in ("homebound", "onvif"):
        one, many = cameras["one"][integration], cameras["many"][integration]
        assert "error" not in one
        assert "error" not in many
        assert one["camera_s"]["runs"] == 2
        assert one["user_s"]["median"] >= one["camera_s"]["median"]
        assert one["setup_requests"] > 0
        assert "snapshot" not in one["setup_requests_by_operation"] or one["setup_snapshots"]
        assert many["cameras"] == 2
        assert many["rss_added_mib"] > 0
        assert many["events_live_s"] is not None
        rest = cameras["rest"][integration]
        assert "error" not in rest, rest
        assert rest["cameras"] == 1
        assert rest["per_camera_per_minute"] >= 0
    # The bench's own JPEG request is counted apart from set-up: the snapshot a camera served
    # because the bench asked camera_proxy for it is never a set-up request.
    for integration in ("homebound", "onvif"):
        runs = cameras["one"][integration]["requests_by_run"]
        assert len(runs) == 2
        assert any(run["first_jpeg"].get("snapshot") for run in runs), runs
    homebound = cameras["one"]["homebound"]
    assert homebound["sensor_s"] is not None
    assert homebound["snapshot_s"] is not None
    assert all(reason is None for reason in cameras["capabilities"]["homebound"].values())
    assert any(reason for reason in cameras["capabilities"]["onvif"].values())
    assert {row["cameras"] for row in figures["firewall"]["apply"]} >= {10, 100, 1000}
    # Every Homebound source delivered every change of the smoke run, through the source the
    # case asked for; the built-in integration's cases ran (what they lose is a figure).
    events = figures["events"]
    assert set(events["homebound"]) == {
        "ONVIF webhook",
        "ONVIF PullPoint",
        "Hikvision alert stream",
        "Dahua event stream",
    }
    for label, case in events["homebound"].items():
        assert "error" not in case, label
        assert case["single"]["lost"] == 0, label
        assert case["spaced"]["lost"] == 0, label
        assert case["burst"]["lost"] == 0, label
    assert events["homebound"]["Dahua event stream"]["source"] == "dahua_event_stream"
    assert all("error" not in case for case in events["onvif"].values())
    assert all(rate > 0 for rate in figures["event_parsers"].values())
    # The stream killed and stalled: Homebound fell back, moved back up, and lost nothing; a
    # reboot: Homebound showed events again (what the built-in does is a figure).
    failover = figures["failover"]
    for persona, cases in failover["vendor_stream"].items():
        for case, found in cases.items():
            assert "error" not in found, (persona, case, found)
            assert found["fallback_s"] is not None, (persona, case)
            assert found["moved_up_s"] is not None, (persona, case)
            assert found["lost_falling"] == found["lost_moving_up"] == 0, (persona, case)
    for persona, sides in failover["reboot"].items():
        assert sides["homebound"]["events_again_s"] is not None, persona
        assert "error" not in sides["onvif"], persona


def test_burst_changes_are_attributed_to_what_was_raised() -> None:
    """Shown changes are matched in order with the raised ones, also when the source is
    slower than the burst's spacing; what the sensor never showed on its own is lost."""
    raised = [(0.00, "on"), (0.01, "off"), (0.02, "on"), (0.03, "off")]
    every = [(0.001, "on"), (0.012, "off"), (0.021, "on"), (0.034, "off")]
    latencies, lost = attribute(raised, every)
    assert lost == 0
    assert [round(x, 3) for x in latencies] == [0.001, 0.002, 0.001, 0.004]
    # Each change shown 25 ms late, after the next one was already raised: none lost.
    late = [(t + 0.025, state) for t, state in raised]
    latencies, lost = attribute(raised, late)
    assert lost == 0
    assert [round(x, 3) for x in latencies] == [0.025] * 4
    # Merged: the first start seen at once, then only the final end, late.
    latencies, lost = attribute(raised, [(0.005, "on"), (0.75, "off")])
    assert lost == 2
    assert [round(x, 3) for x in latencies] == [0.005, 0.74]
    # A change shown before anything was raised is nobody's.
    assert attribute(raised, [(-1.0, "off")]) == ([], 4)


def test_who_goes_first_alternates() -> None:
    assert in_order(0) == ("homebound", "onvif")
    assert in_order(1) == ("onvif", "homebound")
    assert in_order(2) == in_order(0)
