"""Keep the manifest's DHCP matchers in step with the vendor catalogue.

    python -m devtools.sync_dhcp           rewrite custom_components/homebound/manifest.json
    python -m devtools.sync_dhcp --check   exit 1 when the file is not what this would write

The ``dhcp`` list becomes ``[{"registered_devices": true}]`` followed by one
``{"macaddress": "<OUI>*"}`` per camera prefix of ``catalog.all_camera_ouis()``. The other keys
are kept; keys are ordered ``domain``, ``name``, then alphabetically (hassfest's rule); the file
is written as 2-space JSON with a trailing newline.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import json
from pathlib import Path
import sys
from typing import Any

from custom_components.homebound.catalog import all_camera_ouis

REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = REPO_ROOT / "custom_components" / "homebound" / "manifest.json"


def expected_dhcp() -> list[dict[str, Any]]:
    """Return the DHCP matchers the manifest should carry."""
    return [{"registered_devices": True}] + [{"macaddress": f"{oui}*"} for oui in all_camera_ouis()]


def order_keys(manifest: dict[str, Any]) -> dict[str, Any]:
    """Return ``manifest`` with keys ordered ``domain``, ``name``, then alphabetically."""
    first = [key for key in ("domain", "name") if key in manifest]
    rest = sorted(key for key in manifest if key not in first)
    return {key: manifest[key] for key in first + rest}


def synced(manifest: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``manifest`` with the catalogue's DHCP matchers and ordered keys."""
    return order_keys({**manifest, "dhcp": expected_dhcp()})


def render(manifest: dict[str, Any]) -> str:
    """Serialise a manifest the way it is stored: 2-space JSON and a trailing newline."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the manifest; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.sync_dhcp",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--check", action="store_true", help="only report whether it differs")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path: Path = args.manifest

    if not path.is_file():
        sys.stderr.write(f"sync_dhcp: {path.name} not found at {path.parent}; nothing done\n")
        return 1 if args.check else 0

    current = path.read_text(encoding="utf-8")
    data = json.loads(current)
    if not isinstance(data, dict):
        sys.stderr.write(f"sync_dhcp: {path.name} is not a JSON object\n")
        return 1
    wanted = render(synced(data))
    if current == wanted:
        sys.stdout.write(f"sync_dhcp: {path.name} is up to date\n")
        return 0
    if args.check:
        sys.stderr.write(
            f"sync_dhcp: {path.name} differs from the catalogue; run python -m devtools.sync_dhcp\n"
        )
        return 1
    path.write_text(wanted, encoding="utf-8")
    sys.stdout.write(f"sync_dhcp: wrote {path.name} ({len(all_camera_ouis())} MAC prefixes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
