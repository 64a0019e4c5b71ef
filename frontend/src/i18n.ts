// The cards' own strings, in the frontend's language. One JSON file per language under
// translations/, English complete and the reference: a language falls back key by key to
// English, "de-CH" to "de". Adding a language is adding its file and one line below.

import type { HomeAssistant } from "./hass.js";
import de from "./translations/de.json";
import en from "./translations/en.json";

export type Key = keyof typeof en;
type Strings = Partial<Record<Key, string>>;

export const LANGUAGES: Record<string, Strings> = { en, de };

/** The frontend's language: the user's choice (`hass.locale`), else `hass.language`. */
export function languageOf(hass: HomeAssistant | undefined): string {
  return hass?.locale?.language || hass?.language || "en";
}

function stringsFor(language: string): Strings[] {
  const tried: Strings[] = [];
  const exact = LANGUAGES[language];
  if (exact) tried.push(exact);
  const base = LANGUAGES[language.split("-")[0]];
  if (base && base !== exact) tried.push(base);
  tried.push(en);
  return tried;
}

export type Translate = (key: Key, values?: Record<string, string | number>) => string;

/**
 * A translator for one language. `{name}` placeholders are filled from `values`; numbers are
 * written the language's way; a key with a `_one` variant takes it when the count is singular.
 */
export function translator(language: string): Translate {
  const tables = stringsFor(language);
  const numbers = new Intl.NumberFormat(language);
  let plurals: Intl.PluralRules;
  try {
    plurals = new Intl.PluralRules(language);
  } catch {
    plurals = new Intl.PluralRules("en");
  }
  const lookup = (key: string): string | undefined => {
    for (const table of tables) {
      const text = (table as Record<string, string | undefined>)[key];
      if (text !== undefined) return text;
    }
    return undefined;
  };
  return (key, values = {}) => {
    const count = values.count;
    let text: string | undefined;
    if (typeof count === "number" && plurals.select(count) === "one") text = lookup(`${key}_one`);
    text ??= lookup(key) ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? numbers.format(value) : value;
    });
  };
}

/** "3 minutes ago", "just now", in the language; the full time goes in a tooltip. */
export function relativeTime(language: string, at: Date, now: Date, t: Translate): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return t("just_now");
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

export function absoluteTime(language: string, at: Date): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "medium" }).format(at);
}
