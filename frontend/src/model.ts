// Which entities a card shows, and its configuration, worked out from the registries with no
// DOM (what is shown of them is in view.ts): the unit tests exercise every decision directly.
//
// Entities are found by their device and by the entity registry's platform and translation key
// (`hass.entities`), never by entity-id patterns: users rename entity ids, and one device may
// have several cameras, detection sensors and (with a firewall entry) isolation entities.

import type { EntityRegistryDisplayEntry, HomeAssistant } from "./hass.js";

export const DOMAIN = "homebound";

/** Detection kinds, in the order their chips are shown (the binary sensors' translation keys). */
export const KINDS = [
  "motion",
  "person",
  "vehicle",
  "animal",
  "face",
  "line_crossing",
  "intrusion",
  "loitering",
  "tamper",
  "audio",
  "digital_input",
] as const;
export type Kind = (typeof KINDS)[number];

/** Icons per kind (off, on), as the integration's icons.json gives them. */
export const KIND_ICONS: Record<Kind, [string, string]> = {
  motion: ["mdi:motion-sensor-off", "mdi:motion-sensor"],
  person: ["mdi:account-outline", "mdi:account"],
  vehicle: ["mdi:car-off", "mdi:car"],
  animal: ["mdi:paw-off", "mdi:paw"],
  face: ["mdi:face-recognition", "mdi:face-recognition"],
  line_crossing: ["mdi:vector-line", "mdi:vector-polyline-edit"],
  intrusion: ["mdi:shield-outline", "mdi:shield-alert"],
  loitering: ["mdi:account-clock-outline", "mdi:account-clock"],
  tamper: ["mdi:cctv", "mdi:cctv-off"],
  audio: ["mdi:volume-off", "mdi:volume-high"],
  digital_input: ["mdi:electric-switch", "mdi:electric-switch-closed"],
};

/**
 * Translation keys of the entities the cards read. The last three come from issues 15, 16 and 19
 * (not on main yet): adjust them here when those sensors land.
 */
export const KEYS = {
  detections: "detections",
  detectionsWhere: "detections_where",
  cloudBlocking: "cloud_blocking",
  blockedAttempts: "blocked_attempts",
  blockedDestinations: "blocked_destinations",
  lastBlocked: "last_blocked",
  cloudIsolation: "cloud_isolation",
  makerStatus: "maker_status",
  isolationGaps: "isolation_gaps",
  eventSource: "event_source",
} as const;

/**
 * Attribute names of the "Maker status" sensor (issue 19; `MakerStatus.attributes()` in the
 * catalogue on main): its state is an enum ("listed", "none_known", ...), the words are here.
 * First match wins.
 */
export const MAKER_ATTRIBUTES = {
  maker: ["maker"],
  brand: ["sold_as"],
  /** The short names of the actions naming the maker (a list), or their " · "-joined summary. */
  regulations: ["badges", "summary"],
  covered: ["covered"],
} as const;

export const UNAVAILABLE = new Set(["unavailable", "unknown"]);

export interface Detection {
  entityId: string;
  kind: Kind;
  /** A per-rule or per-channel sensor ("Motion Cell 2"), shown after the rule-less ones. */
  where: boolean;
}

export interface CameraEntities {
  deviceId: string;
  /** The camera entities of the device, the main stream (no translation key) first. */
  cameras: string[];
  detections: Detection[];
  events: string[];
  cloudBlocking?: string;
  blockedAttempts?: string;
  blockedDestinations?: string;
  lastBlocked?: string;
  cloudIsolation?: string;
  makerStatus?: string;
  isolationGaps?: string;
  eventSource?: string;
}

function entitiesOf(hass: HomeAssistant): EntityRegistryDisplayEntry[] {
  return Object.values(hass.entities ?? {}).filter(
    (entry): entry is EntityRegistryDisplayEntry => entry !== undefined && entry.platform === DOMAIN,
  );
}

const domainOf = (entityId: string): string => entityId.slice(0, entityId.indexOf("."));

/** Devices that have a Homebound camera entity, sorted by name. */
export function cameraDevices(hass: HomeAssistant): string[] {
  const ids = new Set<string>();
  for (const entry of entitiesOf(hass)) {
    if (entry.device_id && domainOf(entry.entity_id) === "camera") ids.add(entry.device_id);
  }
  return [...ids].sort((a, b) => {
    const byName = deviceName(hass, a).localeCompare(deviceName(hass, b));
    return byName !== 0 ? byName : a.localeCompare(b);
  });
}

export function deviceName(hass: HomeAssistant, deviceId: string): string {
  const device = hass.devices?.[deviceId];
  return device?.name_by_user || device?.name || deviceId;
}

function detectionKind(key: string | null | undefined): { kind: Kind; where: boolean } | undefined {
  if (!key) return undefined;
  const where = key.endsWith("_where");
  const base = where ? key.slice(0, -"_where".length) : key;
  return (KINDS as readonly string[]).includes(base) ? { kind: base as Kind, where } : undefined;
}

/** Every entity of one Homebound camera device the cards use. */
export function cameraEntities(hass: HomeAssistant, deviceId: string): CameraEntities {
  const found: CameraEntities = { deviceId, cameras: [], detections: [], events: [] };
  const mainFirst: Array<[number, string]> = [];
  for (const entry of entitiesOf(hass)) {
    if (entry.device_id !== deviceId) continue;
    const id = entry.entity_id;
    const key = entry.translation_key ?? null;
    switch (domainOf(id)) {
      case "camera":
        mainFirst.push([key ? 1 : 0, id]);
        break;
      case "binary_sensor": {
        const detection = detectionKind(key);
        if (detection) found.detections.push({ entityId: id, ...detection });
        else if (key === KEYS.cloudIsolation) found.cloudIsolation = id;
        break;
      }
      case "event":
        if (key === KEYS.detections || key === KEYS.detectionsWhere) found.events.push(id);
        break;
      case "switch":
        if (key === KEYS.cloudBlocking) found.cloudBlocking = id;
        break;
      case "sensor":
        if (key === KEYS.blockedAttempts) found.blockedAttempts = id;
        else if (key === KEYS.blockedDestinations) found.blockedDestinations = id;
        else if (key === KEYS.lastBlocked) found.lastBlocked = id;
        else if (key === KEYS.makerStatus) found.makerStatus = id;
        else if (key === KEYS.isolationGaps) found.isolationGaps = id;
        else if (key === KEYS.eventSource) found.eventSource = id;
        break;
      default:
        break;
    }
  }
  found.cameras = mainFirst.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map(([, id]) => id);
  found.detections.sort(
    (a, b) =>
      Number(a.where) - Number(b.where) ||
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      a.entityId.localeCompare(b.entityId),
  );
  // The channel-less "Detections" entity first; per-channel ones after it.
  const eventKeys = new Map(entitiesOf(hass).map((e) => [e.entity_id, e.translation_key]));
  found.events.sort(
    (a, b) =>
      Number(eventKeys.get(a) === KEYS.detectionsWhere) - Number(eventKeys.get(b) === KEYS.detectionsWhere) ||
      a.localeCompare(b),
  );
  return found;
}

// ----------------------------------------------------------------------------- configuration

export interface CameraCardConfig {
  type: string;
  device_id?: string;
  camera_entity?: string;
  name?: string;
  live?: boolean;
  show_detections?: boolean;
  show_isolation?: boolean;
  show_maker?: boolean;
}

export interface OverviewCardConfig {
  type: string;
  title?: string;
}

const CAMERA_OPTIONS: Record<string, "string" | "boolean"> = {
  type: "string",
  device_id: "string",
  camera_entity: "string",
  name: "string",
  live: "boolean",
  show_detections: "boolean",
  show_isolation: "boolean",
  show_maker: "boolean",
};

const OVERVIEW_OPTIONS: Record<string, "string" | "boolean"> = { type: "string", title: "string" };

function checkOptions(config: unknown, options: Record<string, "string" | "boolean">): Record<string, unknown> {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error("The card's configuration must be a mapping");
  }
  const record = config as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    // Home Assistant adds layout and visibility options of its own; those are not ours to check.
    if (!(key in options)) continue;
    if (value !== undefined && value !== null && typeof value !== options[key]) {
      throw new Error(`Option "${key}" must be a ${options[key]}`);
    }
  }
  return record;
}

/** Validate a camera card's configuration (the stub, with no device yet, is valid). */
export function parseCameraConfig(config: unknown): CameraCardConfig {
  const record = checkOptions(config, CAMERA_OPTIONS);
  const camera = record.camera_entity;
  if (typeof camera === "string" && camera !== "" && !camera.startsWith("camera.")) {
    throw new Error('Option "camera_entity" must be a camera entity');
  }
  return { ...record, type: String(record.type ?? "custom:homebound-camera") } as CameraCardConfig;
}

export function parseOverviewConfig(config: unknown): OverviewCardConfig {
  const record = checkOptions(config, OVERVIEW_OPTIONS);
  return { ...record, type: String(record.type ?? "custom:homebound-overview") } as OverviewCardConfig;
}

/** The camera card's stub for the card picker: the first Homebound camera, if there is one. */
export function cameraStub(hass: HomeAssistant | undefined): Record<string, unknown> {
  const first = hass ? cameraDevices(hass)[0] : undefined;
  return first ? { device_id: first } : {};
}

/** The camera entity a card shows: the configured one if it is the device's, else the main one. */
export function chosenCamera(entities: CameraEntities, config: CameraCardConfig): string | undefined {
  if (config.camera_entity && entities.cameras.includes(config.camera_entity)) return config.camera_entity;
  return entities.cameras[0];
}

/** A card for a Homebound entity's camera device in the card picker (2026.6 and newer). */
export function cameraSuggestionConfig(hass: HomeAssistant, entityId: string): Record<string, unknown> | null {
  const entry = hass.entities?.[entityId];
  if (!entry || entry.platform !== DOMAIN || !entry.device_id) return null;
  if (!cameraDevices(hass).includes(entry.device_id)) return null;
  const config: Record<string, unknown> = { type: "custom:homebound-camera", device_id: entry.device_id };
  if (domainOf(entityId) === "camera") {
    const main = cameraEntities(hass, entry.device_id).cameras[0];
    if (entityId !== main) config.camera_entity = entityId;
  }
  return config;
}
