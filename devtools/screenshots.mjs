// Take the demo's screenshots in a Chromium that devtools/screenshots_browser.py started.
//
//   node devtools/screenshots.mjs JOB.json
//
// JOB.json (written by devtools/screenshots.py) names the DevTools endpoint, the Home Assistant
// address and login, the output directory, a time budget and the pages to shoot. This script
// logs in through Home Assistant's real login page, moves between pages with the frontend's own
// router (history.pushState + "location-changed", what a click on a link does), waits on
// conditions only (the expected text is on screen, the network is quiet, images and the camera
// stream have loaded), each wait bounded by the job's budget, and writes NAME.png beside
// NAME.json: what the page showed, its text read through every open shadow root.
//
// It never starts or stops the browser: the Python side owns Chromium's process group and
// ends it however this script ends.

import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { chromium } = createRequire(join(job.playwright_dir, "package.json"))("playwright-core");

const end = Date.now() + job.budget_ms;
const QUIET_MS = 500;
const LONG_MS = 5000;
const POLL_MS = 100;

function left(what) {
  const ms = end - Date.now();
  if (ms <= 0) throw new Error(`timed out (${job.budget_ms / 1000}s budget) waiting for ${what}`);
  return Math.min(ms, job.step_ms);
}

function say(line) {
  process.stdout.write(`${line}\n`);
}

// Runs in every page before its own scripts: helpers that see through shadow roots.
function installHelpers() {
  const children = (node) => [...(node.shadowRoot ? node.shadowRoot.childNodes : []), ...node.childNodes];
  const deepFind = (root, selector) => {
    const stack = [root];
    while (stack.length) {
      const node = stack.shift();
      if (node.nodeType === Node.ELEMENT_NODE && node.matches(selector)) return node;
      stack.push(...children(node));
    }
    return null;
  };
  const deepAll = (root, selector) => {
    const found = [];
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      if (node.nodeType === Node.ELEMENT_NODE && node.matches(selector)) found.push(node);
      stack.push(...children(node));
    }
    return found;
  };
  // The element that draws a text node: slots and display:contents wrappers draw nothing.
  const boxOf = (element) => {
    let el = element;
    while (el && getComputedStyle(el).display === "contents") {
      el = el.parentElement || el.getRootNode().host || null;
    }
    return el;
  };
  const visibleText = (root) => {
    const lines = [];
    const walk = (node) => {
      for (const child of children(node)) {
        if (child.nodeType === Node.TEXT_NODE) {
          const text = child.textContent.replace(/\s+/g, " ").trim();
          const box = text && boxOf(child.parentElement);
          if (!box || !box.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
          const range = document.createRange();
          range.selectNodeContents(child);
          const onScreen = [...range.getClientRects()].some(
            (r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
              r.left < innerWidth && r.top < innerHeight,
          );
          if (onScreen) lines.push(text);
        } else if (child.nodeType === Node.ELEMENT_NODE && !["SCRIPT", "STYLE", "TEMPLATE"].includes(child.tagName)) {
          walk(child);
        }
      }
    };
    walk(root);
    return lines;
  };
  const scopeOf = (selector) => (selector ? deepFind(document, selector) : document.body);
  globalThis.__homebound = {
    text: (selector) => {
      const root = scopeOf(selector);
      return root ? visibleText(root) : null;
    },
    // Every image in the scope finished loading (or failed, like an icon from the internet).
    imagesDone: (selector) => {
      const root = scopeOf(selector);
      return !!root && deepAll(root, "img").every((img) => img.complete);
    },
    // The camera shows a moving stream, or at least a loaded still image.
    media: (selector) => {
      const root = scopeOf(selector);
      if (!root) return null;
      for (const video of deepAll(root, "video")) {
        if (video.readyState >= 2 && video.currentTime > 0 && video.videoWidth > 0) {
          return { kind: "video", width: video.videoWidth, height: video.videoHeight, seconds: video.currentTime };
        }
      }
      for (const img of deepAll(root, "img")) {
        if (img.complete && img.naturalWidth > 0 && /camera_proxy/.test(img.currentSrc)) {
          return { kind: "image", width: img.naturalWidth, height: img.naturalHeight };
        }
      }
      return null;
    },
  };
}

async function main() {
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
    const page = await context.newPage();
    const shooter = new Shooter(page);
    await shooter.login();
    for (const shot of job.shots) await shooter.take(shot);
  } finally {
    await browser.close().catch(() => {});
  }
}

class Shooter {
  constructor(page) {
    this.page = page;
    this.inflight = new Map(); // request -> when it started
    this.lastActivity = Date.now();
    this.failed = [];
    this.console = [];
    const streaming = (request) =>
      ["media", "websocket", "eventsource"].includes(request.resourceType()) || request.url().includes("/api/hls/");
    page.on("request", (request) => {
      if (streaming(request)) return;
      this.inflight.set(request, Date.now());
      this.lastActivity = Date.now();
    });
    const done = (request) => {
      if (this.inflight.delete(request)) this.lastActivity = Date.now();
    };
    page.on("requestfinished", done);
    page.on("requestfailed", (request) => {
      done(request);
      this.failed.push(`${request.url()} (${request.failure()?.errorText ?? "failed"})`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") this.console.push(message.text().slice(0, 300));
    });
  }

  async login() {
    const page = this.page;
    say("   browser: opening Home Assistant's login page");
    await page.goto(`${job.base_url}/`, { waitUntil: "load", timeout: left("the login page") });
    await page.waitForURL((url) => url.pathname.startsWith("/auth/authorize"), { timeout: left("the login page") });
    const user = page.locator("input[name=username]");
    await user.fill(job.username, { timeout: left("the username field") });
    await page.locator("input[name=password]").fill(job.password, { timeout: left("the password field") });
    await page.locator("input[name=password]").press("Enter", { timeout: left("the login button") });
    await page.waitForURL((url) => !url.pathname.startsWith("/auth/"), { timeout: left("the login to finish") });
    await page.waitForFunction(
      () => {
        const hass = document.querySelector("home-assistant")?.hass;
        return !!(hass && hass.connected && hass.user && hass.config?.state === "RUNNING");
      },
      null,
      { timeout: left("the frontend to connect after login"), polling: POLL_MS },
    );
    say(`   browser: logged in as ${job.username}`);
    if (job.confirm_http_dialog) await this.confirmHttpConfig();
  }

  // Home Assistant 2026.10 moves the YAML http: settings into its store as a trial and asks, in
  // a dialog over every page, to confirm them; unconfirmed, it reverts to the default (every
  // interface, port 8123) after five minutes. Confirming keeps 127.0.0.1, as a user would.
  async confirmHttpConfig() {
    const page = this.page;
    const title = job.confirm_http_dialog;
    await page.waitForFunction(
      (want) => (globalThis.__homebound.text(null) || []).includes(want),
      title,
      { timeout: left(`the dialog "${title}"`), polling: POLL_MS },
    );
    await page.getByRole("button", { name: "Confirm", exact: true }).click({ timeout: left("its Confirm button") });
    await page.waitForFunction(
      (want) => !(globalThis.__homebound.text(null) || []).includes(want),
      title,
      { timeout: left(`the dialog "${title}" to close`), polling: POLL_MS },
    );
    say(`   browser: confirmed "${title}" (keeps Home Assistant on 127.0.0.1)`);
  }

  async navigate(path) {
    // "" is the first screen: where the login left the browser, Home Assistant's default
    // dashboard, reached as a user reaches it (moving to "/" from inside the app raced the
    // default-dashboard redirect of 2026.2's frontend, which then fetched its own sources).
    if (path) {
      await this.page.evaluate((target) => {
        history.pushState(null, "", target);
        window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
      }, path);
    }
    // "/" is replaced by the default dashboard's own address (/home/overview, /lovelace/0, ...).
    const firstScreen = (url) => url.pathname !== "/" && !url.pathname.startsWith("/auth/");
    const arrived = (url) => (!path || path === "/" ? firstScreen(url) : url.pathname === path);
    await this.page.waitForURL(arrived, { timeout: left(`the route ${path}`) });
  }

  // Quiet: nothing started or finished for QUIET_MS, and nothing in flight but requests older
  // than LONG_MS (the protocol reports no end for some preloaded scripts; long polls never end).
  async quiet(what) {
    const deadline = Date.now() + left(what);
    const busy = () => [...this.inflight.entries()].filter(([, since]) => Date.now() - since < LONG_MS);
    while (busy().length || Date.now() - this.lastActivity < QUIET_MS) {
      if (Date.now() > deadline) {
        const open = busy().map(([request]) => request.url()).join(", ");
        throw new Error(`the network did not go quiet for ${what} (still loading: ${open || "-"})`);
      }
      await this.page.waitForTimeout(POLL_MS);
    }
  }

  async take(shot) {
    const page = this.page;
    try {
      await this.navigate(shot.path);
      if (shot.more_info) {
        await page.evaluate((entityId) => {
          document.querySelector("home-assistant").dispatchEvent(
            new CustomEvent("hass-more-info", { detail: { entityId }, bubbles: true, composed: true }),
          );
        }, shot.more_info);
      }
      if (shot.reveal) {
        // A button that shows more of the page (the device page hides disabled entities).
        const button = page.getByText(new RegExp(shot.reveal)).first();
        await button.click({ timeout: left(`"${shot.reveal}" on ${shot.name}`) });
      }
      const arg = { expect: shot.expect, scope: shot.scope ?? null };
      await page.waitForFunction(
        ({ expect, scope }) => {
          const lines = globalThis.__homebound.text(scope);
          return !!lines && expect.every((want) => lines.includes(want));
        },
        arg,
        { timeout: left(`${shot.expect.join(", ")} on ${shot.name}`), polling: POLL_MS },
      );
      let media = null;
      if (shot.media) {
        const handle = await page.waitForFunction((scope) => globalThis.__homebound.media(scope), arg.scope, {
          timeout: left(`the camera picture on ${shot.name}`),
          polling: POLL_MS,
        });
        media = await handle.jsonValue();
      }
      await page.waitForFunction((scope) => globalThis.__homebound.imagesDone(scope), null, {
        timeout: left(`the images on ${shot.name}`),
        polling: POLL_MS,
      });
      await page.evaluate(() => document.fonts.ready.then(() => true));
      await this.quiet(shot.name);
      // One animation frame after the last change, so the dialog's opening animation is over.
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      await this.record(shot, media, "");
      say(`   browser: ${shot.name}.png (${shot.path || "the first screen"})`);
    } catch (err) {
      await this.record(shot, null, ".failed").catch(() => {});
      throw new Error(`${shot.name}: ${err.message.split("\n")[0]} (what the page showed: ${shot.name}.failed.json)`);
    }
  }

  async record(shot, media, suffix) {
    const page = this.page;
    const png = join(job.out_dir, `${shot.name}${suffix}.png`);
    await page.screenshot({ path: png, timeout: left(`the ${shot.name} screenshot`), animations: "disabled" });
    const text = await page.evaluate(() => globalThis.__homebound.text(null));
    const scopeText = shot.scope ? await page.evaluate((s) => globalThis.__homebound.text(s), shot.scope) : null;
    const record = {
      name: shot.name,
      url: page.url().replace(job.base_url, ""),
      title: await page.title(),
      viewport: job.viewport,
      expect: shot.expect,
      scope: shot.scope ?? null,
      scope_text: scopeText,
      text,
      media,
      failed_requests: this.failed.splice(0),
      console_errors: this.console.splice(0),
    };
    writeFileSync(join(job.out_dir, `${shot.name}${suffix}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`screenshots: ${err.message}\n`);
    process.exit(1);
  },
);
