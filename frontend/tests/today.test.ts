import assert from "node:assert/strict";
import { test } from "node:test";

import { blockedToday, DailyBaseline, startOfDay, totalAtStart } from "../src/today.js";
import { fakeHass } from "./fake-hass.js";

const at = (iso: string) => new Date(iso);
const seconds = (iso: string) => at(iso).getTime() / 1000;

test("the day starts at midnight in the chosen time zone, across DST changes", () => {
  assert.equal(startOfDay(at("2026-12-01T15:30:00Z"), "UTC").toISOString(), "2026-12-01T00:00:00.000Z");
  assert.equal(startOfDay(at("2026-12-01T15:30:00Z"), "Europe/Amsterdam").toISOString(), "2026-11-30T23:00:00.000Z");
  // 00:30 in Amsterdam is still the previous day in UTC.
  assert.equal(startOfDay(at("2026-06-30T22:30:00Z"), "Europe/Amsterdam").toISOString(), "2026-06-30T22:00:00.000Z");
  // The day DST starts (29 March 2026): midnight was at +01:00, noon is at +02:00.
  assert.equal(startOfDay(at("2026-03-29T12:00:00Z"), "Europe/Amsterdam").toISOString(), "2026-03-28T23:00:00.000Z");
  assert.equal(startOfDay(at("2026-11-01T12:00:00Z"), "America/New_York").toISOString(), "2026-11-01T04:00:00.000Z");
  assert.equal(startOfDay(at("2026-12-01T03:00:00Z"), "Asia/Kolkata").toISOString(), "2026-11-30T18:30:00.000Z");
});

test("the total at the start of the day comes from the state in force then", () => {
  const start = at("2026-12-01T00:00:00Z");
  assert.equal(totalAtStart([{ s: "40", lu: seconds("2026-11-30T20:00:00Z") }, { s: "45", lu: seconds("2026-12-01T08:00:00Z") }], start), 40);
  // Unavailable at midnight: the first number after it.
  assert.equal(totalAtStart([{ s: "unavailable", lu: seconds("2026-11-30T20:00:00Z") }, { s: "41", lu: seconds("2026-12-01T01:00:00Z") }], start), 41);
  // The sensor appeared today: everything it counted is today's.
  assert.equal(totalAtStart([{ s: "7", lu: seconds("2026-12-01T09:00:00Z") }], start), 0);
  assert.equal(totalAtStart([], start), null);
  assert.equal(totalAtStart(undefined, start), null);
});

test("today's count is the difference; a reset counts from zero", () => {
  assert.equal(blockedToday(45, 40), 5);
  assert.equal(blockedToday(3, 40), 3);
  assert.equal(blockedToday(null, 40), null);
  assert.equal(blockedToday(45, null), null);
});

test("the baseline is fetched once a day from the history, and gives up without a recorder", async () => {
  let changes = 0;
  const history = fakeHass([], [], {
    ws: (message) => ({ "sensor.a": [{ s: "10", lu: Date.parse(String(message.start_time)) / 1000 - 60 }] }),
  });
  const baseline = new DailyBaseline(() => (changes += 1));
  const now = at("2026-12-01T12:00:00Z");
  baseline.refresh(history, ["sensor.a"], now);
  baseline.refresh(history, ["sensor.a"], now); // while the first is under way: no second request
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(history.ws.length, 1);
  assert.equal(history.ws[0].type, "history/history_during_period");
  assert.deepEqual(history.ws[0].entity_ids, ["sensor.a"]);
  assert.equal(baseline.today("sensor.a", 14), 4);
  assert.equal(changes, 1);
  baseline.refresh(history, ["sensor.a"], at("2026-12-01T18:00:00Z"));
  assert.equal(history.ws.length, 1, "same day, same sensors: nothing fetched again");
  baseline.refresh(history, ["sensor.a"], at("2026-12-02T00:01:00Z"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(history.ws.length, 2, "a new day fetches again");

  const noRecorder = fakeHass([], []);
  const without = new DailyBaseline(() => undefined);
  without.refresh(noRecorder, ["sensor.a"], now);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(without.available, false);
  assert.equal(without.today("sensor.a", 14), null);
});
