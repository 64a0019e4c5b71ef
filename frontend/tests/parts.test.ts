import assert from "node:assert/strict";
import { test } from "node:test";

import { tidyCameraConfig } from "../src/editor.js";
import { totals, type OverviewRow } from "../src/overview-card.js";

test("the editor writes only what differs from the defaults", () => {
  assert.deepEqual(
    tidyCameraConfig({ type: "custom:homebound-camera", device_id: "d", name: "", live: true, show_maker: false, camera_entity: undefined }),
    { type: "custom:homebound-camera", device_id: "d", show_maker: false },
  );
});

test("overview totals add up what is known", () => {
  const row = (status: OverviewRow["status"], today: number | null, total: number | null): OverviewRow => ({
    deviceId: status,
    name: status,
    status,
    today,
    total,
  });
  assert.deepEqual(totals([row("blocking", 3, 10), row("lost", null, 5), row("open", 0, 0), row("none", null, null)]), {
    cameras: 4,
    isolated: 1,
    lost: 1,
    today: 3,
    total: 15,
  });
  assert.deepEqual(totals([row("none", null, null)]), { cameras: 1, isolated: 0, lost: 0, today: null, total: null });
});
