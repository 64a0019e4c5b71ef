"""The lab cleans up after runs that were killed before their own clean-up ran."""

from __future__ import annotations

import subprocess
import sys

from .lab import ip, sweep_stale


def test_namespaces_of_dead_runs_are_swept() -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],  # noqa: S603
                          capture_output=True, text=True, check=True, timeout=20)  # fmt: skip
    name = f"hbt{gone.stdout.strip()}x0000-cam"
    ip("netns", "add", name)
    try:
        ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        sweep_stale()
        assert name not in ip("netns", "list").stdout
    finally:
        ip("netns", "delete", name, check=False)
