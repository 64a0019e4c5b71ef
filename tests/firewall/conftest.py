"""The lab fixture: namespaces made for one test and removed after it, also on failure."""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from pathlib import Path

import pytest

from .lab import Lab, Sshd


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


@pytest.fixture
def sshd(lab: Lab, tmp_path: Path) -> Iterator[Sshd]:
    """sshd in the router, its host key and the client's key in a temp directory."""
    server = Sshd(lab, tmp_path)
    client = server.keygen("client")
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(client.with_suffix(".pub").read_text())
    server.start(server.keygen("host_a"), authorized)
    try:
        yield server
    finally:
        server.stop()
