// "Blocked attempts today" from the recorder's history of the "Blocked connection attempts"
// sensor, which is a running total (state class total_increasing): today's count is the total
// now minus the total at the start of the day.
//
// Why history and not a new attribute or long-term statistics: the sensor's module is Home
// Assistant glue this card does not own, and statistics lag up to five minutes behind (they are
// compiled every five minutes), while one history request per day gives the start-of-day total
// and the live state gives the rest. Without the recorder (a configuration without
// `default_config`) the history command does not exist, and the cards show the total instead.

import type { HomeAssistant } from "./hass.js";

/** A state in the history API's minimal form: `s` the state, `lu` last updated (epoch seconds). */
export interface MinimalState {
  s: string;
  lu: number;
  lc?: number;
}

export type HistoryResult = Record<string, MinimalState[] | undefined>;

function zonedParts(instant: Date, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const out: Record<string, number> = {};
  for (const part of parts) if (part.type !== "literal") out[part.type] = Number(part.value);
  return out;
}

/** How far a time zone is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the day of `now` began in `timeZone` (an IANA name; undefined: this browser's). */
export function startOfDay(now: Date, timeZone?: string): Date {
  if (!timeZone) {
    const local = new Date(now);
    local.setHours(0, 0, 0, 0);
    return local;
  }
  const p = zonedParts(now, timeZone);
  const wallMidnight = Date.UTC(p.year, p.month - 1, p.day);
  // The offset at midnight can differ from the offset now (a DST change during the day): refine.
  let guess = wallMidnight - offsetAt(now, timeZone);
  guess = wallMidnight - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** The time zone "today" is counted in: the server's or the browser's, as the user chose. */
export function dayTimeZone(hass: HomeAssistant): string | undefined {
  return hass.locale?.time_zone === "server" ? hass.config?.time_zone : undefined;
}

/**
 * The running total when the day began: the first numeric state the history gives from the
 * start of the day on (the history starts with the state in force at that moment). When the
 * sensor did not exist yet at the start of the day, every attempt it counted is today's: 0.
 */
export function totalAtStart(states: MinimalState[] | undefined, start: Date): number | null {
  if (!states?.length) return null;
  const startSeconds = start.getTime() / 1000;
  if (states[0].lu > startSeconds + 1) return 0;
  for (const state of states) {
    const value = Number(state.s);
    if (state.s !== "" && Number.isFinite(value)) return value;
  }
  return null;
}

/** Today's attempts from the total now and at the start of the day (a reset counts from 0). */
export function blockedToday(total: number | null, atStart: number | null): number | null {
  if (total === null || atStart === null) return null;
  return total >= atStart ? total - atStart : total;
}

/**
 * Keeps the start-of-day totals of a set of sensors, fetched once a day (and again when the set
 * changes). `today(entityId, total)` is the count to show, or null while it is not known.
 */
export class DailyBaseline {
  private day = "";
  private key = "";
  private starts = new Map<string, number | null>();
  private pending?: Promise<void>;
  /** False once the history command failed (no recorder): the cards show totals instead. */
  available = true;

  constructor(private readonly onChange: () => void) {}

  refresh(hass: HomeAssistant, entityIds: string[], now = new Date()): void {
    const start = startOfDay(now, dayTimeZone(hass));
    const day = start.toISOString();
    const key = [...entityIds].sort().join(",");
    if (!entityIds.length || !this.available || this.pending || (day === this.day && key === this.key)) return;
    this.pending = this.fetch(hass, entityIds, start, now)
      .then((result) => {
        this.starts = new Map(entityIds.map((id) => [id, totalAtStart(result[id], start)]));
        this.day = day;
        this.key = key;
      })
      .catch(() => {
        this.available = false;
      })
      .finally(() => {
        this.pending = undefined;
        this.onChange();
      });
  }

  today(entityId: string | undefined, total: number | null): number | null {
    if (!entityId || !this.starts.has(entityId)) return null;
    return blockedToday(total, this.starts.get(entityId) ?? null);
  }

  private async fetch(hass: HomeAssistant, entityIds: string[], start: Date, now: Date): Promise<HistoryResult> {
    return hass.callWS<HistoryResult>({
      type: "history/history_during_period",
      start_time: start.toISOString(),
      end_time: now.toISOString(),
      entity_ids: entityIds,
      minimal_response: true,
      no_attributes: true,
      significant_changes_only: false,
    });
  }
}
