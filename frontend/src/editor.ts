// The visual editors. Native form controls with labels, styled with the theme: they work the
// same in every frontend release (the frontend's own form elements are loaded lazily and their
// interfaces change between releases), with the keyboard and with screen readers.

import { html, LitElement, nothing, type TemplateResult } from "lit";
import { configChanged } from "./actions.js";
import type { HomeAssistant } from "./hass.js";
import { languageOf, translator, type Key } from "./i18n.js";
import {
  cameraDevices,
  cameraEntities,
  deviceName,
  parseCameraConfig,
  parseOverviewConfig,
  type CameraCardConfig,
  type OverviewCardConfig,
} from "./model.js";
import {
  shortName,
} from "./view.js";
import { editorStyles } from "./styles.js";

const FLAGS: Array<[keyof CameraCardConfig, Key]> = [
  ["live", "editor_live"],
  ["show_detections", "editor_show_detections"],
  ["show_isolation", "editor_show_isolation"],
  ["show_maker", "editor_show_maker"],
];

/** Drop options left at their defaults (empty text, true flags), so the YAML stays short. */
export function tidyCameraConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === "" || value === undefined || value === null) continue;
    if (FLAGS.some(([flag]) => flag === key) && value === true) continue;
    out[key] = value;
  }
  return out;
}

export class HomeboundCameraCardEditor extends LitElement {
  static properties = { hass: { attribute: false }, _config: { state: true } };
  declare hass?: HomeAssistant;
  declare _config?: CameraCardConfig;

  setConfig(config: unknown): void {
    this._config = parseCameraConfig(config);
  }

  private update_(changes: Record<string, unknown>): void {
    const next = tidyCameraConfig({ ...this._config, ...changes });
    if (changes.device_id !== undefined) delete next.camera_entity; // the stream of another camera
    this._config = next as unknown as CameraCardConfig;
    configChanged(this, next);
  }

  protected render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const hass = this.hass;
    const t = translator(languageOf(hass));
    const devices = cameraDevices(hass);
    const deviceId = this._config.device_id ?? "";
    const cameras = deviceId ? cameraEntities(hass, deviceId).cameras : [];
    const device = deviceId ? deviceName(hass, deviceId) : "";
    return html`
      <div class="row">
        <label for="device">${t("editor_camera")}</label>
        <select id="device" @change=${(ev: Event) => this.update_({ device_id: (ev.target as HTMLSelectElement).value })}>
          ${deviceId ? nothing : html`<option value="" selected disabled>${t("editor_camera_choose")}</option>`}
          ${devices.map((id) => html`<option value=${id} ?selected=${id === deviceId}>${deviceName(hass, id)}</option>`)}
          ${deviceId && !devices.includes(deviceId) ? html`<option value=${deviceId} selected>${deviceId}</option>` : nothing}
        </select>
        ${devices.length ? nothing : html`<span class="hint">${t("no_cameras")}</span>`}
      </div>
      ${cameras.length > 1
        ? html`<div class="row">
            <label for="stream">${t("editor_stream")}</label>
            <select id="stream" @change=${(ev: Event) => this.update_({ camera_entity: (ev.target as HTMLSelectElement).value })}>
              ${cameras.map(
                (id, index) => html`<option value=${index === 0 ? "" : id} ?selected=${(this._config!.camera_entity ?? cameras[0]) === id}>
                  ${shortName(hass, id, device)}
                </option>`,
              )}
            </select>
          </div>`
        : nothing}
      <div class="row">
        <label for="name">${t("editor_name")}</label>
        <input id="name" type="text" .value=${this._config.name ?? ""} placeholder=${device}
          @change=${(ev: Event) => this.update_({ name: (ev.target as HTMLInputElement).value })} />
      </div>
      ${FLAGS.map(
        ([flag, label]) => html`<div class="check">
          <input id=${flag} type="checkbox" .checked=${this._config![flag] !== false}
            @change=${(ev: Event) => this.update_({ [flag]: (ev.target as HTMLInputElement).checked })} />
          <label for=${flag}>${t(label)}</label>
        </div>`,
      )}
    `;
  }

  static styles = editorStyles;
}

export class HomeboundOverviewCardEditor extends LitElement {
  static properties = { hass: { attribute: false }, _config: { state: true } };
  declare hass?: HomeAssistant;
  declare _config?: OverviewCardConfig;

  setConfig(config: unknown): void {
    this._config = parseOverviewConfig(config);
  }

  protected render(): TemplateResult | typeof nothing {
    if (!this._config) return nothing;
    const t = translator(languageOf(this.hass));
    return html`<div class="row">
      <label for="title">${t("editor_title")}</label>
      <input id="title" type="text" .value=${this._config.title ?? ""}
        @change=${(ev: Event) => {
          const title = (ev.target as HTMLInputElement).value;
          const next: Record<string, unknown> = { ...this._config };
          if (title) next.title = title;
          else delete next.title;
          this._config = next as unknown as OverviewCardConfig;
          configChanged(this, next);
        }} />
    </div>`;
  }

  static styles = editorStyles;
}
