// `custom:homebound-overview`: every Homebound camera in one grid, each with its latest picture,
// its isolation state and the attempts blocked today, and the totals above them.

import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { moreInfo, snapshotUrl } from "./actions.js";
import type { HomeAssistant } from "./hass.js";
import { languageOf, translator, type Key, type Translate } from "./i18n.js";
import {
  cameraDevices,
  cameraEntities,
  deviceName,
  parseOverviewConfig,
  UNAVAILABLE,
  type OverviewCardConfig,
} from "./model.js";
import {
  isolationView,
  type IsolationStatus,
} from "./view.js";
import { shared } from "./styles.js";
import { DailyBaseline } from "./today.js";

const SNAPSHOT_EVERY_MS = 30_000;

export interface OverviewRow {
  deviceId: string;
  name: string;
  camera?: string;
  status: IsolationStatus;
  today: number | null;
  total: number | null;
}

export interface OverviewTotals {
  cameras: number;
  isolated: number;
  lost: number;
  today: number | null;
  total: number | null;
}

/** Add up the rows; a sum is null when no row has a figure for it. */
export function totals(rows: OverviewRow[]): OverviewTotals {
  const sum = (values: Array<number | null>): number | null =>
    values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
  return {
    cameras: rows.length,
    isolated: rows.filter((r) => r.status === "blocking").length,
    lost: rows.filter((r) => r.status === "lost").length,
    today: sum(rows.map((r) => r.today)),
    total: sum(rows.map((r) => r.total)),
  };
}

const STATUS: Record<IsolationStatus, [Key, string]> = {
  blocking: ["status_blocking", "mdi:cloud-lock"],
  open: ["status_open", "mdi:cloud-outline"],
  lost: ["status_lost", "mdi:shield-alert"],
  none: ["status_none", "mdi:cloud-question"],
  unknown: ["status_unknown", "mdi:cloud-question"],
};

export class HomeboundOverviewCard extends LitElement {
  static properties = { hass: { attribute: false }, _config: { state: true }, _tick: { state: true } };
  declare hass?: HomeAssistant;
  declare _config?: OverviewCardConfig;
  declare _tick: number;

  private readonly baseline = new DailyBaseline(() => this.requestUpdate());
  private timer?: number;

  constructor() {
    super();
    this._tick = 0;
  }

  static getStubConfig(): Record<string, unknown> {
    return {};
  }

  static async getConfigElement(): Promise<HTMLElement> {
    return document.createElement("homebound-overview-card-editor");
  }

  setConfig(config: unknown): void {
    this._config = parseOverviewConfig(config);
  }

  getCardSize(): number {
    return 4;
  }

  getGridOptions(): Record<string, unknown> {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      this._tick += 1;
    }, SNAPSHOT_EVERY_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  rows(): OverviewRow[] {
    const hass = this.hass!;
    const ids: string[] = [];
    const rows = cameraDevices(hass).map((deviceId) => {
      const found = cameraEntities(hass, deviceId);
      const view = isolationView(hass, found);
      if (found.blockedAttempts) ids.push(found.blockedAttempts);
      return {
        deviceId,
        name: deviceName(hass, deviceId),
        camera: found.cameras[0],
        status: view.status,
        today: this.baseline.today(found.blockedAttempts, view.total),
        total: view.total,
      };
    });
    this.baseline.refresh(hass, ids);
    return rows;
  }

  protected render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const t = translator(languageOf(this.hass));
    const rows = this.rows();
    const sums = totals(rows);
    return html`<ha-card .header=${this._config.title}>
      ${rows.length
        ? html`<div class="totals" role="status">
              <span>${t("cameras_total", { count: sums.cameras })}</span>
              <span>${t("isolated_total", { count: sums.isolated })}</span>
              ${sums.lost ? html`<span class="lost">${t("lost_total", { count: sums.lost })}</span>` : nothing}
              ${sums.today !== null
                ? html`<span class="count">${t("blocked_today_total", { count: sums.today })}</span>`
                : sums.total !== null
                  ? html`<span class="count">${t("blocked_total_all", { count: sums.total })}</span>`
                  : nothing}
            </div>
            <ul class="grid">
              ${rows.map((row) => this.renderTile(row, t))}
            </ul>`
        : html`<div class="message">${t("no_cameras")}</div>`}
    </ha-card>`;
  }

  private renderTile(row: OverviewRow, t: Translate): TemplateResult {
    const hass = this.hass!;
    const state = row.camera ? hass.states[row.camera] : undefined;
    const url = state && !UNAVAILABLE.has(state.state) ? snapshotUrl(hass, state.attributes, this._tick) : undefined;
    const [label, icon] = STATUS[row.status];
    const count =
      row.today !== null
        ? t("blocked_today", { count: row.today })
        : row.total !== null
          ? t("blocked_total", { count: row.total })
          : "";
    return html`<li class="tile ${row.status}" data-device=${row.deviceId}>
      <button
        aria-label=${[row.name, t(label), count].filter(Boolean).join(", ")}
        @click=${() => row.camera && moreInfo(this, row.camera)}
      >
        <div class="thumb">${url ? html`<img src=${url} alt="" loading="lazy" />` : html`<ha-icon icon="mdi:cctv-off"></ha-icon>`}</div>
        <span class="name">${row.name}</span>
        <span class="status"><ha-icon icon=${icon}></ha-icon>${t(label)}</span>
        ${count ? html`<span class="count">${count}</span>` : nothing}
      </button>
    </li>`;
  }

  static styles = [
    shared,
    css`
      .totals {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        padding: 12px 16px 0;
        color: var(--hb-muted);
      }
      .totals .lost {
        color: var(--hb-error);
        font-weight: 500;
      }
      .count {
        font-weight: 500;
        color: var(--hb-text);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: var(--hb-gap);
        list-style: none;
        margin: 0;
        padding: 12px 16px 16px;
      }
      .tile button {
        display: flex;
        flex-direction: column;
        gap: 4px;
        width: 100%;
        height: 100%;
        padding: 0 0 8px;
        overflow: hidden;
        text-align: start;
        border-radius: 8px;
        border: 1px solid var(--hb-divider);
        background: var(--card-background-color, transparent);
      }
      .tile.lost button {
        border: 2px solid var(--hb-error);
      }
      .thumb {
        display: flex;
        align-items: center;
        justify-content: center;
        aspect-ratio: 16 / 9;
        background: #000;
        color: #ccc;
      }
      .thumb img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .name,
      .status,
      .tile .count {
        padding: 0 8px;
      }
      .name {
        font-weight: 500;
      }
      .status {
        display: flex;
        align-items: center;
        gap: 4px;
        color: var(--hb-muted);
      }
      .tile.lost .status {
        color: var(--hb-error);
        font-weight: 500;
      }
      .tile.blocking .status ha-icon {
        color: var(--hb-ok);
      }
    `,
  ];
}
