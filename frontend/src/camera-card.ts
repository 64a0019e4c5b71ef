// `custom:homebound-camera`: one camera at a glance. The live view (the frontend's own camera
// element, so WebRTC, HLS and MJPEG work as everywhere else; the latest picture when streaming is
// off or impossible), its detections lit while on and the last one with its time, its isolation
// (Cloud blocking, toggled after a confirmation; attempts blocked today; the last destination;
// red while isolation is lost) and its maker with the camera's open repairs.

import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import {
  ensureStreamElement,
  moreInfo,
  navigate,
  snapshotUrl,
  STREAM_ELEMENT,
  supportsStream,
} from "./actions.js";
import type { HomeAssistant } from "./hass.js";
import { absoluteTime, languageOf, relativeTime, translator, type Translate } from "./i18n.js";
import {
  cameraEntities,
  cameraStub,
  chosenCamera,
  deviceName,
  parseCameraConfig,
  UNAVAILABLE,
  type CameraCardConfig,
  type CameraEntities,
} from "./model.js";
import {
  chips,
  eventKind,
  eventSource,
  historyPath,
  isolationGaps,
  isolationView,
  lastDetection,
  makerBadge,
  repairCount,
  type RepairIssue,
} from "./view.js";
import { cameraStyles, shared } from "./styles.js";
import { DailyBaseline } from "./today.js";

const SNAPSHOT_EVERY_MS = 10_000;
const CLOCK_EVERY_MS = 30_000;
const REPAIRS_EVERY_MS = 60_000;

interface Confirming {
  turnOn: boolean;
  switchId: string;
}

export class HomeboundCameraCard extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _confirming: { state: true },
    _error: { state: true },
    _streamReady: { state: true },
    _tick: { state: true },
    _issues: { state: true },
  };

  declare hass?: HomeAssistant;
  declare _config?: CameraCardConfig;
  declare _confirming?: Confirming;
  declare _error?: string;
  declare _streamReady: boolean;
  declare _tick: number;
  declare _issues: RepairIssue[];

  private timers: number[] = [];
  private readonly baseline = new DailyBaseline(() => this.requestUpdate());
  private watched: Array<unknown> = [];

  constructor() {
    super();
    this._streamReady = !!customElements.get(STREAM_ELEMENT);
    this._tick = 0;
    this._issues = [];
  }

  static getStubConfig(hass?: HomeAssistant): Record<string, unknown> {
    return cameraStub(hass);
  }

  static async getConfigElement(): Promise<HTMLElement> {
    return document.createElement("homebound-camera-card-editor");
  }

  setConfig(config: unknown): void {
    this._config = parseCameraConfig(config);
  }

  getCardSize(): number {
    return 7;
  }

  getGridOptions(): Record<string, unknown> {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.timers.push(
      window.setInterval(() => {
        this._tick += 1;
      }, SNAPSHOT_EVERY_MS),
      window.setInterval(() => this.requestUpdate(), CLOCK_EVERY_MS),
      window.setInterval(() => void this.loadRepairs(), REPAIRS_EVERY_MS),
    );
    void this.loadRepairs();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.timers.forEach((id) => window.clearInterval(id));
    this.timers = [];
  }

  private get entities(): CameraEntities | undefined {
    const deviceId = this._config?.device_id;
    return this.hass && deviceId ? cameraEntities(this.hass, deviceId) : undefined;
  }

  /** Re-render only when something the card shows changed (hass changes with every state). */
  protected shouldUpdate(changed: PropertyValues<this>): boolean {
    if (changed.size !== 1 || !changed.has("hass") || !this.hass) return true;
    const next = this.watch(this.hass);
    const same = next.length === this.watched.length && next.every((v, i) => v === this.watched[i]);
    this.watched = next;
    return !same;
  }

  private watch(hass: HomeAssistant): unknown[] {
    const found = this.entities;
    const ids = found
      ? [
          ...found.cameras,
          ...found.detections.map((d) => d.entityId),
          ...found.events,
          found.cloudBlocking,
          found.blockedAttempts,
          found.lastBlocked,
          found.cloudIsolation,
          found.makerStatus,
          found.isolationGaps,
          found.eventSource,
        ]
      : [];
    return [hass.entities, hass.devices, hass.locale, hass.language, ...ids.map((id) => id && hass.states[id])];
  }

  protected willUpdate(): void {
    const found = this.entities;
    if (this.hass && found?.blockedAttempts) this.baseline.refresh(this.hass, [found.blockedAttempts]);
    const camera = found && this._config ? chosenCamera(found, this._config) : undefined;
    if (!this._streamReady && camera && this._config?.live !== false) {
      void ensureStreamElement(camera).then((ready) => {
        this._streamReady = ready;
      });
    }
  }

  protected updated(): void {
    if (this._confirming) this.renderRoot.querySelector<HTMLButtonElement>(".confirm .primary")?.focus();
  }

  private async loadRepairs(): Promise<void> {
    if (!this.hass || !this._config?.device_id || this._config.show_maker === false) return;
    try {
      const result = await this.hass.callWS<{ issues: RepairIssue[] }>({ type: "repairs/list_issues" });
      this._issues = result.issues ?? [];
    } catch {
      this._issues = [];
    }
  }

  protected render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const t = translator(languageOf(this.hass));
    const deviceId = this._config.device_id;
    if (!deviceId) return html`<ha-card><div class="message">${t("pick_camera")}</div></ha-card>`;
    if (!this.hass.devices?.[deviceId]) {
      return html`<ha-card><div class="message">${t("device_missing")}</div></ha-card>`;
    }
    const found = cameraEntities(this.hass, deviceId);
    const name = this._config.name || deviceName(this.hass, deviceId);
    return html`
      <ha-card aria-label=${name}>
        ${this.renderMedia(found, name, t)}
        ${this._config.show_detections === false ? nothing : this.renderDetections(found, name, t)}
        ${this._config.show_isolation === false ? nothing : this.renderIsolation(found, name, t)}
        ${this._config.show_maker === false ? nothing : this.renderMaker(found, deviceId, t)}
      </ha-card>
    `;
  }

  private renderMedia(found: CameraEntities, name: string, t: Translate): TemplateResult {
    const hass = this.hass!;
    const cameraId = chosenCamera(found, this._config!);
    const state = cameraId ? hass.states[cameraId] : undefined;
    let media: TemplateResult;
    if (!state || UNAVAILABLE.has(state.state)) {
      media = html`<div class="placeholder" role="img" aria-label=${t("camera_unavailable")}>
        <ha-icon icon="mdi:cctv-off"></ha-icon><span>${t("camera_unavailable")}</span>
      </div>`;
    } else if (this._config!.live !== false && this._streamReady && supportsStream(state.attributes)) {
      media = html`<ha-camera-stream
        class="live"
        role="img"
        aria-label=${t("live_view", { name })}
        .hass=${hass}
        .stateObj=${state}
        muted
      ></ha-camera-stream>`;
    } else {
      const url = snapshotUrl(hass, state.attributes, this._tick);
      media = url
        ? html`<img class="still" src=${url} alt=${t("snapshot", { name })} />`
        : html`<div class="placeholder"><ha-icon icon="mdi:cctv"></ha-icon></div>`;
    }
    return html`<div class="media">
      ${media}
      <button class="title" @click=${() => cameraId && moreInfo(this, cameraId)}>${name}</button>
    </div>`;
  }

  private renderDetections(found: CameraEntities, name: string, t: Translate): TemplateResult | typeof nothing {
    const hass = this.hass!;
    const device = deviceName(hass, found.deviceId);
    const list = chips(hass, found, device);
    if (!list.length && !found.events.length) return nothing;
    const language = languageOf(hass);
    const last = lastDetection(hass, found);
    const source = eventSource(hass, found);
    let lastText: string = t("no_detection");
    if (last) {
      const stateObj = hass.states[last.entityId];
      const kind = eventKind(last.what);
      const what =
        stateObj && kind && hass.formatEntityAttributeValue
          ? hass.formatEntityAttributeValue(stateObj, "event_type", last.what)
          : (list.find((c) => c.kind === (kind ?? last.what))?.label ?? last.what);
      lastText = `${what} · ${relativeTime(language, last.at, new Date(), t)}`;
    }
    return html`<section class="detections" aria-label=${t("detections")}>
      <ul class="chips">
        ${list.map(
          (chip) => html`<li>
            <button
              class="chip ${chip.on ? "on" : ""} ${chip.available ? "" : "unavailable"}"
              data-kind=${chip.kind}
              data-entity=${chip.entityId}
              aria-label=${t(chip.available ? (chip.on ? "detection_on" : "detection_off") : "detection_unavailable", {
                label: chip.label,
              })}
              @click=${() => moreInfo(this, chip.entityId)}
            >
              <ha-icon icon=${chip.icon}></ha-icon><span>${chip.label}</span>
            </button>
          </li>`,
        )}
      </ul>
      <button
        class="last"
        title=${last ? absoluteTime(language, last.at) : ""}
        aria-label=${`${t("last_detection")}: ${lastText}. ${t("open_history")}`}
        @click=${() => navigate(historyPath(found, new Date(Date.now() - 86_400_000)))}
      >
        <span class="muted">${t("last_detection")}</span> <span class="when">${lastText}</span>
        <ha-icon icon="mdi:history"></ha-icon>
      </button>
      ${source
        ? html`<button class="source ${source.none ? "warn" : "muted"}" @click=${() => moreInfo(this, found.eventSource!)}>
            ${t(source.none ? "event_source_none" : "event_source", { source: source.text })}
          </button>`
        : nothing}
      <span class="visually-hidden">${name}</span>
    </section>`;
  }

  private renderIsolation(found: CameraEntities, name: string, t: Translate): TemplateResult {
    const view = isolationView(this.hass!, found);
    if (view.status === "none") {
      return html`<section class="isolation none" aria-label=${t("isolation")}>
        <ha-icon icon="mdi:cloud-question"></ha-icon><span class="muted">${t("no_firewall")}</span>
      </section>`;
    }
    const today = this.baseline.today(found.blockedAttempts, view.total);
    const gaps = isolationGaps(this.hass!, found);
    const count =
      today !== null
        ? t("blocked_today", { count: today })
        : view.total !== null
          ? t("blocked_total", { count: view.total })
          : "";
    const lost = view.status === "lost";
    const switchLabel = view.blocking === null ? t("blocking_unknown") : t(view.blocking ? "blocking_on" : "blocking_off");
    return html`<section class="isolation ${view.status}" aria-label=${t("isolation")}>
      <div class="strip" role=${lost ? "alert" : "status"}>
        <ha-icon icon=${lost ? "mdi:shield-alert" : view.blocking ? "mdi:cloud-lock" : "mdi:cloud-outline"}></ha-icon>
        ${lost ? html`<strong class="lost-text" title=${view.problems.join(", ")}>${t("isolation_lost")}</strong>` : nothing}
        ${found.cloudBlocking
          ? html`<button
              class="toggle"
              role="switch"
              aria-checked=${view.blocking ? "true" : "false"}
              aria-label=${t("cloud_blocking")}
              ?disabled=${view.blocking === null || !!this._confirming}
              @click=${() => this.askToggle(found.cloudBlocking!, !view.blocking)}
            >
              <span>${t("cloud_blocking")}</span><span class="knob ${view.blocking ? "on" : ""}">${switchLabel}</span>
            </button>`
          : nothing}
        ${count ? html`<span class="count">${count}</span>` : nothing}
        <span class="destination muted">${view.lastBlocked ? t("last_blocked", { destination: view.lastBlocked }) : t("nothing_blocked")}</span>
        ${gaps === null
          ? nothing
          : html`<button class="gaps ${gaps ? "warn" : "muted"}" @click=${() => moreInfo(this, found.isolationGaps!)}>
              ${gaps ? t("gaps_30d", { count: gaps }) : t("no_gaps_30d")}
            </button>`}
      </div>
      ${lost ? html`<div class="lost-detail">${t("isolation_lost_detail")}</div>` : nothing}
      ${this._error ? html`<div class="error" role="alert">${this._error}</div>` : nothing}
      ${this._confirming ? this.renderConfirm(name, t) : nothing}
    </section>`;
  }

  private renderConfirm(name: string, t: Translate): TemplateResult {
    const on = this._confirming!.turnOn;
    return html`<div
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      @keydown=${(ev: KeyboardEvent) => ev.key === "Escape" && this.cancel()}
    >
      <strong id="confirm-title">${t(on ? "confirm_block_title" : "confirm_unblock_title", { name })}</strong>
      <span id="confirm-text">${t(on ? "confirm_block_text" : "confirm_unblock_text")}</span>
      <div class="buttons">
        <button class="secondary" @click=${() => this.cancel()}>${t("cancel")}</button>
        <button class="primary" @click=${() => this.confirmToggle(t)}>${t(on ? "confirm_block" : "confirm_unblock")}</button>
      </div>
    </div>`;
  }

  private renderMaker(found: CameraEntities, deviceId: string, t: Translate): TemplateResult | typeof nothing {
    const hass = this.hass!;
    const badge = makerBadge(hass, found);
    const repairs = repairCount(hass, deviceId, this._issues);
    if (!badge && !repairs) return nothing;
    const parts = badge ? [badge.maker, badge.brand && t("sold_as", { brand: badge.brand }), badge.regulation] : [];
    return html`<section class="maker">
      ${badge
        ? html`<button class="badge ${badge.covered ? "covered" : ""}" aria-label=${`${t("maker")}: ${parts.filter(Boolean).join(", ")}`}
            @click=${() => found.makerStatus && moreInfo(this, found.makerStatus)}>
            <ha-icon icon="mdi:factory"></ha-icon>${parts.filter(Boolean).join(" · ")}
          </button>`
        : nothing}
      ${repairs
        ? html`<button class="repairs" aria-label=${`${t("repairs", { count: repairs })}. ${t("open_repairs")}`}
            @click=${() => navigate("/config/repairs")}>
            <ha-icon icon="mdi:wrench"></ha-icon>${t("repairs", { count: repairs })}
          </button>`
        : nothing}
    </section>`;
  }

  private askToggle(switchId: string, turnOn: boolean): void {
    this._error = undefined;
    this._confirming = { switchId, turnOn };
  }

  private cancel(): void {
    this._confirming = undefined;
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(".toggle")?.focus());
  }

  private async confirmToggle(t: Translate): Promise<void> {
    const confirming = this._confirming;
    this._confirming = undefined;
    if (!confirming || !this.hass) return;
    try {
      await this.hass.callService("switch", confirming.turnOn ? "turn_on" : "turn_off", {
        entity_id: confirming.switchId,
      });
    } catch (err) {
      this._error = t("toggle_failed", { error: err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err) });
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(".toggle")?.focus();
  }

  static styles = [shared, cameraStyles];
}
