"""The dashboard cards' build, as the tests see it: the digest of the sources, the toolchain.

``frontend/build.mjs`` writes the SHA-256 of everything the build reads on the first line of
``custom_components/homebound/frontend/homebound-card.js``; :func:`source_digest` computes the
same here, without Node.js, so a stale build is caught on every leg. :func:`find_toolchain`
finds the pinned toolchain that ``script/setup`` installed (``script/lib/frontend.sh``): in the
newest leg's root, or in the cache on the host.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
import re
import shutil
import subprocess

REPO_ROOT = Path(__file__).resolve().parent.parent
FRONTEND = REPO_ROOT / "frontend"
BUILT = REPO_ROOT / "custom_components" / "homebound" / "frontend" / "homebound-card.js"
FIXED_INPUTS = ("build.mjs", "package.json", "package-lock.json", "tsconfig.json")
DIGEST_LINE = re.compile(r"^/\* homebound-card sources sha256:([0-9a-f]{64}) \*/$")
ROOT_OPT = Path("/opt/homebound")
BUILD_TIMEOUT = 120.0


class CardsError(RuntimeError):
    """The toolchain is missing, or a build or the unit tests failed."""


def inputs(frontend: Path = FRONTEND) -> list[str]:
    """Return the files the build reads, relative to ``frontend/`` with forward slashes, sorted."""
    files = (p for p in (frontend / "src").rglob("*") if p.is_file())
    sources = [p.relative_to(frontend).as_posix() for p in files]
    return sorted([*FIXED_INPUTS, *sources])


def source_digest(frontend: Path = FRONTEND) -> str:
    """SHA-256 over each input's path and bytes, as ``build.mjs`` computes it."""
    digest = hashlib.sha256()
    for name in inputs(frontend):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((frontend / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def built_digest(built: Path = BUILT) -> str | None:
    """Return the digest the committed build says it was made from (None when it says none)."""
    with built.open(encoding="utf-8") as handle:
        match = DIGEST_LINE.match(handle.readline().rstrip("\n"))
    return match.group(1) if match else None


def lock_stamp(frontend: Path = FRONTEND) -> str:
    """Return the lockfile's stamp naming the toolchain's directory (``stamp_of`` in common.sh)."""
    data = (frontend / "package.json").read_bytes() + (frontend / "package-lock.json").read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def _cache_dir() -> Path:
    if explicit := os.environ.get("HOMEBOUND_CACHE"):
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "homebound"


def find_toolchain() -> Path:
    """Return the directory whose ``node_modules`` holds this lockfile's toolchain."""
    name = f"frontend-{lock_stamp()}"
    for directory in (ROOT_OPT / name, _cache_dir() / name):
        if (directory / ".homebound-stamp").is_file() and (directory / "node_modules").is_dir():
            return directory
    msg = f"the cards' toolchain ({name}) is not installed: run script/setup"
    raise CardsError(msg)


def find_node() -> str:
    """Return the Node.js that runs the build."""
    node = shutil.which("node")
    if node is None:
        msg = "Node.js is not installed: run script/setup"
        raise CardsError(msg)
    return node


def _run(args: list[str]) -> str:
    proc = subprocess.run(  # noqa: S603 - our own build script with the pinned toolchain
        [find_node(), str(FRONTEND / "build.mjs"), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT,
    )
    if proc.returncode != 0:
        msg = f"build.mjs {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        raise CardsError(msg)
    return proc.stdout


def rebuild(out_dir: Path) -> Path:
    """Build the cards from the sources into ``out_dir``; return the file."""
    _run(["--toolchain", str(find_toolchain()), "--out", str(out_dir)])
    return out_dir / BUILT.name


def run_unit_tests(out_dir: Path) -> str:
    """Bundle the cards' unit tests into ``out_dir`` and run them with ``node --test``."""
    _run(["--toolchain", str(find_toolchain()), "--tests", "--out", str(out_dir)])
    tests = sorted(map(str, out_dir.glob("*.test.mjs")))
    proc = subprocess.run(  # noqa: S603 - node's test runner on our own bundles
        [find_node(), "--test", "--test-reporter=tap", *tests],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT,
    )
    if proc.returncode != 0:
        msg = f"the cards' unit tests failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
        raise CardsError(msg)
    return proc.stdout
