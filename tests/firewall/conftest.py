"""The lab fixture: namespaces made for one test and removed after it, also on failure."""

from __future__ import annotations

import atexit
from collections.abc import Iterator

import pytest

from .lab import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    """A fresh camera/router/HA/internet network; fails loudly when namespaces are refused."""
    net = Lab()
    atexit.register(net.close)
    try:
        net.create()
    except Exception:
        net.close()
        raise
    try:
        yield net
    finally:
        net.close()
        atexit.unregister(net.close)
        assert not net.leftovers()
