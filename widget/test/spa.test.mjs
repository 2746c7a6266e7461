// Issue 18, point 5: single-page apps. A page swaps widgets in and out 100 times, both
// forms (placeholders followed by the widget's MutationObserver, and the custom element),
// and moves one placeholder through SmartMed.unmount/SmartMed.mount; afterwards no event
// listener, observed element, timer or request of the widget's is left.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, setViewport, startWorld, waitInPage } from './harness.mjs';

const SWAPS = 100;

// Installed before the widget loads: counts what is live of everything that could leak.
function instrument() {
  const live = { observers: new Set(), mutationObservers: 0, timers: new Set(), fetches: 0 };
  window.__live = live;
  const listeners = new Map();
  const addEvent = EventTarget.prototype.addEventListener;
  const removeEvent = EventTarget.prototype.removeEventListener;
  const id = (target, type, fn, capture) => {
    let byTarget = listeners.get(target);
    if (!byTarget) listeners.set(target, byTarget = new Map());
    const k = `${type}|${capture ? 1 : 0}`;
    let fns = byTarget.get(k);
    if (!fns) byTarget.set(k, fns = new Set());
    return fns;
  };
  EventTarget.prototype.addEventListener = function (type, fn, options) {
    const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
    if (fn) id(this, type, fn, capture).add(fn);
    return addEvent.call(this, type, fn, options);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, options) {
    const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
    if (fn) id(this, type, fn, capture).delete(fn);
    return removeEvent.call(this, type, fn, options);
  };
  live.countListeners = () => {
    let n = 0;
    for (const byTarget of listeners.values()) for (const fns of byTarget.values()) n += fns.size;
    return n;
  };
  for (const Observer of [IntersectionObserver, ResizeObserver]) {
    const { observe, unobserve, disconnect } = Observer.prototype;
    Observer.prototype.observe = function (target, ...rest) {
      (this.__targets ||= new Set()).add(target);
      live.observers.add(this);
      return observe.call(this, target, ...rest);
    };
    Observer.prototype.unobserve = function (target) { if (this.__targets) this.__targets.delete(target); return unobserve.call(this, target); };
    Observer.prototype.disconnect = function () { if (this.__targets) this.__targets.clear(); return disconnect.call(this); };
  }
  live.countObserved = () => [...live.observers].reduce((n, o) => n + o.__targets.size, 0);
  const { observe: mutationObserve, disconnect: mutationDisconnect } = MutationObserver.prototype;
  MutationObserver.prototype.observe = function (...args) { if (!this.__on) { this.__on = true; live.mutationObservers++; } return mutationObserve.apply(this, args); };
  MutationObserver.prototype.disconnect = function () { if (this.__on) { this.__on = false; live.mutationObservers--; } return mutationDisconnect.call(this); };
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  window.setTimeout = function (fn, ms, ...args) {
    const handle = realSetTimeout(function () { live.timers.delete(handle); return typeof fn === 'function' ? fn.apply(this, args) : undefined; }, ms);
    live.timers.add(handle);
    return handle;
  };
  window.clearTimeout = function (handle) { live.timers.delete(handle); return realClearTimeout(handle); };
  const realFetch = window.fetch;
  window.fetch = function (...args) {
    live.fetches++;
    const settle = () => { live.fetches--; };
    const p = realFetch.apply(this, args);
    p.then(settle, settle);
    return p;
  };
  live.snapshot = () => ({ listeners: live.countListeners(), observed: live.countObserved(),
    mutationObservers: live.mutationObservers, timers: live.timers.size, fetches: live.fetches });
}

// One set of servers for both browsers: what is counted lives in each page, not in them.
let world;
before(async () => { world = await startWorld({ hostile: false, bundled: false }); });
after(async () => { await world?.stop(); });

for (const kind of ['chromium', 'firefox']) {
  describe(`single-page apps in ${kind}`, { timeout: 240000 }, () => {
    let browser;
    before(async () => { browser = await launch(kind); });
    after(async () => { await browser?.close(); });

    it(`swaps widgets in and out ${SWAPS} times and leaves nothing behind`, async () => {
      const ctx = await browser.createBrowserContext();
      const page = await ctx.newPage();
      await setViewport(page, { width: 1000, height: 3000 });
      await page.evaluateOnNewDocument(instrument);
      await page.goto(`${world.host}/swap.html`, { waitUntil: 'load' });
      const ready = (ids) => waitInPage(page, (ids) => ids.every((id) => {
        const el = document.getElementById(id);
        const r = el && el.shadowRoot;
        return r && r.querySelector('.card') && !r.querySelector('[aria-busy]');
      }), { timeout: 15000 }, ids);
      await ready(['kept']);
      // Let the kept widget's one-second impression timer run out (it then stops watching).
      await new Promise((ok) => setTimeout(ok, 1500));
      const baseline = await page.evaluate(() => window.__live.snapshot());

      for (let i = 0; i < SWAPS; i++) {
        await page.evaluate((i) => {
          const view = document.getElementById('view');
          const tip = document.createElement('div');
          tip.id = 'swap-tip';
          tip.dataset.smartmed = 'tip';
          tip.dataset.topic = i % 2 ? 'calm' : 'long';
          tip.dataset.partner = 'fixture-partner';
          const list = document.createElement('smartmed-widget');
          list.id = 'swap-list';
          list.setAttribute('kind', 'articles');
          list.setAttribute('limit', String(1 + (i % 3)));
          list.setAttribute('topic', 'long');
          view.replaceChildren(tip, list);
          // The explicit API on a placeholder that stays in the page.
          const kept = document.getElementById('kept');
          window.SmartMed.unmount(kept);
          window.SmartMed.mount(kept);
        }, i);
        await ready(['swap-tip', 'swap-list', 'kept']);
        if (i % 10 === 0) {
          // Open an article now and then: its request and listener must go too.
          await page.evaluate(() => document.getElementById('swap-list').shadowRoot.querySelector('button').click());
        }
      }
      await page.evaluate(() => document.getElementById('view').replaceChildren());
      // Every request settles (8 s timeout at most) and every impression timer is cleared.
      await waitInPage(page, () => window.__live.fetches === 0, { timeout: 15000 });
      await new Promise((ok) => setTimeout(ok, 1500));
      const end = await page.evaluate(() => window.__live.snapshot());
      const unmounted = await page.evaluate(() => {
        const kept = document.getElementById('kept');
        window.SmartMed.unmount(kept);
        return { children: kept.shadowRoot.childNodes.length, snapshot: window.__live.snapshot() };
      });
      await ctx.close();
      console.log(`${kind}: baseline ${JSON.stringify(baseline)}, after ${SWAPS} swaps ${JSON.stringify(end)}`);
      assert.deepEqual(end, baseline);
      // Unmounting the last widget releases its own listener and observers as well.
      assert.equal(unmounted.children, 0, 'an unmounted widget shows nothing');
      assert.equal(unmounted.snapshot.listeners, baseline.listeners - 1, 'its click listener');
      assert.equal(unmounted.snapshot.observed, 0, 'its resize observation');
      assert.equal(unmounted.snapshot.timers, 0);
    });
  });
}
