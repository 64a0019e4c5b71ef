// The parts of the frontend's `hass` object the cards read. The frontend does not publish its
// types as a package; these are written from what Home Assistant 2026.2 and 2026.10 hand a card,
// and every field a release may lack is optional.

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

/** One row of the entity registry as the frontend keeps it (`hass.entities`): enabled only. */
export interface EntityRegistryDisplayEntry {
  entity_id: string;
  platform: string;
  device_id?: string | null;
  translation_key?: string | null;
  entity_category?: "config" | "diagnostic" | null;
  hidden?: boolean;
  name?: string | null;
}

export interface DeviceRegistryEntry {
  id: string;
  name: string | null;
  name_by_user?: string | null;
  config_entries: string[];
  manufacturer?: string | null;
  model?: string | null;
  area_id?: string | null;
}

export interface HassLocale {
  language: string;
  time_zone?: string;
}

export interface HassUser {
  id?: string;
  is_admin?: boolean;
}

export interface HomeAssistant {
  states: Record<string, HassEntity | undefined>;
  entities?: Record<string, EntityRegistryDisplayEntry | undefined>;
  devices?: Record<string, DeviceRegistryEntry | undefined>;
  locale?: HassLocale;
  language?: string;
  config?: { time_zone?: string; components?: string[] };
  user?: HassUser;
  themes?: { darkMode?: boolean };
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: Record<string, unknown>,
  ): Promise<unknown>;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
  formatEntityAttributeValue?(entity: HassEntity, attribute: string, value?: unknown): string;
  formatEntityState?(entity: HassEntity, state?: string): string;
  hassUrl?(path?: string): string;
}

/** What `customElements` knows of a card for the card picker (`window.customCards`). */
export interface CustomCardEntry {
  type: string;
  name: string;
  description?: string;
  preview?: boolean;
  documentationURL?: string;
  getEntitySuggestion?: (hass: HomeAssistant, entityId: string) => CardSuggestion | CardSuggestion[] | null;
}

export interface CardSuggestion {
  label?: string;
  config: Record<string, unknown>;
}

declare global {
  interface Window {
    customCards?: CustomCardEntry[];
    loadCardHelpers?: () => Promise<{ createCardElement(config: Record<string, unknown>): HTMLElement }>;
  }
}
