"""Smoke test of the firewall benchmark (figures are printed, never asserted)."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_runs_quick(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.firewall", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "kernel rules" in done.stdout
    figures = json.loads(out.read_text())
    assert [row["cameras"] for row in figures["apply"]] == [10, 100, 1000]
    assert len({row["kernel_rules"] for row in figures["apply"]}) == 1
    assert figures["read"]["attempts"] == 5000


def test_guard_benchmark_runs_quick(tmp_path: Path) -> None:
    out = tmp_path / "guard.json"
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.firewall_guard", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    assert "restored in" in done.stdout
    figures = json.loads(out.read_text())
    for backend in ("local", "ssh"):
        kinds = [row["tamper"] for row in figures[backend]["tampers"]]
        assert "flush ruleset" in kinds
        assert all(row["found_by"] for row in figures[backend]["tampers"])
    assert set(figures["ssh"]["away"]) == {"unreachable_s", "pending_applied_s"}
