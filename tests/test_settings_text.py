"""The words of the settings repair and of each change's outcome, built from translations.

No camera here: what a reading or a change turns into, line by line, including a translation
whose placeholders do not fit (English is used then, never a broken line).
"""

from __future__ import annotations

from custom_components.homebound.cameras.settings_text import (
    FEATURE_TIME,
    Texts,
    findings,
)
from custom_components.homebound.device.settings_model import (
    Outcome,
    SettingId,
    SettingRead,
    State,
    SwitchResult,
)

EXCEPTIONS = "component.homebound.exceptions"
ENGLISH = {
    f"{EXCEPTIONS}.feature_time.message": "time comes from {servers}",
    f"{EXCEPTIONS}.outcome_ignored.message": "{setting}: the camera ignored the change",
}


def test_time_and_resolvers_are_listed_once_and_only_when_outside() -> None:
    reads = [
        SettingRead(SettingId.HIK_NTP, State.ON, True, ("time.ys7.com",)),
        SettingRead(SettingId.ONVIF_NTP, State.ON, True, ("time.ys7.com",)),
        SettingRead(SettingId.ONVIF_DNS, State.ON, False, ("192.168.1.1",)),
        SettingRead(SettingId.ONVIF_GATEWAY, State.ON, True, ("192.168.1.1",)),
        SettingRead(SettingId.ONVIF_DHCP, State.ON),
        SettingRead(SettingId.HIK_UPNP, State.ON),
        SettingRead(SettingId.HIK_DDNS, State.OFF),
        SettingRead(SettingId.HIK_CONNECT, State.REFUSED, detail="403"),
    ]
    found = findings(reads)
    assert [(f.phrase, f.setting) for f in found] == [
        (FEATURE_TIME, SettingId.HIK_NTP),
        ("feature_on", SettingId.HIK_UPNP),
    ]


def test_a_translation_that_does_not_fit_falls_back_to_english() -> None:
    broken = {
        f"{EXCEPTIONS}.feature_time.message": "Zeit von {server}",  # a translator's typo
        f"{EXCEPTIONS}.outcome_ignored.message": "{setting}: ignoriert {0}",
    }
    texts = Texts(broken, ENGLISH)
    (time,) = findings([SettingRead(SettingId.ONVIF_NTP, State.ON, True, ("a.example",))])
    assert texts.finding(time) == "time comes from a.example"
    assert texts.finding(time, markdown=True) == "time comes from `a.example`"
    ignored = SwitchResult(SettingId.DAHUA_P2P, Outcome.IGNORED)
    assert texts.outcome(ignored) == "P2P cloud (T2U / Easy4ip): the camera ignored the change"


def test_without_any_text_the_placeholders_still_say_something() -> None:
    texts = Texts({}, {})
    assert texts.outcome(SwitchResult(SettingId.ONVIF_DNS, Outcome.REFUSED)) == "DNS servers"
