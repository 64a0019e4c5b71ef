import assert from "node:assert/strict";
import { test } from "node:test";

import {
  cameraDevices,
  cameraEntities,
  cameraStub,
  cameraSuggestionConfig,
  chosenCamera,
  parseCameraConfig,
  parseOverviewConfig,
} from "../src/model.js";
import { fakeHass, frontDoor } from "./fake-hass.js";

test("entities are found by device and translation key, not by entity id", () => {
  const hass = frontDoor();
  // Renamed ids must not matter: give the switch an id that says nothing.
  const renamed = fakeHass(
    [
      { id: "camera.x1", device: "dev1", state: "idle" },
      { id: "switch.whatever", device: "dev1", key: "cloud_blocking", state: "off" },
      { id: "switch.front_door_cloud_blocking", device: "other", key: "cloud_blocking", state: "on" },
    ],
    [{ id: "dev1", name: "Front door" }, { id: "other" }],
  );
  assert.equal(cameraEntities(renamed, "dev1").cloudBlocking, "switch.whatever");

  const found = cameraEntities(hass, "dev1");
  assert.deepEqual(found.cameras, ["camera.front_door", "camera.front_door_sub_stream"]);
  assert.deepEqual(
    found.detections.map((d) => [d.kind, d.where]),
    [["motion", false], ["person", false], ["motion", true]],
  );
  assert.deepEqual(found.events, ["event.front_door_detections"]);
  assert.equal(found.blockedAttempts, "sensor.front_door_blocked_connection_attempts");
  assert.equal(found.cloudIsolation, "binary_sensor.front_door_cloud_isolation");
  assert.equal(found.makerStatus, undefined);
});

test("only devices with a Homebound camera are camera devices", () => {
  const hass = fakeHass(
    [
      { id: "camera.b", device: "b", state: "idle" },
      { id: "camera.a", device: "a", state: "idle" },
      { id: "binary_sensor.c_motion", device: "c", key: "motion", state: "off" },
      { id: "camera.foreign", device: "d", platform: "onvif", state: "idle" },
    ],
    [{ id: "a", name: "Zeta" }, { id: "b", name: "Alpha", name_by_user: "Garden" }, { id: "c" }, { id: "d" }],
  );
  assert.deepEqual(cameraDevices(hass), ["b", "a"]); // "Garden" before "Zeta"
});

test("the stub is a config the card accepts, with or without cameras", () => {
  const withCamera = cameraStub(frontDoor());
  assert.deepEqual(withCamera, { device_id: "dev1" });
  assert.doesNotThrow(() => parseCameraConfig({ type: "custom:homebound-camera", ...withCamera }));
  const empty = cameraStub(fakeHass([], []));
  assert.deepEqual(empty, {});
  assert.doesNotThrow(() => parseCameraConfig({ type: "custom:homebound-camera", ...empty }));
  assert.doesNotThrow(() => parseCameraConfig({ type: "custom:homebound-camera", ...cameraStub(undefined) }));
  assert.doesNotThrow(() => parseOverviewConfig({ type: "custom:homebound-overview" }));
});

test("a configuration of the wrong shape is refused with a message", () => {
  assert.throws(() => parseCameraConfig(null), /mapping/);
  assert.throws(() => parseCameraConfig(["x"]), /mapping/);
  assert.throws(() => parseCameraConfig({ device_id: 5 }), /device_id/);
  assert.throws(() => parseCameraConfig({ live: "yes" }), /live/);
  assert.throws(() => parseCameraConfig({ camera_entity: "sensor.x" }), /camera entity/);
  assert.throws(() => parseOverviewConfig({ title: 3 }), /title/);
  // Home Assistant's own layout options pass through untouched.
  assert.deepEqual(parseCameraConfig({ type: "custom:homebound-camera", grid_options: { columns: 6 } }).type, "custom:homebound-camera");
});

test("the configured stream is used only when it is the device's", () => {
  const found = cameraEntities(frontDoor(), "dev1");
  assert.equal(chosenCamera(found, { type: "x" }), "camera.front_door");
  assert.equal(chosenCamera(found, { type: "x", camera_entity: "camera.front_door_sub_stream" }), "camera.front_door_sub_stream");
  assert.equal(chosenCamera(found, { type: "x", camera_entity: "camera.elsewhere" }), "camera.front_door");
});

test("suggestions: the camera card for any Homebound entity of a camera device, nothing else", () => {
  const hass = frontDoor();
  assert.deepEqual(cameraSuggestionConfig(hass, "switch.front_door_cloud_blocking"), {
    type: "custom:homebound-camera",
    device_id: "dev1",
  });
  assert.deepEqual(cameraSuggestionConfig(hass, "camera.front_door_sub_stream"), {
    type: "custom:homebound-camera",
    device_id: "dev1",
    camera_entity: "camera.front_door_sub_stream",
  });
  assert.equal(cameraSuggestionConfig(hass, "light.kitchen"), null);
  assert.equal(cameraSuggestionConfig(hass, "sensor.not_registered"), null);
});
