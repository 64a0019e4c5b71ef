import assert from "node:assert/strict";
import { test } from "node:test";

import { LANGUAGES, languageOf, relativeTime, translator } from "../src/i18n.js";
import en from "../src/translations/en.json";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every language has only English's keys, with the same placeholders", () => {
  for (const [language, table] of Object.entries(LANGUAGES)) {
    for (const [key, text] of Object.entries(table)) {
      const english = (en as Record<string, string>)[key];
      assert.ok(english !== undefined, `${language} has a key English lacks: ${key}`);
      assert.deepEqual(placeholders(String(text)), placeholders(english), `${language}.${key}`);
    }
  }
  assert.deepEqual(Object.keys(LANGUAGES.de).sort(), Object.keys(en).sort(), "German is complete");
});

test("the frontend's language is used, with regional and English fallbacks", () => {
  assert.equal(translator("de")("cloud_blocking"), "Cloud-Sperre");
  assert.equal(translator("de-CH")("cloud_blocking"), "Cloud-Sperre");
  assert.equal(translator("fr")("cloud_blocking"), "Cloud blocking");
  assert.equal(languageOf({ locale: { language: "de" }, language: "en" } as never), "de");
  assert.equal(languageOf(undefined), "en");
});

test("placeholders, numbers and the singular", () => {
  const t = translator("en");
  assert.equal(t("blocked_today", { count: 1234 }), "1,234 blocked today");
  assert.equal(translator("de")("blocked_today", { count: 1234 }), "1.234 heute blockiert");
  assert.equal(t("cameras_total", { count: 1 }), "1 camera");
  assert.equal(t("cameras_total", { count: 2 }), "2 cameras");
  assert.equal(t("repairs", { count: 1 }), "1 repair");
  assert.equal(t("last_blocked", { destination: "a{b}" }), "Last: a{b}");
  assert.equal(t("live_view"), "Live view of {name}", "a missing value stays visible");
});

test("relative times read naturally", () => {
  const t = translator("en");
  const now = new Date("2026-12-01T12:00:00Z");
  assert.equal(relativeTime("en", new Date("2026-12-01T11:59:50Z"), now, t), "just now");
  assert.equal(relativeTime("en", new Date("2026-12-01T11:57:00Z"), now, t), "3 minutes ago");
  assert.equal(relativeTime("en", new Date("2026-12-01T09:00:00Z"), now, t), "3 hours ago");
  assert.equal(relativeTime("de", new Date("2026-11-30T12:00:00Z"), now, translator("de")), "gestern");
});
