"""Printing benchmark figures as plain tables, and comparing two runs' JSON files."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import sys
from typing import Any


def table(title: str, rows: list[list[str]]) -> str:
    """Return a plain text table: the first row is the header."""
    widths = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(len(rows[0]))]
    lines = [title, "-" * len(title)]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def write(text: str) -> None:
    """Print a block of output."""
    sys.stdout.write(text + "\n\n")
    sys.stdout.flush()


def _numbers(data: Any, path: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield path, float(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _numbers(value, f"{path}[{index}]")


def compare(old: Path, new: Path) -> str:
    """Each figure of two runs side by side, with new/old."""
    before = dict(_numbers(json.loads(old.read_text())))
    after = dict(_numbers(json.loads(new.read_text())))
    rows = [["figure", old.name, new.name, "new/old"]]
    for key in sorted(set(before) & set(after)):
        if key.endswith((".runs", ".cameras")) or "environment" in key:
            continue
        a, b = before[key], after[key]
        rows.append([key, f"{a:.4g}", f"{b:.4g}", f"{b / a:.2f}x" if a else "-"])
    return table(f"{old.name} -> {new.name}", rows)
