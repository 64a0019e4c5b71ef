// What a tap does: the frontend's own more-info dialog, its router, its live camera element.

import type { HomeAssistant } from "./hass.js";

/** Open the frontend's more-info dialog of an entity (its state, history and logbook). */
export function moreInfo(from: HTMLElement, entityId: string): void {
  from.dispatchEvent(new CustomEvent("hass-more-info", { detail: { entityId }, bubbles: true, composed: true }));
}

/** Go to a page of the frontend the way its own links do (no reload). */
export function navigate(path: string): void {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}

/** Tell the dashboard editor about a changed configuration. */
export function configChanged(from: HTMLElement, config: Record<string, unknown>): void {
  from.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
}

export const STREAM_ELEMENT = "ha-camera-stream";
const STREAM_FEATURE = 2; // CameraEntityFeature.STREAM
const LOAD_TIMEOUT_MS = 10_000;

let loading: Promise<boolean> | undefined;

/**
 * Make sure the frontend's live camera element is defined. The frontend loads it lazily, with
 * the cards that show a camera: when a dashboard has none of those, a card of the frontend's
 * own that shows a live camera is created (not shown) so that its module loads. Resolves false
 * when the element never comes (the card then shows snapshots).
 */
export function ensureStreamElement(cameraEntity: string): Promise<boolean> {
  if (customElements.get(STREAM_ELEMENT)) return Promise.resolve(true);
  loading ??= (async () => {
    try {
      const helpers = await window.loadCardHelpers?.();
      helpers?.createCardElement({ type: "picture-entity", entity: cameraEntity, camera_view: "live" });
    } catch {
      // Without the helpers only a dashboard that already loaded the element can stream.
    }
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LOAD_TIMEOUT_MS));
    return Promise.race([customElements.whenDefined(STREAM_ELEMENT).then(() => true), timeout]);
  })();
  return loading;
}

export function supportsStream(attributes: Record<string, unknown>): boolean {
  const features = Number(attributes.supported_features ?? 0);
  return (features & STREAM_FEATURE) !== 0;
}

/** The camera's still picture, fresh on every `tick` (the frontend's signed proxy URL). */
export function snapshotUrl(hass: HomeAssistant, attributes: Record<string, unknown>, tick: number): string | undefined {
  const picture = attributes.entity_picture;
  if (typeof picture !== "string" || !picture) return undefined;
  const url = `${picture}${picture.includes("?") ? "&" : "?"}t=${tick}`;
  return hass.hassUrl ? hass.hassUrl(url) : url;
}
