// Homebound's dashboard cards: defines the elements once (a module loaded twice, by a storage
// resource and an extra-JS URL, must not throw) and lists the cards in the card picker.
//
// `getEntitySuggestion` puts the camera card under "Community" in the picker for any Homebound
// entity of a camera device, from Home Assistant 2026.6 on; older releases ignore the field.

import { HomeboundCameraCard } from "./camera-card.js";
import { HomeboundCameraCardEditor, HomeboundOverviewCardEditor } from "./editor.js";
import type { CardSuggestion, CustomCardEntry, HomeAssistant } from "./hass.js";
import { languageOf, translator, type Key } from "./i18n.js";
import { cameraSuggestionConfig } from "./model.js";
import { HomeboundOverviewCard } from "./overview-card.js";

declare const __HOMEBOUND_VERSION__: string;

const ELEMENTS: Array<[string, CustomElementConstructor]> = [
  ["homebound-camera", HomeboundCameraCard],
  ["homebound-overview", HomeboundOverviewCard],
  ["homebound-camera-card-editor", HomeboundCameraCardEditor],
  ["homebound-overview-card-editor", HomeboundOverviewCardEditor],
];

for (const [tag, element] of ELEMENTS) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

/** The page's language (the frontend sets it on <html>) for names read before any hass. */
const pageText = (key: Key): string => translator(document.documentElement.lang || navigator.language || "en")(key);

export function suggestCameraCard(hass: HomeAssistant, entityId: string): CardSuggestion | null {
  const config = cameraSuggestionConfig(hass, entityId);
  return config ? { label: translator(languageOf(hass))("suggestion_label"), config } : null;
}

const CARDS: CustomCardEntry[] = [
  {
    type: "homebound-camera",
    get name() {
      return pageText("camera_card_name");
    },
    get description() {
      return pageText("camera_card_description");
    },
    preview: true,
    getEntitySuggestion: suggestCameraCard,
  },
  {
    type: "homebound-overview",
    get name() {
      return pageText("overview_card_name");
    },
    get description() {
      return pageText("overview_card_description");
    },
    preview: true,
  },
];

window.customCards ??= [];
for (const card of CARDS) {
  if (!window.customCards.some((known) => known.type === card.type)) window.customCards.push(card);
}

console.info(`Homebound cards ${__HOMEBOUND_VERSION__}`);
