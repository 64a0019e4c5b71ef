// Drive Homebound's dashboard cards in a Chromium that devtools/card_check.py started.
//
//   node devtools/card_check.mjs JOB.json
//
// Each step waits on conditions only (text, classes, the entity's state), each wait bounded by
// the job's budget and step time; what a step saw goes into card-check.json, and the PNGs are
// the README's. Requests this process may not make itself (a detection on the simulator, the
// firewall breaking) go to the Python side's control server on 127.0.0.1.

import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { chromium } = createRequire(join(job.playwright_dir, "package.json"))("playwright-core");

const end = Date.now() + job.budget_ms;
const POLL_MS = 50;
const DETECTION_LIMIT_MS = 1000; // issue 21: a raised detection lights its chip within a second
const record = { steps: [], console_errors: [] };

function left(what) {
  const ms = end - Date.now();
  if (ms <= 0) throw new Error(`timed out (${job.budget_ms / 1000}s budget) waiting for ${what}`);
  return Math.min(ms, job.step_ms);
}

function say(line) {
  process.stdout.write(`${line}\n`);
}

function step(name, data) {
  record.steps.push({ name, ...data });
  say(`   browser: ${name}${data && Object.keys(data).length ? ` ${JSON.stringify(data)}` : ""}`);
}

async function control(path) {
  const response = await fetch(`${job.control}${path}`, { method: "POST" });
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
  return response.json();
}

// Runs in every page before its own scripts: finding things through open shadow roots.
function installHelpers() {
  const children = (node) => [...(node.shadowRoot ? node.shadowRoot.childNodes : []), ...node.childNodes];
  // In document order (shadow content before light children), so "the first card" is the first.
  const deepAll = (root, selector) => {
    const found = [];
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      if (node.nodeType === Node.ELEMENT_NODE && node.matches(selector)) found.push(node);
      stack.push(...children(node).reverse());
    }
    return found;
  };
  const text = (root) => {
    const lines = [];
    const walk = (node) => {
      for (const child of children(node)) {
        if (child.nodeType === Node.TEXT_NODE) {
          const t = child.textContent.replace(/\s+/g, " ").trim();
          if (t) lines.push(t);
        } else if (child.nodeType === Node.ELEMENT_NODE && !["SCRIPT", "STYLE"].includes(child.tagName)) {
          walk(child);
        }
      }
    };
    walk(root);
    return lines;
  };
  const card = (tag) => deepAll(document, tag)[0] ?? null;
  const inCard = (tag, selector) => card(tag)?.shadowRoot?.querySelector(selector) ?? null;
  const deepActive = () => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el;
  };
  globalThis.__hb = {
    deepAll,
    text,
    card,
    inCard,
    deepActive,
    hass: () => document.querySelector("home-assistant")?.hass,
    cardText: (tag) => (card(tag)?.shadowRoot ? text(card(tag).shadowRoot) : null),
    media: (tag) => {
      const root = card(tag)?.shadowRoot;
      if (!root) return null;
      for (const video of deepAll(root, "video")) {
        if (video.readyState >= 2 && video.currentTime > 0 && video.videoWidth > 0) {
          return { kind: "video", width: video.videoWidth, height: video.videoHeight };
        }
      }
      for (const img of deepAll(root, "img")) {
        if (img.complete && img.naturalWidth > 0 && /camera_proxy/.test(img.currentSrc)) {
          return { kind: /camera_proxy_stream/.test(img.currentSrc) ? "mjpeg" : "image", width: img.naturalWidth, height: img.naturalHeight };
        }
      }
      return null;
    },
  };
}

class Checker {
  constructor(page) {
    this.page = page;
    page.on("console", (message) => {
      if (message.type() === "error") record.console_errors.push(message.text().slice(0, 300));
    });
  }

  async until(what, fn, arg, polling = POLL_MS) {
    const handle = await this.page.waitForFunction(fn, arg ?? null, { timeout: left(what), polling });
    return handle.jsonValue();
  }

  async login() {
    const page = this.page;
    await page.goto(`${job.base_url}/`, { waitUntil: "load", timeout: left("the login page") });
    await page.waitForURL((url) => url.pathname.startsWith("/auth/authorize"), { timeout: left("the login page") });
    await page.locator("input[name=username]").fill(job.username, { timeout: left("the username field") });
    await page.locator("input[name=password]").fill(job.password, { timeout: left("the password field") });
    await page.locator("input[name=password]").press("Enter", { timeout: left("the login button") });
    await page.waitForURL((url) => !url.pathname.startsWith("/auth/"), { timeout: left("the login to finish") });
    await this.until("the frontend to connect", () => {
      const hass = globalThis.__hb.hass();
      return !!(hass && hass.connected && hass.user && hass.config?.state === "RUNNING");
    });
    if (job.confirm_http_dialog) {
      const title = job.confirm_http_dialog;
      await this.until(`the dialog "${title}"`, (want) => globalThis.__hb.text(document).includes(want), title);
      await page.getByRole("button", { name: "Confirm", exact: true }).click({ timeout: left("its Confirm button") });
      await this.until(`"${title}" to close`, (want) => !globalThis.__hb.text(document).includes(want), title);
    }
    step("logged in", { user: job.username });
  }

  async navigate(path) {
    await this.page.evaluate((target) => {
      history.pushState(null, "", target);
      window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
    }, path);
    await this.page.waitForURL((url) => url.pathname === path.split("?")[0], { timeout: left(`the route ${path}`) });
  }

  async shot(name, selector) {
    // No focus ring from the last key press in the pictures; a frame for the last change.
    await this.page.evaluate(() => globalThis.__hb.deepActive()?.blur?.());
    await this.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const path = join(job.out_dir, `${name}.png`);
    if (selector) {
      const handle = await this.page.evaluateHandle((tag) => globalThis.__hb.card(tag), selector);
      await handle.asElement().screenshot({ path, timeout: left(`the ${name} screenshot`), animations: "disabled" });
    } else {
      await this.page.screenshot({ path, timeout: left(`the ${name} screenshot`), animations: "disabled" });
    }
  }

  entityState(entityId) {
    return this.page.evaluate((id) => globalThis.__hb.hass()?.states[id]?.state ?? null, entityId);
  }

  // 1. The card renders the live view.
  async liveView() {
    await this.navigate(job.dashboard);
    await this.until("the camera card", (name) => (globalThis.__hb.cardText("homebound-camera") || []).includes(name), job.device_name);
    const media = await this.until("the camera card's picture", () => globalThis.__hb.media("homebound-camera"));
    const stream = await this.page.evaluate(() => !!globalThis.__hb.inCard("homebound-camera", "ha-camera-stream"));
    if (!stream) throw new Error("the card does not use the frontend's ha-camera-stream");
    step("live view", { element: "ha-camera-stream", ...media });
    record.media = media;
    await this.shot("card-camera", "homebound-camera");
  }

  // Every control of both cards can be named by a screen reader and reached with the keyboard.
  async accessibility() {
    const problems = await this.page.evaluate(() => {
      const found = [];
      for (const tag of ["homebound-camera", "homebound-overview"]) {
        const root = globalThis.__hb.card(tag)?.shadowRoot;
        if (!root) {
          found.push(`${tag}: not rendered`);
          continue;
        }
        for (const el of root.querySelectorAll("button, [role=switch], [role=alertdialog]")) {
          const name = (el.getAttribute("aria-label") || el.textContent || "").trim();
          if (!name) found.push(`${tag}: a ${el.tagName.toLowerCase()} without a name`);
          if (el.tagName === "BUTTON" && el.tabIndex < 0) found.push(`${tag}: "${name}" is out of the tab order`);
        }
        for (const img of root.querySelectorAll("img")) {
          if (!img.hasAttribute("alt")) found.push(`${tag}: an image without alt`);
        }
      }
      return found;
    });
    if (problems.length) throw new Error(`accessibility: ${problems.join("; ")}`);
    const buttons = await this.page.evaluate(() => globalThis.__hb.card("homebound-camera").shadowRoot.querySelectorAll("button").length);
    step("every control named", { camera_card_buttons: buttons });
  }

  // 2. A raised detection lights its chip within a second.
  async detection() {
    const chip = '.chip[data-kind="motion"]';
    await this.until("the motion chip, off", (sel) => {
      const el = globalThis.__hb.inCard("homebound-camera", sel);
      return !!el && !el.classList.contains("on");
    }, chip);
    const started = Date.now();
    await control("/motion/on");
    await this.until("the motion chip to light", (sel) => globalThis.__hb.inCard("homebound-camera", sel)?.classList.contains("on"), chip, "raf");
    const latency = Date.now() - started;
    const label = await this.page.evaluate((sel) => globalThis.__hb.inCard("homebound-camera", sel).getAttribute("aria-label"), chip);
    step("detection lit", { latency_ms: latency, aria_label: label });
    record.detection_ms = latency;
    if (latency > DETECTION_LIMIT_MS) throw new Error(`the motion chip lit after ${latency} ms (more than a second)`);
    await this.until("the last detection line", () => {
      const last = globalThis.__hb.inCard("homebound-camera", ".last .when")?.textContent ?? "";
      return last.includes("just now") ? last : false;
    });
    await this.shot("card-detection", "homebound-camera");
    await control("/motion/off");
    await this.until("the motion chip to go out", (sel) => !globalThis.__hb.inCard("homebound-camera", sel)?.classList.contains("on"), chip);
  }

  // 3. Toggling Cloud blocking on the card changes the switch (after its confirmation).
  async toggle(viaKeyboard, turnOn, confirm = true) {
    const switchId = job.entities.cloud_blocking;
    const before = await this.entityState(switchId);
    const want = turnOn ? "on" : "off";
    if (before === want) throw new Error(`the switch is ${before} already`);
    const toggle = this.page.locator("homebound-camera").locator(".toggle");
    if (viaKeyboard) {
      await toggle.focus({ timeout: left("the toggle") });
      await this.page.keyboard.press("Enter");
    } else {
      await toggle.click({ timeout: left("the toggle") });
    }
    await this.until("the confirmation", () => !!globalThis.__hb.inCard("homebound-camera", ".confirm[role=alertdialog]"));
    const focused = await this.page.evaluate(() => globalThis.__hb.deepActive()?.className ?? "");
    const question = await this.page.evaluate(() => globalThis.__hb.inCard("homebound-camera", "#confirm-title").textContent);
    if (!confirm) {
      await this.page.keyboard.press("Escape");
      await this.until("the confirmation to close", () => !globalThis.__hb.inCard("homebound-camera", ".confirm"));
      const after = await this.entityState(switchId);
      if (after !== before) throw new Error(`cancelling changed the switch to ${after}`);
      step("toggle cancelled", { question, switch: after });
      return;
    }
    if (viaKeyboard) {
      if (!focused.includes("primary")) throw new Error(`the confirmation did not take the focus (${focused})`);
      await this.page.keyboard.press("Enter");
    } else {
      await this.page.locator("homebound-camera").locator(".confirm .primary").click({ timeout: left("the confirm button") });
    }
    await this.until(`${switchId} to turn ${want}`, ([id, w]) => globalThis.__hb.hass()?.states[id]?.state === w, [switchId, want]);
    await this.until("the card's switch to follow", (w) => globalThis.__hb.inCard("homebound-camera", ".toggle")?.getAttribute("aria-checked") === (w === "on" ? "true" : "false"), want);
    step(`cloud blocking turned ${want}`, { via: viaKeyboard ? "keyboard" : "mouse", question, focus_on_confirm: focused.includes("primary") });
  }

  // 4. Lost isolation turns the strip red.
  async lostIsolation() {
    const problem = job.entities.cloud_isolation;
    await this.until(`${problem} to be off`, (id) => globalThis.__hb.hass()?.states[id]?.state === "off", problem);
    await control("/isolation/lose");
    await this.until("the isolation strip to turn red", () => globalThis.__hb.inCard("homebound-camera", ".isolation.lost .strip[role=alert]"));
    const colours = await this.page.evaluate(() => {
      const strip = globalThis.__hb.inCard("homebound-camera", ".isolation.lost");
      const probe = document.createElement("div");
      probe.style.color = "var(--error-color)";
      strip.appendChild(probe);
      const error = getComputedStyle(probe).color;
      probe.remove();
      return { background: getComputedStyle(strip).backgroundColor, error };
    });
    if (colours.background !== colours.error) throw new Error(`the lost strip is ${colours.background}, not the theme's error colour ${colours.error}`);
    const text = await this.page.evaluate(() => globalThis.__hb.text(globalThis.__hb.inCard("homebound-camera", ".isolation")));
    step("isolation lost: the strip is red", { ...colours, text });
    await this.shot("card-lost", "homebound-camera");
    await control("/isolation/restore");
    await this.until("the strip to recover", () => {
      const section = globalThis.__hb.inCard("homebound-camera", ".isolation");
      return !!section && !section.classList.contains("lost");
    });
    step("isolation restored");
  }

  async overview() {
    await this.until("the overview card", (name) => (globalThis.__hb.cardText("homebound-overview") || []).includes(name), job.device_name);
    const text = await this.page.evaluate(() => globalThis.__hb.cardText("homebound-overview"));
    for (const want of ["1 camera", "1 isolated", "Cloud blocked"]) {
      if (!text.includes(want)) throw new Error(`the overview card does not show "${want}": ${JSON.stringify(text)}`);
    }
    step("overview", { text });
    await this.shot("card-overview", "homebound-overview");
    await this.shot("dashboard"); // the Overview, Cloud blocking on again
  }

  // 5. The card picker lists both cards (their previews are built from getStubConfig).
  async picker() {
    const page = this.page;
    await this.navigate(`${job.dashboard}?edit=1`);
    await page.getByRole("button", { name: "Add card" }).click({ timeout: left("the Add card button") });
    if (job.suggestions) await this.suggestion();
    const picker = page.locator("hui-card-picker");
    await picker.waitFor({ timeout: left("the card picker") });
    await picker.locator("input").first().fill("Homebound", { timeout: left("the card search") });
    const ours = picker.locator(".card").filter({ has: page.locator("homebound-camera") });
    await ours.waitFor({ timeout: left("the camera card in the picker") });
    await picker.locator(".card").filter({ has: page.locator("homebound-overview") }).waitFor({ timeout: left("the overview card in the picker") });
    await this.until("the previews to render", () => {
      const cards = globalThis.__hb.deepAll(document, "hui-card-picker")[0]?.shadowRoot?.querySelectorAll(".card") ?? [];
      const text = [...cards].map((c) => globalThis.__hb.text(c).join(" "));
      return text.some((t) => t.includes("Cloud blocking")) && text.some((t) => t.includes("1 camera")) ? text : false;
    });
    const names = await this.page.evaluate(() =>
      [...globalThis.__hb.deepAll(document, "hui-card-picker")[0].shadowRoot.querySelectorAll(".card .card-header")].map((h) => h.textContent.trim()),
    );
    step("card picker lists the cards", { names });
    await this.shot("card-picker");
    await ours.click({ timeout: left("the camera card in the picker") });
  }

  // 5b. From 2026.6 the picker opens on suggestions by entity: a Homebound entity gets the camera
  // card under "Community" (getEntitySuggestion); then on to the list of all cards.
  async suggestion() {
    const page = this.page;
    const tree = page.locator("hui-suggestion-entity-tree");
    await tree.locator("input").first().fill("Cloud blocking", { timeout: left("the entity search") });
    await tree.locator(`[data-entity-id="${job.entities.cloud_blocking}"]`).click({ timeout: left("the switch in the entity list") });
    const ours = page.locator("hui-suggestion-card").filter({ has: page.locator("homebound-camera") });
    await ours.waitFor({ timeout: left("the camera card among the suggestions") });
    const title = await this.until("the suggestion's title", () => {
      const card = globalThis.__hb.deepAll(document, "hui-suggestion-card").find((c) => globalThis.__hb.deepAll(c, "homebound-camera").length);
      const text = card ? globalThis.__hb.text(card.shadowRoot ?? card) : [];
      return text.find((t) => t.includes("Camera, detections and isolation")) ?? false;
    });
    const sections = await this.page.evaluate(() => globalThis.__hb.text(globalThis.__hb.deepAll(document, "hui-suggestion-picker")[0].shadowRoot));
    if (!sections.includes("Community")) throw new Error(`no "Community" section among ${JSON.stringify(sections.slice(0, 20))}`);
    step("suggested for a Homebound entity", { entity: job.entities.cloud_blocking, title });
    await this.shot("card-suggestion");
    await page.getByRole("tab", { name: "By card" }).click({ timeout: left("the By card tab") });
  }

  // 6. The editor: the picker's stub, edited in the visual editor, saved, read back, re-opened.
  async editor() {
    const page = this.page;
    const urlPath = job.dashboard.split("/")[1];
    // The dashboard's cards before this one is saved: the new card goes after them.
    const before = await page.evaluate(async (path) => {
      const config = await globalThis.__hb.hass().callWS({ type: "lovelace/config", url_path: path });
      return config.views[0].cards.length;
    }, urlPath);
    const editor = page.locator("homebound-camera-card-editor");
    await editor.waitFor({ timeout: left("the camera card's editor") });
    const chosen = await editor.locator("select#device").inputValue({ timeout: left("the device list") });
    if (chosen !== job.device_id) throw new Error(`the stub chose ${chosen}, not the camera ${job.device_id}`);
    await editor.locator("input#name").fill("Front door camera");
    await editor.locator("input#name").press("Tab");
    await editor.locator("input#show_maker").uncheck();
    await this.until("the preview to take the new name", () =>
      globalThis.__hb.deepAll(document, "hui-card-preview homebound-camera, hui-card homebound-camera").some((c) => (globalThis.__hb.text(c.shadowRoot ?? c) || []).includes("Front door camera")),
    );
    await this.shot("card-editor");
    await page.getByRole("button", { name: "Save", exact: true }).click({ timeout: left("the Save button") });
    await editor.waitFor({ state: "detached", timeout: left("the editor to close") });
    const saved = await this.until("the saved dashboard", async ([path, count]) => {
      const config = await globalThis.__hb.hass().callWS({ type: "lovelace/config", url_path: path });
      const cards = config.views[0].cards;
      return cards.length === count + 1 ? cards[count] : false;
    }, [urlPath, before]);
    const want = { type: "custom:homebound-camera", device_id: job.device_id, name: "Front door camera", show_maker: false };
    if (JSON.stringify(saved) !== JSON.stringify(want)) throw new Error(`saved ${JSON.stringify(saved)}, wanted ${JSON.stringify(want)}`);
    // Open the saved card's editor again: the form must show what was saved.
    // Found by what it shows: a masonry view lays the cards out by column, not in config order.
    const added = page.locator("hui-card-options").filter({ hasText: "Front door camera" });
    await added.getByRole("button", { name: "Edit" }).click({ timeout: left("the card's Edit button") });
    await editor.waitFor({ timeout: left("the editor, again") });
    const shown = {
      device: await editor.locator("select#device").inputValue(),
      name: await editor.locator("input#name").inputValue(),
      show_maker: await editor.locator("input#show_maker").isChecked(),
      live: await editor.locator("input#live").isChecked(),
    };
    if (shown.device !== job.device_id || shown.name !== "Front door camera" || shown.show_maker || !shown.live) {
      throw new Error(`the editor re-opened with ${JSON.stringify(shown)}`);
    }
    await page.getByRole("button", { name: "Cancel", exact: true }).click({ timeout: left("the Cancel button") });
    step("editor round trip", { saved, reopened: shown });
  }

  async looks() {
    await this.page.emulateMedia({ colorScheme: "dark" });
    await this.until("dark mode", () => getComputedStyle(document.documentElement).getPropertyValue("--primary-background-color").trim() !== "" && matchMedia("(prefers-color-scheme: dark)").matches);
    await this.page.waitForTimeout(300);
    await this.shot("card-dark", "homebound-camera");
    await this.page.emulateMedia({ colorScheme: "light" });
    await this.page.setViewportSize(job.phone);
    await this.shot("card-phone");
    await this.page.setViewportSize(job.viewport);
    step("dark mode and phone screenshots");
  }
}

async function main() {
  let page;
  const browser = await chromium.connectOverCDP(job.cdp_url, { timeout: left("Chromium's DevTools endpoint") });
  try {
    const context = await browser.newContext({
      viewport: job.viewport,
      deviceScaleFactor: 1,
      locale: "en-US",
      timezoneId: "UTC",
      colorScheme: "light",
      serviceWorkers: "block",
    });
    await context.addInitScript(installHelpers);
    page = await context.newPage();
    const checker = new Checker(page);
    await checker.login();
    await checker.liveView();
    await checker.detection();
    await checker.toggle(true, true);
    await checker.toggle(false, false, false);
    await checker.toggle(false, false);
    await checker.toggle(false, true);
    await checker.lostIsolation();
    await checker.overview();
    await checker.accessibility();
    await checker.looks();
    await checker.picker();
    await checker.editor();
  } catch (err) {
    record.failure = err.message.split("\n")[0];
    if (page) {
      record.failed_url = page.url();
      record.failed_text = await page.evaluate(() => globalThis.__hb?.text(document)).catch(() => null);
      await page.screenshot({ path: join(job.out_dir, "failed.png") }).catch(() => {});
    }
    throw err;
  } finally {
    writeFileSync(join(job.out_dir, "card-check.json"), `${JSON.stringify(record, null, 2)}\n`);
    await browser.close().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`card_check: ${err.message}\n`);
    process.exit(1);
  },
);
