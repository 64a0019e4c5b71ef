// A `hass` object as the frontend hands it to a card, built from a compact description.

import type { DeviceRegistryEntry, EntityRegistryDisplayEntry, HassEntity, HomeAssistant } from "../src/hass.js";

export interface FakeEntity {
  id: string;
  device?: string;
  key?: string;
  platform?: string;
  state?: string;
  attributes?: Record<string, unknown>;
  changed?: string;
  name?: string;
}

export interface FakeHass extends HomeAssistant {
  calls: Array<Record<string, unknown>>;
  ws: Array<Record<string, unknown>>;
}

export function fakeHass(
  entities: FakeEntity[],
  devices: Array<Partial<DeviceRegistryEntry> & { id: string }>,
  options: { language?: string; ws?: (message: Record<string, unknown>) => unknown } = {},
): FakeHass {
  const registry: Record<string, EntityRegistryDisplayEntry> = {};
  const states: Record<string, HassEntity> = {};
  for (const e of entities) {
    registry[e.id] = {
      entity_id: e.id,
      platform: e.platform ?? "homebound",
      device_id: e.device,
      translation_key: e.key,
      name: e.name,
    };
    if (e.state !== undefined) {
      states[e.id] = {
        entity_id: e.id,
        state: e.state,
        attributes: e.attributes ?? {},
        last_changed: e.changed ?? "2026-12-01T10:00:00+00:00",
        last_updated: e.changed ?? "2026-12-01T10:00:00+00:00",
      };
    }
  }
  const deviceMap: Record<string, DeviceRegistryEntry> = {};
  for (const d of devices) deviceMap[d.id] = { name: d.id, config_entries: [], ...d };
  const hass: FakeHass = {
    states,
    entities: registry,
    devices: deviceMap,
    locale: { language: options.language ?? "en" },
    language: options.language ?? "en",
    calls: [],
    ws: [],
    async callService(domain, service, data) {
      hass.calls.push({ domain, service, ...data });
      return undefined;
    },
    async callWS<T>(message: Record<string, unknown>): Promise<T> {
      hass.ws.push(message);
      if (!options.ws) throw new Error("unknown command");
      return options.ws(message) as T;
    },
  };
  return hass;
}

/** One camera device "Front door" with main and sub stream, detections and isolation. */
export function frontDoor(overrides: Record<string, Partial<FakeEntity>> = {}): FakeHass {
  const base: FakeEntity[] = [
    { id: "camera.front_door", device: "dev1", state: "idle", attributes: { supported_features: 2, entity_picture: "/api/camera_proxy/camera.front_door?token=abc", friendly_name: "Front door" } },
    { id: "camera.front_door_sub_stream", device: "dev1", key: "sub_stream", state: "idle" },
    { id: "binary_sensor.front_door_person", device: "dev1", key: "person", state: "off", attributes: { friendly_name: "Front door Person" } },
    { id: "binary_sensor.front_door_motion", device: "dev1", key: "motion", state: "off", attributes: { friendly_name: "Front door Motion" } },
    { id: "binary_sensor.front_door_motion_cell_2", device: "dev1", key: "motion_where", state: "off", attributes: { friendly_name: "Front door Motion Cell 2" } },
    { id: "event.front_door_detections", device: "dev1", key: "detections", state: "unknown" },
    { id: "switch.front_door_cloud_blocking", device: "dev1", key: "cloud_blocking", state: "on" },
    { id: "sensor.front_door_blocked_connection_attempts", device: "dev1", key: "blocked_attempts", state: "42" },
    { id: "sensor.front_door_last_blocked_destination", device: "dev1", key: "last_blocked", state: "easy4ipcloud.com — Dahua P2P, UDP 8800" },
    { id: "binary_sensor.front_door_cloud_isolation", device: "dev1", key: "cloud_isolation", state: "off", attributes: { problems: [] } },
    { id: "light.kitchen", device: "dev9", platform: "hue", state: "on" },
  ];
  const entities = base.map((e) => ({ ...e, ...(overrides[e.id] ?? {}) }));
  return fakeHass(entities, [
    { id: "dev1", name: "Front door", config_entries: ["entryA"] },
    { id: "dev9", name: "Kitchen light" },
  ]);
}
