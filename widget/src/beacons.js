// Usage counts for partners (widget/README.md, "Usage counts"): no cookie, no id, nothing
// under Global Privacy Control, nothing for a public embed.
import { safe } from './dom.js';

/** Sends one usage event for the widget `state` to `origin`/v1/events. */
export function sendBeacon(origin, state, event, items) {
  const options = state.options;
  if (!options.partner || navigator.globalPrivacyControl) return;
  safe(() => navigator.sendBeacon(origin + '/v1/events', JSON.stringify({
    partner: options.partner, event, kind: options.kind, topic: options.topic || null,
    lang: state.eventLang, items: items || state.ids,
  })));
}
