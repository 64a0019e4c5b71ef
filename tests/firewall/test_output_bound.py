"""Command output is bounded the same way on the HA host and over SSH (one reader for both)."""

from __future__ import annotations

import pytest

from custom_components.homebound.firewall import (
    RouterOutputError,
    SshRunner,
    runner as runner_module,
)
from custom_components.homebound.firewall.runner import SubprocessRunner

from .lab import Lab, Sshd
from .test_ssh import factory, target

LIMIT = 4096


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit a test can exceed without printing 64 MiB."""
    monkeypatch.setattr(runner_module, "MAX_OUTPUT", LIMIT)


@pytest.mark.usefixtures("small_limit")
async def test_local_output_over_the_limit_is_refused() -> None:
    runner = SubprocessRunner()
    within = await runner.run(["head", "-c", str(LIMIT), "/dev/zero"])
    assert len(within.stdout) == LIMIT
    with pytest.raises(RouterOutputError, match="a command printed more than 4096 bytes"):
        await runner.run(["head", "-c", str(LIMIT + 1), "/dev/zero"])
    with pytest.raises(RouterOutputError):  # standard error is bounded too
        await runner.run(["sh", "-c", f"head -c {LIMIT + 1} /dev/zero >&2"])


@pytest.mark.usefixtures("small_limit")
async def test_router_output_over_the_limit_is_refused(lab: Lab, sshd: Sshd) -> None:
    runner = SshRunner(target(sshd), connect_socket=factory(lab))
    try:
        within = await runner.run(["head", "-c", str(LIMIT), "/dev/zero"])
        assert len(within.stdout) == LIMIT
        with pytest.raises(RouterOutputError, match="the router printed more than 4096 bytes"):
            await runner.run(["head", "-c", str(LIMIT + 1), "/dev/zero"])
    finally:
        await runner.close()
