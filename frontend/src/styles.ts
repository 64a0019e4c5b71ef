// Shared styles: only the frontend's theme variables (so themes and dark mode apply), with
// fallbacks for a page that has none. Layout by container width, not the window's: the same
// card sits in a phone's single column and in a wall tablet's wide section.

import { css } from "lit";

export const shared = css`
  :host {
    display: block;
    container-type: inline-size;
    --hb-gap: 8px;
    --hb-radius: var(--ha-card-border-radius, 12px);
    --hb-chip-radius: 16px;
    --hb-text: var(--primary-text-color, #141414);
    --hb-muted: var(--secondary-text-color, #5e5e5e);
    --hb-divider: var(--divider-color, rgba(0, 0, 0, 0.12));
    --hb-accent: var(--state-active-color, var(--primary-color, #03a9f4));
    --hb-error: var(--error-color, #db4437);
    --hb-ok: var(--success-color, #43a047);
    --hb-warning: var(--warning-color, #ffa600);
    --hb-surface: var(--secondary-background-color, #f2f2f2);
  }
  ha-card {
    overflow: hidden;
    color: var(--hb-text);
    height: 100%;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--primary-color, #03a9f4);
    outline-offset: 2px;
  }
  .message {
    padding: 16px;
    color: var(--hb-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  ha-icon {
    --mdc-icon-size: 18px;
    flex: none;
  }
`;

export const editorStyles = css`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 16px;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 12px;
  }
  label {
    color: var(--primary-text-color, #141414);
  }
  select,
  input[type="text"] {
    font: inherit;
    padding: 8px;
    border-radius: 4px;
    border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.2));
    background: var(--card-background-color, #fff);
    color: var(--primary-text-color, #141414);
  }
  input[type="checkbox"] {
    width: 18px;
    height: 18px;
    accent-color: var(--primary-color, #03a9f4);
  }
  .hint {
    color: var(--secondary-text-color, #5e5e5e);
  }
`;

export const cameraStyles = css`
  /* The picture keeps the camera's own shape (nothing cropped); the placeholder is 16:9. */
  .media {
    position: relative;
    background: #000;
    overflow: hidden;
  }
  .media .live,
  .media .still {
    display: block;
    width: 100%;
    height: auto;
  }
  .placeholder {
    aspect-ratio: 16 / 9;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    height: 100%;
    color: #ddd;
  }
  /* Bottom left: camera overlays (their clock, their name) are mostly at the top. */
  .title {
    position: absolute;
    left: 0;
    bottom: 0;
    margin: 8px;
    padding: 2px 10px;
    border: none;
    border-radius: var(--hb-chip-radius);
    background: rgba(0, 0, 0, 0.55);
    color: #fff;
    font-weight: 500;
  }
  section {
    padding: 10px 16px;
    border-top: 1px solid var(--hb-divider);
  }
  .muted {
    color: var(--hb-muted);
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 4px 10px;
    border-radius: var(--hb-chip-radius);
    border: 1px solid var(--hb-divider);
    background: transparent;
    color: var(--hb-muted);
    transition: background-color 0.15s, color 0.15s;
  }
  .chip.on {
    background: var(--hb-accent);
    border-color: var(--hb-accent);
    color: var(--text-primary-color, #fff);
    font-weight: 500;
  }
  .chip.unavailable {
    opacity: 0.5;
  }
  .last {
    display: flex;
    align-items: center;
    gap: 6px;
    width: 100%;
    margin-top: 8px;
    padding: 4px 0;
    border: none;
    background: none;
    text-align: start;
  }
  .last .when {
    flex: 1;
  }
  .source,
  .gaps {
    padding: 2px 0;
    border: none;
    background: none;
    text-align: start;
  }
  .warn {
    color: var(--hb-warning);
    font-weight: 500;
  }
  .isolation.lost .warn {
    color: inherit;
  }
  .isolation.none {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .strip {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
  }
  .isolation.lost {
    background: var(--hb-error);
    color: var(--text-primary-color, #fff);
  }
  .isolation.lost .muted {
    color: inherit;
    opacity: 0.9;
  }
  .lost-detail {
    margin-top: 4px;
  }
  .toggle {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    padding: 2px 4px 2px 0;
    border: none;
    background: none;
  }
  .toggle[disabled] {
    cursor: default;
    opacity: 0.6;
  }
  .knob {
    min-width: 3em;
    padding: 2px 10px;
    border-radius: var(--hb-chip-radius);
    background: var(--hb-surface);
    color: var(--hb-muted);
    text-align: center;
  }
  .knob.on {
    background: var(--hb-ok);
    color: var(--text-primary-color, #fff);
  }
  .count {
    font-weight: 500;
  }
  .destination {
    flex: 1 1 12em;
    overflow-wrap: anywhere;
  }
  .confirm {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin-top: 10px;
    padding: 12px;
    border-radius: 8px;
    background: var(--hb-surface);
    color: var(--hb-text);
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  .buttons button {
    padding: 6px 14px;
    border-radius: 18px;
    border: 1px solid var(--hb-divider);
    background: transparent;
  }
  .buttons .primary {
    background: var(--primary-color, #03a9f4);
    border-color: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
  }
  .error {
    margin-top: 6px;
    font-weight: 500;
  }
  .maker {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .badge,
  .repairs {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 10px;
    border-radius: var(--hb-chip-radius);
    border: 1px solid var(--hb-divider);
    background: var(--hb-surface);
  }
  .repairs,
  .badge.covered {
    border-color: var(--hb-warning);
  }
  @container (max-width: 360px) {
    section {
      padding: 8px 10px;
    }
    .strip {
      flex-direction: column;
      align-items: flex-start;
    }
  }
`;
