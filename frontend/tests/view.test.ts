import assert from "node:assert/strict";
import { test } from "node:test";

import { cameraEntities } from "../src/model.js";
import {
  chips,
  eventSource,
  historyPath,
  isolationGaps,
  isolationView,
  lastDetection,
  makerBadge,
  repairCount,
} from "../src/view.js";
import { fakeHass, frontDoor } from "./fake-hass.js";

test("chips are lit while their sensor is on and named without the device", () => {
  const hass = frontDoor({ "binary_sensor.front_door_person": { state: "on" }, "binary_sensor.front_door_motion": { state: "unavailable" } });
  const list = chips(hass, cameraEntities(hass, "dev1"), "Front door");
  assert.deepEqual(
    list.map((c) => [c.label, c.on, c.available, c.icon]),
    [
      ["Motion", false, false, "mdi:motion-sensor-off"],
      ["Person", true, true, "mdi:account"],
      ["Motion Cell 2", false, true, "mdi:motion-sensor-off"],
    ],
  );
});

test("the last detection is the newest starting event, else the newest sensor turned on", () => {
  let hass = frontDoor({
    "event.front_door_detections": { state: "2026-12-01T10:05:00.000+00:00", attributes: { event_type: "person_detected" } },
  });
  let last = lastDetection(hass, cameraEntities(hass, "dev1"));
  assert.equal(last?.what, "person_detected");
  assert.equal(last?.at.toISOString(), "2026-12-01T10:05:00.000Z");

  // An end ("motion_end") is no detection: fall back to the sensors.
  hass = frontDoor({
    "event.front_door_detections": { state: "2026-12-01T10:05:00+00:00", attributes: { event_type: "motion_end" } },
    "binary_sensor.front_door_motion": { state: "on", changed: "2026-12-01T09:00:00+00:00" },
  });
  last = lastDetection(hass, cameraEntities(hass, "dev1"));
  assert.equal(last?.what, "motion");
  assert.equal(last?.entityId, "binary_sensor.front_door_motion");

  assert.equal(lastDetection(frontDoor(), cameraEntities(frontDoor(), "dev1")), undefined);
});

test("the isolation strip's status: lost wins, then the switch, none without a firewall", () => {
  const hass = frontDoor();
  assert.equal(isolationView(hass, cameraEntities(hass, "dev1")).status, "blocking");
  const off = frontDoor({ "switch.front_door_cloud_blocking": { state: "off" } });
  assert.equal(isolationView(off, cameraEntities(off, "dev1")).status, "open");
  const lost = frontDoor({ "binary_sensor.front_door_cloud_isolation": { state: "on", attributes: { problems: ["rules missing"] } } });
  const view = isolationView(lost, cameraEntities(lost, "dev1"));
  assert.equal(view.status, "lost");
  assert.deepEqual(view.problems, ["rules missing"]);
  assert.equal(view.total, 42);
  assert.equal(view.lastBlocked, "easy4ipcloud.com — Dahua P2P, UDP 8800");
  const unknown = frontDoor({ "switch.front_door_cloud_blocking": { state: "unavailable" } });
  assert.equal(isolationView(unknown, cameraEntities(unknown, "dev1")).status, "unknown");

  const bare = fakeHass([{ id: "camera.a", device: "a", state: "idle" }], [{ id: "a" }]);
  const none = isolationView(bare, cameraEntities(bare, "a"));
  assert.deepEqual(none, { status: "none", blocking: null, total: null, lastBlocked: null, problems: [] });
});

test("the maker badge waits for the maker sensor and reads its attributes", () => {
  const hass = frontDoor();
  assert.equal(makerBadge(hass, cameraEntities(hass, "dev1")), undefined);
  // As the catalogue's MakerStatus.attributes() words them; the state is an enum.
  const sensor = (attributes: Record<string, unknown>, state = "listed") =>
    fakeHass([{ id: "sensor.fd_maker", device: "dev1", key: "maker_status", state, attributes }], [{ id: "dev1" }]);
  let h = sensor({
    maker: "Hikvision",
    sold_as: "LTS",
    brand: "LTS",
    badges: ["Entity List", "NDAA §889", "FCC Covered List"],
    summary: "Entity List · NDAA §889 · FCC Covered List",
    covered: true,
  });
  assert.deepEqual(makerBadge(h, cameraEntities(h, "dev1")), {
    maker: "Hikvision",
    brand: "LTS",
    regulation: "Entity List",
    covered: true,
  });
  h = sensor({ maker: "Dahua", sold_as: null, summary: "Entity List · NDAA §889", covered: true });
  assert.deepEqual(makerBadge(h, cameraEntities(h, "dev1")), { maker: "Dahua", brand: undefined, regulation: "Entity List", covered: true });
  h = sensor({ maker: "Reolink", sold_as: null, badges: [], summary: "", covered: false }, "none_known");
  assert.deepEqual(makerBadge(h, cameraEntities(h, "dev1")), { maker: "Reolink", brand: undefined, regulation: undefined, covered: false });
  h = sensor({ maker: null, badges: [] }, "unknown_maker");
  assert.equal(makerBadge(h, cameraEntities(h, "dev1")), undefined, "an unknown maker is never guessed");
  h = sensor({ maker: "Hikvision" }, "unavailable");
  assert.equal(makerBadge(h, cameraEntities(h, "dev1")), undefined);
});

test("repairs count for the camera's own config entries only, ignored ones not", () => {
  const hass = frontDoor();
  const issues = [
    { domain: "homebound", issue_id: "wrong_camera_entryA" },
    { domain: "homebound", issue_id: "vulnerable_firmware_entryA", ignored: true },
    { domain: "homebound", issue_id: "isolation_lost_entryF" },
    { domain: "other", issue_id: "x_entryA" },
    { domain: "homebound", issue_id: "wrong_camera_entryAB" },
  ];
  assert.equal(repairCount(hass, "dev1", issues), 1);
  assert.equal(repairCount(hass, "missing", issues), 0);
});

test("the history link lists the detection entities and the start", () => {
  const found = cameraEntities(frontDoor(), "dev1");
  const path = historyPath(found, new Date("2026-12-01T00:00:00Z"));
  const params = new URLSearchParams(path.split("?")[1]);
  assert.ok(path.startsWith("/history?"));
  assert.deepEqual(params.get("entity_id")?.split(","), [
    "event.front_door_detections",
    "binary_sensor.front_door_motion",
    "binary_sensor.front_door_person",
    "binary_sensor.front_door_motion_cell_2",
  ]);
  assert.equal(params.get("start_date"), "2026-12-01T00:00:00.000Z");
});

test("isolation gaps and the event source are shown once their sensors exist", () => {
  const hass = frontDoor();
  const found = cameraEntities(hass, "dev1");
  assert.equal(isolationGaps(hass, found), null);
  assert.equal(eventSource(hass, found), undefined);

  const later = fakeHass(
    [
      { id: "sensor.fd_gaps", device: "dev1", key: "isolation_gaps", state: "2" },
      { id: "sensor.fd_source", device: "dev1", key: "event_source", state: "onvif_webhook" },
    ],
    [{ id: "dev1" }],
  );
  const withSensors = cameraEntities(later, "dev1");
  assert.equal(isolationGaps(later, withSensors), 2);
  assert.deepEqual(eventSource(later, withSensors), { text: "onvif_webhook", none: false });
  later.formatEntityState = (state) => (state.state === "onvif_webhook" ? "ONVIF webhook" : state.state);
  assert.deepEqual(eventSource(later, withSensors), { text: "ONVIF webhook", none: false });
  later.states["sensor.fd_source"]!.state = "none";
  assert.equal(eventSource(later, withSensors)?.none, true);
  later.states["sensor.fd_source"]!.state = "unavailable";
  assert.equal(eventSource(later, withSensors), undefined);
});
