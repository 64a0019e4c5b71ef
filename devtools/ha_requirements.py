"""The packages Home Assistant would pip-install at run time for a set of its integrations.

    python -m devtools.ha_requirements [--except FILE ...] DOMAIN ...

prints one pinned requirement per line: the ``requirements`` of each named built-in integration
and of everything it depends on, read from the manifests of the Home Assistant installed in this
interpreter. ``script/setup`` installs them (with Home Assistant's own
``package_constraints.txt``) so that ``hass --skip-pip``, the tests and the benchmarks never
download anything at run time; :func:`missing` tells the harness what is not installed.

Reading the pins from the installed release, rather than writing them down here, is what makes
moving a test leg to a newer Home Assistant a one-line change in its requirements file: each
release pins its own frontend, PyAV and PyTurboJPEG, and its constraints reject any other pins.
"""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
import json
from pathlib import Path
import re
import sys

import homeassistant

COMPONENTS = Path(homeassistant.__file__).parent / "components"
CONSTRAINTS = Path(homeassistant.__file__).parent / "package_constraints.txt"

DEMO_DOMAINS = (
    "frontend",
    "stream",
    "camera",
    "ffmpeg",
    "webhook",
    "conversation",
    "tts",
    "assist_pipeline",
    "infrared",
    "radio_frequency",
)
"""What the demo's configuration and Homebound's manifest load, and what Home Assistant sets
up at every start whatever the configuration: from 2026.10 every entity integration, among
them ``infrared`` and ``radio_frequency``, whose packages it pins (without them every start
shows an "Invalid config" notification); the assist integrations the frontend's first list of
actions imports. Integrations a release lacks (2026.2 has no ``infrared``) are skipped."""
BENCH_DOMAINS = ("onvif",)
"""Home Assistant's own ONVIF integration, which the benchmarks run beside Homebound."""

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """Normalise a distribution name (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _manifest_list(domain: str, key: str) -> list[str]:
    """One list-valued key of a built-in integration's manifest ([] when absent)."""
    data = json.loads((COMPONENTS / domain / "manifest.json").read_text())
    return [str(item) for item in data.get(key) or []]


def _name(requirement: str) -> str | None:
    match = _NAME.match(requirement)
    return canonical(match.group(1)) if match else None


def requirements(domains: list[str] | tuple[str, ...]) -> list[str]:
    """Return the pinned requirements of ``domains`` and of everything they depend on."""
    seen: set[str] = set()
    pins: dict[str, str] = {}
    todo = list(domains)
    while todo:
        domain = todo.pop()
        if domain in seen or not (COMPONENTS / domain / "manifest.json").is_file():
            continue
        seen.add(domain)
        for requirement in _manifest_list(domain, "requirements"):
            if (name := _name(requirement)) is not None:
                pins.setdefault(name, requirement)
        todo.extend(_manifest_list(domain, "dependencies"))
    return [pins[name] for name in sorted(pins)]


def pinned_names(files: list[Path]) -> set[str]:
    """Return the distribution names that requirement files pin themselves."""
    names: set[str] = set()
    for file in files:
        for line in file.read_text().splitlines():
            text = line.split("#", 1)[0].strip()
            if text and not text.startswith("-") and (name := _name(text)) is not None:
                names.add(name)
    return names


def wanted(domains: tuple[str, ...], exclude: set[str]) -> list[str]:
    """Return the requirements of ``domains`` that no requirement file of ours pins."""
    return [pin for pin in requirements(domains) if _name(pin) not in exclude]


def missing(domains: tuple[str, ...] = DEMO_DOMAINS) -> list[str]:
    """Return the requirements of ``domains`` not installed at their pinned version."""
    absent: list[str] = []
    for pin in requirements(domains):
        name, _, pinned = pin.partition("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            absent.append(pin)
            continue
        if pinned and canonical(installed) != canonical(pinned):
            absent.append(pin)
    return absent


def main(argv: list[str] | None = None) -> int:
    """Print the requirements, one per line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("domains", nargs="*")
    parser.add_argument(
        "--except",
        dest="exclude",
        action="append",
        default=[],
        type=Path,
        help="a requirements file whose packages are left out (its own pins win)",
    )
    parser.add_argument("--constraints", action="store_true", help="print the constraints path")
    args = parser.parse_args(argv)
    if args.constraints:
        sys.stdout.write(f"{CONSTRAINTS}\n")
        return 0
    for pin in wanted(tuple(args.domains), pinned_names(args.exclude)):
        sys.stdout.write(f"{pin}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
