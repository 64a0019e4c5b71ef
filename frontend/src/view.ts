// What the cards show, worked out from the states with no DOM (the entities come from
// model.ts): the chips, the last detection, the isolation strip, the maker badge, the repairs,
// and the sensors other issues add (isolation gaps, the event source), each absent until they
// exist.

import type { HassEntity, HomeAssistant } from "./hass.js";
import { DOMAIN, KIND_ICONS, MAKER_ATTRIBUTES, UNAVAILABLE, type CameraEntities, type Kind } from "./model.js";

export interface Chip {
  entityId: string;
  kind: Kind;
  label: string;
  on: boolean;
  available: boolean;
  icon: string;
}

/** The entity's name without its device's name in front ("Front door Motion" -> "Motion"). */
export function shortName(hass: HomeAssistant, entityId: string, device: string): string {
  const state = hass.states[entityId];
  const registryName = hass.entities?.[entityId]?.name;
  const full = registryName || String(state?.attributes.friendly_name ?? entityId);
  if (full.startsWith(`${device} `)) return full.slice(device.length + 1);
  return full;
}

export function chips(hass: HomeAssistant, entities: CameraEntities, device: string): Chip[] {
  return entities.detections.map(({ entityId, kind }) => {
    const state = hass.states[entityId]?.state;
    const on = state === "on";
    return {
      entityId,
      kind,
      label: shortName(hass, entityId, device),
      on,
      available: state !== undefined && !UNAVAILABLE.has(state),
      icon: KIND_ICONS[kind][on ? 1 : 0],
    };
  });
}

export interface LastDetection {
  /** The event type ("person_detected") or, without an event entity, the kind of the sensor. */
  what: string;
  /** Where it came from (the event entity, or the detection sensor). */
  entityId: string;
  at: Date;
}

const EVENT_KINDS: Record<string, Kind> = {
  motion_start: "motion",
  person_detected: "person",
  vehicle_detected: "vehicle",
  animal_detected: "animal",
  face_detected: "face",
  line_crossed: "line_crossing",
  intrusion_detected: "intrusion",
  loitering_detected: "loitering",
  tamper_detected: "tamper",
  sound_detected: "audio",
  digital_input_on: "digital_input",
};

/** The kind an event type reports; undefined for ends ("motion_end") and unknown types. */
export function eventKind(eventType: string): Kind | undefined {
  return EVENT_KINDS[eventType];
}

function validDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The camera's most recent detection: the newest event of its "Detections" entities that starts
 * something (an event entity's state is the time of its last event), or else the newest moment a
 * detection sensor turned on.
 */
export function lastDetection(hass: HomeAssistant, entities: CameraEntities): LastDetection | undefined {
  let best: LastDetection | undefined;
  for (const entityId of entities.events) {
    const state = hass.states[entityId];
    const at = validDate(state?.state);
    const eventType = state?.attributes.event_type;
    if (!at || typeof eventType !== "string" || !eventKind(eventType)) continue;
    if (!best || at > best.at) best = { what: eventType, entityId, at };
  }
  if (best) return best;
  for (const { entityId, kind } of entities.detections) {
    const state = hass.states[entityId];
    if (state?.state !== "on") continue;
    const at = validDate(state.last_changed);
    if (at && (!best || at > best.at)) best = { what: kind, entityId, at };
  }
  return best;
}

export type IsolationStatus = "none" | "lost" | "blocking" | "open" | "unknown";

export interface IsolationView {
  status: IsolationStatus;
  /** The switch's state: true = the cloud is blocked (null while it is unknown). */
  blocking: boolean | null;
  total: number | null;
  lastBlocked: string | null;
  problems: string[];
}

export function numberState(state: HassEntity | undefined): number | null {
  if (!state || UNAVAILABLE.has(state.state)) return null;
  const value = Number(state.state);
  return Number.isFinite(value) ? value : null;
}

export function isolationView(hass: HomeAssistant, entities: CameraEntities): IsolationView {
  const switchState = entities.cloudBlocking ? hass.states[entities.cloudBlocking] : undefined;
  const problem = entities.cloudIsolation ? hass.states[entities.cloudIsolation] : undefined;
  const last = entities.lastBlocked ? hass.states[entities.lastBlocked] : undefined;
  const total = numberState(entities.blockedAttempts ? hass.states[entities.blockedAttempts] : undefined);
  const blocking =
    switchState === undefined || UNAVAILABLE.has(switchState.state) ? null : switchState.state === "on";
  const rawProblems = problem?.attributes.problems;
  const problems = Array.isArray(rawProblems) ? rawProblems.map(String) : [];
  let status: IsolationStatus;
  if (!entities.cloudBlocking && !entities.cloudIsolation) status = "none";
  else if (problem?.state === "on") status = "lost";
  else if (blocking === null) status = "unknown";
  else status = blocking ? "blocking" : "open";
  return {
    status,
    blocking,
    total,
    lastBlocked: last && !UNAVAILABLE.has(last.state) ? last.state : null,
    problems,
  };
}

function firstAttribute(state: HassEntity, names: readonly string[]): unknown {
  for (const name of names) {
    const value = state.attributes[name];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

export interface MakerBadge {
  maker: string;
  brand?: string;
  regulation?: string;
  /** A US federal action in force names the maker itself (the badge is marked). */
  covered: boolean;
}

/**
 * The maker badge ("Hikvision · sold as LTS · Entity List") from the "Maker status" sensor
 * (issue 19): its attributes name the maker, the brand on the box when it differs, and the
 * actions naming the maker; the first of those is shown. No badge while the maker is unknown.
 */
export function makerBadge(hass: HomeAssistant, entities: CameraEntities): MakerBadge | undefined {
  const state = entities.makerStatus ? hass.states[entities.makerStatus] : undefined;
  if (!state || UNAVAILABLE.has(state.state)) return undefined;
  const maker = firstAttribute(state, MAKER_ATTRIBUTES.maker);
  if (typeof maker !== "string") return undefined;
  const brand = firstAttribute(state, MAKER_ATTRIBUTES.brand);
  const regulations = firstAttribute(state, MAKER_ATTRIBUTES.regulations);
  let regulation: string | undefined;
  if (Array.isArray(regulations) && regulations.length) regulation = String(regulations[0]);
  else if (typeof regulations === "string") regulation = regulations.split(" · ")[0];
  return {
    maker,
    brand: typeof brand === "string" && brand.toLowerCase() !== maker.toLowerCase() ? brand : undefined,
    regulation: regulation || undefined,
    covered: firstAttribute(state, MAKER_ATTRIBUTES.covered) === true,
  };
}

export interface RepairIssue {
  domain: string;
  issue_id: string;
  ignored?: boolean;
  dismissed_version?: string | null;
}

/**
 * The open repairs of one camera: Homebound's issues whose id carries one of the device's config
 * entry ids (the integration names them `<kind>_<entry id>`). Ignored ones are not counted.
 */
export function repairCount(hass: HomeAssistant, deviceId: string, issues: RepairIssue[]): number {
  const entries = hass.devices?.[deviceId]?.config_entries ?? [];
  if (!entries.length) return 0;
  return issues.filter(
    (issue) =>
      issue.domain === DOMAIN &&
      !issue.ignored &&
      entries.some((entry) => issue.issue_id === entry || issue.issue_id.endsWith(`_${entry}`)),
  ).length;
}

/** Where the card's "last detection" goes on a tap: the history of the camera's detections. */
export function historyPath(entities: CameraEntities, start?: Date): string {
  const ids = [...entities.events, ...entities.detections.map((d) => d.entityId)];
  const params = new URLSearchParams({ entity_id: ids.join(",") });
  if (start) params.set("start_date", start.toISOString());
  return `/history?${params.toString()}`;
}

/** "Isolation gaps (30 days)" (issue 15): how many times isolation was lost, null while absent. */
export function isolationGaps(hass: HomeAssistant, entities: CameraEntities): number | null {
  return numberState(entities.isolationGaps ? hass.states[entities.isolationGaps] : undefined);
}

export interface EventSourceView {
  /** The source in use as the frontend words the sensor's state ("ONVIF webhook"). */
  text: string;
  /** No source delivers events: the detection chips cannot be trusted. */
  none: boolean;
}

/** The "Event source" sensor (issue 16): which source delivers the camera's events. */
export function eventSource(hass: HomeAssistant, entities: CameraEntities): EventSourceView | undefined {
  const state = entities.eventSource ? hass.states[entities.eventSource] : undefined;
  if (!state || state.state === "unavailable") return undefined;
  const none = state.state === "none" || state.state === "unknown";
  const text = hass.formatEntityState ? hass.formatEntityState(state) : state.state;
  return { text, none };
}
