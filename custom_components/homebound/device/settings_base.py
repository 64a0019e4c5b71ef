"""What every maker's settings client shares: read each setting, switch off with read-back.

A maker's client says how to read one setting and how to write it off; this base turns that
into the two operations the glue calls, with the rule that makes them trustworthy: a switch is
reported as done only when reading the setting back says it is off. A camera that answers "OK"
and keeps the old value is reported as having ignored the change; one that refuses (a
read-only user) or lacks the setting is reported as such, naming the setting. Reads and writes
of one camera run one after another (cameras are small computers and some serialise their
configuration writes badly).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
import logging
from typing import TYPE_CHECKING, ClassVar

from .errors import CameraError
from .settings_model import Outcome, SettingId, SettingRead, State, SwitchResult

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_LOGGER = logging.getLogger(__name__)

_OUTCOME_OF_STATE = {
    State.REFUSED: Outcome.REFUSED,
    State.UNSUPPORTED: Outcome.UNSUPPORTED,
    State.UNREADABLE: Outcome.FAILED,
    State.FAILED: Outcome.FAILED,
}


class SettingsReader(ABC):
    """Settings of one camera that can be read one by one, and changed with read-back."""

    settings: ClassVar[tuple[SettingId, ...]]
    """Every setting this client reads, in the order it reports them."""

    @abstractmethod
    async def read_one(self, setting: SettingId) -> SettingRead:
        """Read one setting (never raises a CameraError: its state says what went wrong)."""

    async def read(self) -> tuple[SettingRead, ...]:
        """Read every setting of this maker."""
        return tuple([await self.read_one(setting) for setting in self.settings])

    async def change(
        self,
        before: SettingRead,
        write: Callable[[], Awaitable[Outcome | None]],
        *,
        done: Callable[[SettingRead], bool] = lambda after: after.state is State.OFF,
    ) -> SwitchResult:
        """Make one change and read it back; ``done`` says whether the reading shows it made.

        Nothing is written when ``before`` already shows it made, or could not be read (the
        camera's refusal or absence of the setting is the outcome then).
        """
        setting = before.setting
        if before.state in _OUTCOME_OF_STATE:
            return SwitchResult(
                setting, _OUTCOME_OF_STATE[before.state], before, None, before.detail
            )
        if done(before):
            return SwitchResult(setting, Outcome.NOTHING_TO_DO, before, before)
        try:
            refused = await write()
        except CameraError as err:
            return SwitchResult(setting, Outcome.FAILED, before, None, str(err))
        if refused is not None:
            return SwitchResult(setting, refused, before, None)
        after = await self.read_one(setting)
        if done(after):
            return SwitchResult(setting, Outcome.DONE, before, after)
        if after.state in {State.ON, State.OFF}:
            _LOGGER.info("The camera accepted a change of %s but kept it as it was", setting)
            return SwitchResult(setting, Outcome.IGNORED, before, after)
        return SwitchResult(setting, Outcome.FAILED, before, after, after.detail)


class SettingsClient(SettingsReader):
    """One maker's settings: some switch off, and the clock can be pointed elsewhere."""

    switchable: ClassVar[frozenset[SettingId]]
    """The settings ``switch_off`` turns off (time servers are pointed, not switched)."""

    @abstractmethod
    async def write_off(self, before: SettingRead) -> Outcome | None:
        """Write ``before.setting`` off; None when the camera accepted, else why not."""

    @abstractmethod
    async def set_ntp(self, server: str) -> SwitchResult:
        """Point the camera's clock at ``server``, read back."""

    async def switch_off(
        self, settings: Collection[SettingId] | None = None
    ) -> tuple[SwitchResult, ...]:
        """Switch off ``settings`` (default: every switchable one), each read back."""
        wanted = [s for s in self.settings if s in self.switchable]
        if settings is not None:
            wanted = [s for s in wanted if s in settings]
        results = []
        for setting in wanted:
            before = await self.read_one(setting)
            results.append(await self.change(before, self._writer(before)))
        return tuple(results)

    def _writer(self, before: SettingRead) -> Callable[[], Awaitable[Outcome | None]]:
        async def write() -> Outcome | None:
            return await self.write_off(before)

        return write
