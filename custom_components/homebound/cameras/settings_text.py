"""What a camera's settings audit found, and what a change came to, in the user's words.

Why the words are put together here and not by the frontend: a repair's description and an
error's message take plain placeholders, so the list of what is on ("Hik-Connect cloud
(EZVIZ platform access) is enabled", "time comes from time.ys7.com") is assembled from
translated pieces in Home Assistant's language: the setting labels (``selector.cloud_setting``,
also the choices of the ``disable_cloud_features`` action) and the phrases
(``exceptions.feature_*`` and ``exceptions.outcome_*``). Nothing a camera sent goes in but
clean host names (``SettingRead.servers`` holds only ``clean_host`` output).

Which settings count as *on* (:func:`findings`): a maker's setting that is on (its clouds, UPnP,
DDNS, Telnet: every one of them is a switch), and a time server or resolver outside the LAN.
The default gateway and DHCP are not findings: every camera with a static address has a
gateway, and taking it away is a hardening the user asks for (an action), not something to nag
about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations

from ..const import DOMAIN
from ..device.settings_model import LABELS, Outcome, SettingId, SettingRead, SwitchResult

LABEL_SELECTOR: Final = "cloud_setting"
"""The selector whose options translate the setting labels."""

TIME_SETTINGS: Final = frozenset({SettingId.HIK_NTP, SettingId.DAHUA_NTP, SettingId.ONVIF_NTP})
NOT_FINDINGS: Final = frozenset({SettingId.ONVIF_GATEWAY, SettingId.ONVIF_DHCP})

FEATURE_ON: Final = "feature_on"
FEATURE_AT: Final = "feature_at"
FEATURE_TIME: Final = "feature_time"
FEATURE_DNS: Final = "feature_dns"
FEATURE_NO_SWITCH: Final = "feature_no_switch"

OUTCOME_KEYS: Final[dict[Outcome, str]] = {
    Outcome.DONE: "outcome_done",
    Outcome.NOTHING_TO_DO: "outcome_nothing_to_do",
    Outcome.IGNORED: "outcome_ignored",
    Outcome.REFUSED: "outcome_refused",
    Outcome.UNSUPPORTED: "outcome_unsupported",
    Outcome.UNDONE_BY_DHCP: "outcome_undone_by_dhcp",
    Outcome.FAILED: "outcome_failed",
}
OUTCOME_NO_SWITCH: Final = "outcome_no_switch"
OK_OUTCOMES: Final = frozenset({Outcome.DONE, Outcome.NOTHING_TO_DO})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that is on, as the repair lists it (time and resolvers once, whoever said)."""

    phrase: str
    setting: SettingId
    servers: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """What makes two findings the same line (ONVIF and the maker's API agree on time)."""
        if self.phrase in {FEATURE_TIME, FEATURE_DNS}:
            return (self.phrase, "", self.servers)
        return (self.phrase, self.setting.value, self.servers)


def findings(reads: Iterable[SettingRead]) -> list[Finding]:
    """Return what is on among ``reads``, each thing once."""
    found: dict[tuple[str, str, tuple[str, ...]], Finding] = {}
    for read in reads:
        if not read.on or read.setting in NOT_FINDINGS:
            continue
        if read.setting in TIME_SETTINGS or read.setting is SettingId.ONVIF_DNS:
            if not read.phones_home:
                continue
            phrase = FEATURE_TIME if read.setting in TIME_SETTINGS else FEATURE_DNS
        else:  # a maker's switch: clouds, UPnP, DDNS, Telnet
            phrase = FEATURE_AT if read.servers else FEATURE_ON
        finding = Finding(phrase, read.setting, read.servers)
        found.setdefault(finding.key, finding)
    return list(found.values())


class Texts:
    """Translated labels and phrases, and the lines built from them."""

    def __init__(self, strings: Mapping[str, str], english: Mapping[str, str]) -> None:
        """Use ``strings`` as ``async_get_translations`` returns them, ``english`` when unfit."""
        self._strings = strings
        self._english = english

    def label(self, setting: SettingId) -> str:
        """Return the setting's translated label."""
        key = f"component.{DOMAIN}.selector.{LABEL_SELECTOR}.options.{setting.value}"
        return self._strings.get(key) or LABELS[setting]

    def phrase(self, key: str, **placeholders: str) -> str:
        """One phrase with its placeholders filled (English if the translation does not fit)."""
        name = f"component.{DOMAIN}.exceptions.{key}.message"
        for text in (self._strings.get(name), self._english.get(name)):
            if text:
                try:
                    return text.format(**placeholders)
                except (KeyError, IndexError, ValueError):
                    continue
        return " ".join(placeholders.values())

    def finding(self, finding: Finding, *, markdown: bool = False) -> str:
        """One line of the repair (host names as code in Markdown, so nothing is styled)."""
        hosts = [f"`{host}`" if markdown else host for host in finding.servers]
        return self.phrase(
            finding.phrase, setting=self.label(finding.setting), servers=", ".join(hosts)
        )

    def features(self, found: Iterable[Finding], no_switch_maker: str | None = None) -> str:
        """Return the repair's list: a Markdown item per finding, and a maker without switch."""
        lines = [self.finding(finding, markdown=True) for finding in found]
        if no_switch_maker is not None:
            lines.append(self.phrase(FEATURE_NO_SWITCH, maker=no_switch_maker))
        return "\n".join(f"- {line}" for line in lines)

    def outcome(self, result: SwitchResult) -> str:
        """Return what one change came to, naming the setting."""
        return self.phrase(OUTCOME_KEYS[result.outcome], setting=self.label(result.setting))

    def outcomes(self, results: Iterable[SwitchResult]) -> str:
        """Every change's outcome, one Markdown item each."""
        return "\n".join(f"- {self.outcome(result)}" for result in results)


async def async_texts(hass: HomeAssistant) -> Texts:
    """Return the labels and phrases in Home Assistant's language (English as fallback)."""
    found: dict[str, dict[str, str]] = {}
    for language in dict.fromkeys((hass.config.language, "en")):
        found[language] = {}
        for category in ("selector", "exceptions"):
            found[language] |= await async_get_translations(hass, language, category, {DOMAIN})
    return Texts(found[hass.config.language], found["en"])


async def async_raise_unless_done(
    hass: HomeAssistant,
    done: Iterable[tuple[str, Iterable[SwitchResult]]],
    problems: Iterable[str] = (),
) -> None:
    """Raise one translated error naming every change a camera did not make.

    ``done``: each camera's name and what its changes came to; ``problems``: lines already
    said (a camera Homebound cannot change). Nothing is raised when every change was made.
    """
    texts = await async_texts(hass)
    lines = list(problems) + [
        f"{camera}: {texts.outcome(result)}"
        for camera, results in done
        for result in results
        if result.outcome not in OK_OUTCOMES
    ]
    if lines:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="settings_not_changed",
            translation_placeholders={"problems": "; ".join(lines)},
        )
