"""Homebound's conformance: what hassfest and HACS do not check for it, and the house rules.

hassfest validates a custom integration's manifest schema and the *shape* of en.json, icons.json
and services.yaml. For a custom integration it skips the quality scale (``validate_iqs_file``
returns early), service names, descriptions and icons (core only), and it never checks that the
code's translation keys are in en.json or icons.json. It is in neither the homeassistant wheel
nor on PyPI, so it cannot run here; ``.github/workflows/validate.yml`` runs it and HACS's action
where the repository is hosted.

What the installed Home Assistant has is used instead of copied data: the manifest keys
(``loader.Manifest``), the services.yaml schema and the translation and icon loaders (through a
test ``hass``), the discovery sources, and the quality-scale rules (those that its core
integrations' quality_scale.yaml files name). ``code.Code`` reads the keys the code uses (its
docstring says how). Checked here:
- en.json holds every key the code uses, and the code names every en.json key as a string;
  every entity key has an icon; every service its translations and icon;
- quality_scale.yaml names the known rules with valid statuses, and a ``done`` rule whose
  evidence the code can show shows it (``EVIDENCE``);
- house rules: subpackages free of Home Assistant, no machine paths, DHCP matchers in step with
  the catalogue, brand images as drawn, manifest and hacs.json keys, a local iot_class,
  requirements pinned to what the tests run.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DOMAIN = "homebound"
INTEGRATION = REPO / "custom_components" / DOMAIN


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def leg() -> str:
    """``oldest`` or ``newest``: the test leg whose pins are installed."""
    installed = importlib.metadata.version("pytest-homeassistant-custom-component")
    for name in ("oldest", "newest"):
        pins = (REPO / f"requirements_{name}.txt").read_text(encoding="utf-8")
        if f"pytest-homeassistant-custom-component=={installed}\n" in pins:
            return name
    return ""
