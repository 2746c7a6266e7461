// The Smart Meditation reading widget: finds its placeholders (<div data-smartmed> and
// <smartmed-widget>), renders each in a shadow root, and lets them go again. Entry point
// of the build (build.mjs); widget/README.md is the partner-facing contract.
import { sendBeacon } from './beacons.js';
import { LOG, safe, service } from './dom.js';
import { getJson, isArticle, isList, isTip } from './fetcher.js';
import { DATA_ATTRIBUTES, TAG, dataUrl, readOptions, unknownLangs } from './options.js';
import {
  applyTheme, fit, renderArticle, renderFallback, renderList, renderShell,
  renderTip, toggleArticle,
} from './render.js';
import { OPTION_NAMES } from './constants.js';
import CSS from './widget.css';

// Whatever happens while starting, the host page must not see an exception.
safe(start);

function start() {
  // Loaded twice (two embeds on one page): the first copy already does everything.
  if (customElements.get(TAG)) return;
  // A classic script (async, defer or neither) always knows itself while it starts; as a
  // module it would not, and the catch above says so.
  const origin = service.origin = new URL(document.currentScript.src, document.baseURI).origin;
  // One constructed stylesheet for every widget: no <style>, so a CSP without
  // 'unsafe-inline' for styles is fine.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);

  const live = new Map();        // host element -> its state
  const released = new WeakSet(); // placeholders a page let go with SmartMed.unmount

  // Data loads when a widget comes within 400 px of the viewport.
  const nearby = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const state = live.get(entry.target);
      if (entry.isIntersecting && state) {
        nearby.unobserve(entry.target);
        state.near = true;
        safe(load, state);
      }
    }
  }, { rootMargin: '400px 0px' });
  // An impression: half the card in view for a second, once per page view.
  const visible = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const state = live.get(entry.target);
      if (!state) continue;
      clearTimeout(state.impressionTimer);
      if (entry.isIntersecting) {
        state.impressionTimer = setTimeout(() => {
          visible.unobserve(entry.target);
          sendBeacon(origin, state, 'impression');
        }, 1000);
      }
    }
  }, { threshold: 0.5 });
  // A new width, or a web font that makes the tip outgrow its card, refits the tip. A fit
  // keeps the card at its reserved height, so it does not call this again.
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const state = live.get(entry.target);
      if (state) safe(fit, state);
    }
  });

  // One click listener per widget: links (usage beacons) and "Read more" buttons.
  function onClick(state, event) {
    const target = event.target;
    const button = target.closest('button[aria-controls]');
    if (button) return safe(readMore, state, button);
    const anchor = target.closest('a[href]');
    const item = anchor && anchor.closest('article');
    if (anchor && anchor !== state.helpLink) {
      sendBeacon(origin, state, 'click', item && item.articleItem ? [item.articleItem.slug] : state.ids);
    }
  }

  function readMore(state, button) {
    const region = toggleArticle(button);
    if (!region) return;
    const item = button.parentNode.articleItem;
    sendBeacon(origin, state, 'read', [item.slug]);
    const query = state.options.partner ? '?partner=' + encodeURIComponent(state.options.partner) : '';
    getJson(origin + '/v1/articles/' + encodeURIComponent(item.slug) + query, isArticle).then(
      (data) => safe(renderArticle, state, region, data.article),
      // It could not load: the list's details of it and the link to it instead.
      () => safe(renderArticle, state, region, item));
  }

  /** Starts (or updates) the widget in `host`. */
  function mount(host) {
    released.delete(host);
    if (live.has(host)) return update(host);
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const state = { host, root, near: false, dataUrl: null };
    state.onClick = (event) => onClick(state, event);
    root.addEventListener('click', state.onClick);
    live.set(host, state);
    resized.observe(host);
    update(host);
  }

  /** Stops the widget in `host`: no observer, timer or listener is left behind. */
  function unmount(host) {
    const state = live.get(host);
    if (!state) return;
    nearby.unobserve(host);
    visible.unobserve(host);
    resized.unobserve(host);
    clearTimeout(state.impressionTimer);
    state.root.removeEventListener('click', state.onClick);
    state.root.replaceChildren();
    state.dataUrl = null;  // an answer still on its way finds nothing to fill
    live.delete(host);
  }

  function update(host) {
    const state = live.get(host);
    if (!state) return;
    const options = state.options = readOptions(host);
    if (options.bad) {
      if (state.bad !== options.bad) console.error(LOG + options.bad);
      state.bad = options.bad;
      state.dataUrl = null;
      return renderFallback(state);
    }
    state.bad = null;
    const url = dataUrl(origin, options);
    if (url === state.dataUrl && state.card) return applyTheme(state);
    state.dataUrl = url;
    renderShell(state);
    if (state.near) load(state);
    else nearby.observe(host);
  }

  function load(state) {
    const { dataUrl: url, options } = state;
    if (!url) return;
    getJson(url, options.kind === 'tip' ? isTip : isList, options.guess).then((data) => {
      if (state.dataUrl !== url) return;
      // What the card shows, for the beacons; a fallback shows nothing and sends nothing.
      state.eventLang = data.lang;
      state.ids = options.kind === 'tip' ? [data.tip.id] : data.articles.map((a) => a.slug);
      if (!state.watched) visible.observe(state.host);
      state.watched = true;
      safe(options.kind === 'tip' ? renderTip : renderList, state, data);
    }, (error) => {
      if (state.dataUrl !== url) return;
      // The page's own language is one the service does not have: ask again without it.
      if (error.retry) {
        unknownLangs.add(options.lang);
        return safe(update, state.host);
      }
      safe(renderFallback, state);
    });
  }

  function scan(node) {
    if (node.nodeType !== 1) return;
    for (const host of [node, ...node.querySelectorAll('[data-smartmed]')]) {
      if (host.hasAttribute('data-smartmed') && !released.has(host)) safe(mount, host);
    }
  }
  function sweep(node) {
    if (node.nodeType !== 1) return;
    live.forEach((state, host) => {
      if (!host.isConnected && (host === node || node.contains(host))) unmount(host);
    });
  }
  // Placeholders a single-page app adds, changes or removes are followed on their own.
  new MutationObserver((records) => safe(() => {
    for (const record of records) {
      if (record.type === 'attributes') {
        const target = record.target;
        if (target.localName === TAG || !target.hasAttribute('data-smartmed')) continue;
        if (live.has(target)) update(target);
        else if (!released.has(target)) mount(target);
        continue;
      }
      record.addedNodes.forEach(scan);
      record.removedNodes.forEach(sweep);
    }
  })).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: DATA_ATTRIBUTES,
  });
  scan(document.documentElement);

  customElements.define(TAG, class extends HTMLElement {
    static get observedAttributes() { return OPTION_NAMES; }
    connectedCallback() { safe(mount, this); }
    disconnectedCallback() { safe(unmount, this); }
    attributeChangedCallback() { if (live.has(this)) safe(update, this); }
  });

  // For single-page apps that manage placeholders themselves (widget/README.md, "Single-page apps").
  window.SmartMed = {
    mount: (host) => safe(mount, host),
    unmount: (host) => {
      released.add(host);
      safe(unmount, host);
    },
  };
}
