"""The committed build of the dashboard cards is the build of the sources beside it.

``custom_components/homebound/frontend/homebound-card.js`` is what HACS ships; ``frontend/`` is
what people edit. These tests fail when one was changed without the other: the digest on the
build's first line must be the sources' digest, and a rebuild with the pinned toolchain must
give the committed bytes. The cards' own unit tests (``frontend/tests``, Node's test runner)
run here too, so every test leg runs them.
"""

from __future__ import annotations

from pathlib import Path
import shutil

import pytest

from devtools.cards import (
    BUILT,
    FRONTEND,
    CardsError,
    built_digest,
    rebuild,
    run_unit_tests,
    source_digest,
)


def test_the_build_names_the_sources_it_was_made_from() -> None:
    assert built_digest() == source_digest(), (
        "custom_components/homebound/frontend/homebound-card.js is stale: "
        "run script/setup (it rebuilds the cards) and commit the result"
    )


def test_an_edited_source_makes_the_build_stale(tmp_path: Path) -> None:
    copy = tmp_path / "frontend"
    shutil.copytree(FRONTEND, copy, ignore=shutil.ignore_patterns("node_modules", ".tests"))
    before = source_digest(copy)
    (copy / "src" / "translations" / "en.json").write_text("{}\n")
    assert source_digest(copy) != before
    (copy / "src" / "extra.ts").write_text("export {};\n")  # a new file counts too
    assert len({before, source_digest(copy)}) == 2


def test_a_rebuild_gives_the_committed_bytes(tmp_path: Path) -> None:
    built = rebuild(tmp_path)
    assert built.read_bytes() == BUILT.read_bytes(), (
        "a rebuild with the pinned toolchain differs from the committed file: run script/setup"
    )


def test_the_build_defines_both_cards_for_the_picker() -> None:
    text = BUILT.read_text(encoding="utf-8")
    for needle in ("homebound-camera", "homebound-overview", "customCards", "getEntitySuggestion"):
        assert needle in text
    assert "/* homebound-card sources sha256:" in text.splitlines()[0]


def test_the_cards_unit_tests_pass(tmp_path: Path) -> None:
    output = run_unit_tests(tmp_path)
    counts = dict(line[2:].split(" ", 1) for line in output.splitlines() if line.startswith("# "))
    assert counts.get("fail") == "0", output
    assert int(counts.get("pass", "0")) >= 20, output


def test_a_missing_toolchain_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("devtools.cards.lock_stamp", lambda: "0" * 16)
    with pytest.raises(CardsError, match="run script/setup"):
        rebuild(Path("unused"))
