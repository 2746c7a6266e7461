// The widget's behaviour, checked the same way in each browser (see chromium.test.mjs and
// firefox.test.mjs). Every page is a fixture under fixtures/pages, served cross-origin.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import {
  AXE, SCREENSHOTS, launch, refused, setViewport, startWorld, waitInPage,
} from './harness.mjs';

// Installed before any page script: records what the widget must never cause.
function instrument() {
  window.__errors = [];
  window.__logs = [];
  window.__storage = 0;
  window.__csp = [];
  window.__heights = {};
  addEventListener('error', (e) => window.__errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => window.__errors.push('rejection: ' + e.reason));
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = (...args) => { window.__logs.push(level + ' ' + args.join(' ')); original(...args); };
  }
  for (const name of ['getItem', 'setItem', 'removeItem']) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (...args) { window.__storage++; return original.apply(this, args); };
  }
  document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  // Every height each widget host has had, to prove data arriving never resizes it. Counted
  // from the moment the host page's own stylesheets apply: Firefox may lay out (and even
  // paint) before they have loaded, when no reservation written in them can hold yet.
  const styled = () => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet);
  const waiting = new Set();
  const note = (el) => {
    const seen = window.__heights[el.id || 'anon'] || (window.__heights[el.id || 'anon'] = []);
    const h = Math.round(el.getBoundingClientRect().height * 10) / 10;
    if (seen[seen.length - 1] !== h) seen.push(h);
  };
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      if (styled()) note(entry.target);
      else waiting.add(entry.target);
    }
  });
  const flush = () => { waiting.forEach(note); waiting.clear(); };
  document.addEventListener('load', (e) => { if (e.target.localName === 'link' && styled()) flush(); }, true);
  addEventListener('load', flush);
  new MutationObserver(() => {
    document.querySelectorAll('[data-smartmed], smartmed-widget').forEach((el) => {
      if (!el.__watched) { el.__watched = true; sizes.observe(el); }
    });
  }).observe(document, { childList: true, subtree: true });
}

const HOSTS = '[data-smartmed], smartmed-widget';

function rendered(page, timeout = 15000) {
  return waitInPage(page, (sel) => {
    const hosts = [...document.querySelectorAll(sel)];
    return hosts.length > 0 && hosts.every((h) => h.shadowRoot && h.shadowRoot.querySelector('.widget')
      && !h.shadowRoot.querySelector('[aria-busy]'));
  }, { timeout }, HOSTS);
}

// What a reader sees in one widget, read from its open shadow root.
function read(page, id) {
  return page.evaluate((id) => {
    const root = document.getElementById(id).shadowRoot;
    const q = (s) => root.querySelector(s);
    const all = (s) => [...root.querySelectorAll(s)];
    return {
      text: q('.widget').textContent,
      lang: q('.widget').lang,
      tip: q('.text') && q('.text').textContent,
      tipLang: q('.text') && q('.text').lang,
      card: q('.card') && q('.card').localName,
      footer: q('.footer') && q('.footer').textContent,
      links: all('a').map((a) => a.href),
      titles: all('h3').map((h) => h.textContent),
      items: all('ul.list > li > article').length,
      buttons: all('button').map((b) => [b.textContent, b.getAttribute('aria-expanded')]),
      fallback: q('.fallback a') && q('.fallback a').href,
      theme: q('.widget').className,
      background: q('.card') ? getComputedStyle(q('.card')).backgroundColor : null,
    };
  }, id);
}

function state(page) {
  return page.evaluate(() => ({ errors: window.__errors, logs: window.__logs,
    storage: window.__storage, csp: window.__csp, heights: window.__heights,
    cookie: document.cookie, pwned: window.__smartmedPwned }));
}

function localDate() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function defineSuite(kind) {
  let world, browser;
  // A browser that cannot emulate the colour scheme on a page is launched dark (harness.mjs):
  // once for the suite, on first need; each test still opens its own context in it.
  let dark = null;
  const darkBrowser = () => (dark ||= launch(kind, { dark: true }));

  async function open(path, { width = 1000, height = 1400, context = null, beforeGo } = {}) {
    const ctx = context || await browser.createBrowserContext();
    const page = await ctx.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await setViewport(page, { width, height });
    await page.evaluateOnNewDocument(instrument);
    if (beforeGo) await beforeGo(page);
    await page.goto(world.host + path, { waitUntil: 'load' });
    // The data the widget reads; its usage beacons (stats.test.mjs) are not reads.
    const data = () => requests.filter((u) => u.includes('/v1/') && !u.includes('/v1/events'));
    return { page, requests, data, close: () => ctx.close() };
  }

  // Clicks the index-th "Read more" and waits for the article it controls to arrive.
  async function expand(page, id, index = 0) {
    const region = await page.evaluate((id, index) => {
      const button = document.getElementById(id).shadowRoot.querySelectorAll('button')[index];
      button.click();
      return button.getAttribute('aria-controls');
    }, id, index);
    await waitInPage(page, (id, region) => {
      const b = document.getElementById(id).shadowRoot.getElementById(region);
      return b && !b.hasAttribute('aria-busy');
    }, { timeout: 10000 }, id, region);
    return region;
  }

  // What this browser can emulate, learnt by asking it on a blank page: a refusal
  // ("unknown command", or a CDP-only call on a BiDi browser) means "cannot", anything else
  // is a real error. Never read from version numbers.
  async function can(action) {
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    try {
      await action(page);
      return true;
    } catch (error) {
      if (refused(error)) return false;
      throw error;
    } finally {
      await ctx.close();
    }
  }

  async function probe() {
    return {
      timezone: await can((p) => p.emulateTimezone('Pacific/Kiritimati')),
      colourScheme: await can((p) => p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }])),
      layoutShift: await can(async (p) => {
        const listed = await p.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('layout-shift'));
        if (!listed) throw new Error('unsupported operation: no layout-shift entries');
      }),
    };
  }

  async function axe(page) {
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    return result;
  }

  describe(`widget in ${kind}`, { timeout: 240000 }, () => {
    before(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      world = await startWorld();
      browser = await launch(kind);
      can.has = await probe();
      console.log(`${kind} can emulate: ` +
        Object.entries(can.has).map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', '));
    });
    after(async () => {
      if (browser) await browser.close();
      if (dark) await dark.then((b) => b.close(), () => {});
      if (world) await world.stop();
    });

    it('renders a tip and articles on a cross-origin page, with attribution', async () => {
      const { page, requests, data, close } = await open('/plain.html');
      await rendered(page);
      const tip = await read(page, 'tip');
      const list = await read(page, 'articles');
      const seen = await state(page);
      const today = await page.evaluate(`(${localDate})()`);
      await close();

      assert.equal(tip.card, 'article');
      assert.ok(tip.tip.length > 20, 'the tip text is shown');
      assert.equal(tip.lang, 'en');
      assert.equal(tip.tipLang, 'en');
      assert.match(tip.text, /Smart Meditation/);
      // The fixture's reviewer is a role placeholder: the honest label, never "Reviewed by".
      assert.match(tip.footer, /Awaiting clinical review/);
      assert.doesNotMatch(tip.footer, /Reviewed/);
      assert.ok(tip.links.every((u) => u.startsWith(world.service + '/')));
      assert.ok(tip.links.some((u) => u.includes('utm_source=fixture-partner&utm_medium=widget')));
      assert.equal(list.card, 'section');
      assert.equal(list.items, 3);
      assert.equal(list.titles[0], 'A Three-Minute Breathing Space for Busy, Crowded and Noisy Working Days');
      assert.match(list.text, /Awaiting clinical review/);
      assert.match(list.footer, /Awaiting clinical review/);
      assert.doesNotMatch(list.text + list.footer, /Reviewed/);
      assert.deepEqual(list.buttons[0], ['Read more', 'false']);

      assert.deepEqual(data().sort(), [
        // No lang option: the page's <html lang="en"> is sent.
        `${world.service}/v1/articles?limit=3&partner=fixture-partner&topic=long&lang=en`,
        `${world.service}/v1/tips/${today}?partner=fixture-partner&topic=calm&lang=en`,
      ]);
      const foreign = requests.filter((u) => !u.startsWith(world.service + '/')
        && !u.startsWith(world.host + '/'));
      assert.deepEqual(foreign, [], 'no request to anything but the service');
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.logs, []);
      assert.equal(seen.storage, 0, 'no localStorage or sessionStorage');
      assert.equal(seen.cookie, '');
    });

    it('asks for the tip of the reader\'s local date', async (t) => {
      if (!can.has.timezone) return t.skip(`${kind} refuses timezone emulation (emulation.setTimezoneOverride)`);
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        const { page, data, close } = await open('/order-head.html', {
          beforeGo: (p) => p.emulateTimezone(zone) });
        await rendered(page);
        const expected = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
        const urls = data();
        await close();
        assert.ok(urls.includes(`${world.service}/v1/tips/${expected}?topic=calm&lang=en`), urls.join(' '));
      }
    });

    it('works with the script before the placeholders, sync, async or defer', async () => {
      for (const mode of ['head', 'async', 'defer']) {
        const { page, close } = await open(`/order-${mode}.html`);
        await rendered(page);
        const tip = await read(page, 'tip');
        const list = await read(page, 'articles');
        const seen = await state(page);
        await close();
        assert.ok(tip.tip, `${mode}: tip shown`);
        assert.equal(list.items, 2, `${mode}: two articles`);
        assert.deepEqual(seen.errors, []);
      }
    });

    it('loads from the immutable URL with subresource integrity', async () => {
      const { page, data, close } = await open('/sri.html');
      await rendered(page);
      const tip = await read(page, 'tip');
      const urls = data();
      await close();
      assert.match(world.info.src, /\/widget\.[0-9a-f]+\.js$/);
      assert.ok(tip.tip);
      assert.ok(urls.every((u) => u.startsWith(world.service + '/v1/')), 'origin taken from the hashed URL');
    });

    it('works under a strict Content-Security-Policy', async () => {
      const { page, close } = await open('/csp.html');
      await rendered(page);
      const tip = await read(page, 'tip');
      const list = await read(page, 'articles');
      const sheets = await page.evaluate(() => [...document.querySelectorAll('[data-smartmed], smartmed-widget')]
        .map((h) => [h.shadowRoot.adoptedStyleSheets.length, h.shadowRoot.querySelectorAll('style').length]));
      const seen = await state(page);
      await close();
      assert.ok(tip.tip);
      assert.match(tip.theme, /\bdark\b/, 'data-theme="dark" applied');
      assert.equal(list.items, 3);
      assert.deepEqual(sheets, [[1, 0], [1, 0]], 'constructable stylesheets, no <style>');
      assert.deepEqual(seen.csp, []);
      assert.deepEqual(seen.errors, []);
    });

    it('keeps a hostile page\'s CSS out of the widget', async () => {
      const { page, close } = await open('/hostile-css.html');
      await rendered(page);
      const styles = await page.evaluate(() => {
        const root = document.getElementById('tip').shadowRoot;
        const list = document.getElementById('articles').shadowRoot;
        const pick = (el) => {
          const s = getComputedStyle(el);
          return { color: s.color, font: s.fontFamily, transform: s.textTransform,
            spacing: s.letterSpacing, align: s.textAlign, style: s.fontStyle, bg: s.backgroundColor };
        };
        return { tip: pick(root.querySelector('.text')), title: pick(list.querySelector('h3')),
          button: pick(list.querySelector('button')), host: pick(document.querySelector('h1')) };
      });
      await close();
      assert.equal(styles.host.color, 'rgb(255, 0, 255)', 'the hostile CSS is in force on the page');
      for (const part of ['tip', 'title', 'button']) {
        const s = styles[part];
        assert.notEqual(s.color, 'rgb(255, 0, 255)', `${part} colour`);
        assert.doesNotMatch(s.font, /Comic|cursive|fantasy/, `${part} font`);
        assert.equal(s.transform, 'none', `${part} text-transform`);
        assert.notEqual(s.spacing, '4px', `${part} letter-spacing`);
        assert.equal(s.style, 'normal', `${part} font-style`);
        assert.notEqual(s.bg, 'rgb(255, 255, 0)', `${part} background`);
      }
    });

    it('follows a single-page app: added, changed and removed placeholders', async () => {
      const { page, data, close } = await open('/spa.html');
      await page.evaluate(() => {
        const d = document.createElement('div');
        d.id = 'tip'; d.dataset.smartmed = 'tip'; d.dataset.topic = 'calm';
        document.getElementById('app').append(d);
        const w = document.createElement('smartmed-widget');
        w.id = 'articles'; w.setAttribute('kind', 'articles'); w.setAttribute('limit', '1');
        document.getElementById('app').append(w);
      });
      await rendered(page);
      const first = await read(page, 'tip');
      const before = data().length;
      await page.evaluate(() => { document.getElementById('tip').dataset.theme = 'dark'; });
      await waitInPage(page, () => /\bdark\b/.test(document.getElementById('tip').shadowRoot.querySelector('.widget').className));
      const dark = await read(page, 'tip');
      assert.equal(data().length, before, 'a theme change refetches nothing');
      assert.notEqual(dark.background, first.background);

      await page.evaluate(() => { document.getElementById('tip').dataset.topic = 'long'; });
      await waitInPage(page, () => {
        const t = document.getElementById('tip').shadowRoot.querySelector('.text');
        return t && t.textContent.startsWith('Pause before');
      }, { timeout: 10000 });
      assert.ok(data().some((u) => u.includes('topic=long')));

      await page.evaluate(() => { document.getElementById('articles').setAttribute('theme', 'light'); });
      await page.evaluate(() => { document.getElementById('articles').setAttribute('limit', '2'); });
      await waitInPage(page, () => document.getElementById('articles').shadowRoot
        .querySelectorAll('ul.list > li').length === 2, { timeout: 10000 });

      await page.evaluate(() => {
        const tip = document.getElementById('tip');
        tip.remove();
        document.getElementById('articles').remove();
        document.getElementById('app').append(tip);
      });
      await rendered(page);
      const again = await read(page, 'tip');
      const seen = await state(page);
      await close();
      assert.ok(again.tip.startsWith('Pause before'), 're-attached widget renders');
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.logs, []);
    });

    it('makes one request per distinct data URL with many widgets', async () => {
      const { page, data, close } = await open('/many.html', { height: 3000 });
      await rendered(page);
      const count = await page.evaluate(() => document.querySelectorAll('[data-smartmed], smartmed-widget').length);
      const seen = await state(page);
      const urls = data();
      await close();
      assert.equal(count, 8);
      assert.equal(new Set(urls).size, urls.length, `duplicates in ${urls.join(' ')}`);
      assert.equal(urls.length, 4, urls.join(' '));
      assert.deepEqual(seen.errors, []);
    });

    it('loads data only when a widget comes near the viewport', async () => {
      const { page, data, close } = await open('/lazy.html', { height: 800 });
      await waitInPage(page, () => {
        const r = document.getElementById('tip').shadowRoot;
        return r && r.querySelector('.text');
      }, { timeout: 10000 });
      await new Promise((ok) => setTimeout(ok, 500));
      assert.ok(!data().some((u) => u.includes('/v1/articles')), 'the far widget waits');
      await page.evaluate(() => document.getElementById('articles').scrollIntoView());
      await rendered(page);
      assert.ok(data().some((u) => u.includes('/v1/articles')));
      await close();
    });

    it('follows prefers-color-scheme live with theme auto', async (t) => {
      if (!can.has.colourScheme) {
        return t.skip(`${kind} cannot switch prefers-color-scheme on a live page over WebDriver BiDi; ` +
          'the dark-scheme axe test launches it dark instead');
      }
      const { page, close } = await open('/scheme.html');
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await rendered(page);
      const light = await read(page, 'tip');
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      const dark = await read(page, 'tip');
      await close();
      assert.equal(light.background, 'rgb(251, 250, 246)');
      assert.equal(dark.background, 'rgb(22, 34, 32)');
    });

    it('has no axe violations, light and dark, with an article open; screenshots', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const schemes = [['light', browser], ['dark', can.has.colourScheme ? browser : await darkBrowser()]];
      for (const [scheme, b] of schemes) {
        const context = await b.createBrowserContext();
        const { page, close } = await open('/scheme.html', { context, width: 760, height: 3000,
          beforeGo: can.has.colourScheme
            ? (p) => p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]) : null });
        await rendered(page);
        const tip = await read(page, 'tip');
        assert.equal(tip.background, scheme === 'dark' ? 'rgb(22, 34, 32)' : 'rgb(251, 250, 246)');
        for (const id of ['tip', 'articles']) {
          const el = await page.$(`#${id}`);
          await el.screenshot({ path: join(SCREENSHOTS, `${kind}-${id}-${scheme}.png`) });
        }
        await expand(page, 'articles', 2);
        const el = await page.$('#articles');
        await el.screenshot({ path: join(SCREENSHOTS, `${kind}-article-open-${scheme}.png`) });
        const violations = await axe(page);
        await close();
        assert.deepEqual(violations, [], `${scheme}: ${violations.join('; ')}`);
      }
    });

    it('expands an article in place, accessibly, and collapses it again', async () => {
      const { page, close } = await open('/plain.html');
      await rendered(page);
      // Keyboard: Tab from the page into the widget's first button.
      await page.evaluate(() => document.body.focus());
      let focused = null;
      for (let i = 0; i < 12 && focused !== 'Read more'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => {
          const a = document.activeElement;
          return a && a.id === 'articles' ? a.shadowRoot.activeElement.textContent : null;
        });
      }
      assert.equal(focused, 'Read more', 'the disclosure button is reachable by keyboard');
      const outline = await page.evaluate(() => getComputedStyle(
        document.getElementById('articles').shadowRoot.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'visible focus');
      await page.keyboard.press('Enter');
      await waitInPage(page, () => {
        const b = document.getElementById('articles').shadowRoot.querySelector('.body');
        return b && !b.hasAttribute('aria-busy');
      }, { timeout: 10000 });
      const open1 = await page.evaluate(() => {
        const root = document.getElementById('articles').shadowRoot;
        const button = root.querySelector('button');
        const region = root.getElementById(button.getAttribute('aria-controls'));
        return { expanded: button.getAttribute('aria-expanded'), label: button.textContent,
          focus: root.activeElement === button, hidden: region.hidden,
          headings: [...region.querySelectorAll('h2')].map((h) => h.textContent),
          items: region.querySelectorAll('ul > li').length,
          readOn: [...region.querySelectorAll('a')].filter((a) => a.textContent === 'Smart Meditation').map((a) => a.href),
          disclaimer: !!region.querySelector('.disclaimer') };
      });
      const api = await (await fetch(`${world.service}/v1/articles/breathing-space?partner=fixture-partner`)).json();
      assert.equal(open1.expanded, 'true');
      assert.equal(open1.label, 'Read more', 'the button keeps its words; aria-expanded says it is open');
      assert.ok(open1.focus, 'focus stays on the disclosure button');
      assert.equal(open1.hidden, false);
      assert.deepEqual(open1.headings, ['Three steps', 'Afterwards']);
      assert.equal(open1.items, 3);
      assert.deepEqual(open1.readOn, [api.article.url]);
      assert.match(api.article.url, /utm_source=fixture-partner/);
      assert.equal(open1.disclaimer, false, 'not a medical article');

      await page.keyboard.press('Enter');
      const closed = await page.evaluate(() => {
        const root = document.getElementById('articles').shadowRoot;
        const button = root.querySelector('button');
        return [button.getAttribute('aria-expanded'), root.getElementById(button.getAttribute('aria-controls')).hidden];
      });
      assert.deepEqual(closed, ['false', true]);

      const third = await expand(page, 'articles', 2);
      const medical = await page.evaluate((region) => document.getElementById('articles').shadowRoot
        .getElementById(region).querySelector('.disclaimer[role=note]').textContent, third);
      await close();
      assert.match(medical, /not medical advice/);
    });

    it('never runs what malicious content carries', async () => {
      const { page, close } = await open('/malicious.html');
      await rendered(page);
      await expand(page, 'articles', 0);
      await new Promise((ok) => setTimeout(ok, 300));
      const found = await page.evaluate(() => {
        const out = { attrs: [], hrefs: [], tags: [] };
        for (const host of document.querySelectorAll('[data-smartmed], smartmed-widget')) {
          for (const el of host.shadowRoot.querySelectorAll('*')) {
            if (/^(script|img|svg|iframe|object|embed|style|link)$/.test(el.localName)) out.tags.push(el.localName);
            for (const at of el.attributes) if (/^on/i.test(at.name)) out.attrs.push(at.name);
            if (el.localName === 'a' && !/^https?:/.test(el.getAttribute('href'))) out.hrefs.push(el.getAttribute('href'));
          }
        }
        const tip = document.getElementById('tip').shadowRoot;
        const list = document.getElementById('articles').shadowRoot;
        const body = list.querySelector('.body');
        out.tipText = tip.querySelector('.text').textContent;
        out.title = list.querySelector('h3').textContent;
        out.headings = [...body.querySelectorAll('h2')].map((h) => h.textContent);
        out.items = [...body.querySelectorAll('ul > li')].map((li) => li.textContent);
        out.ordered = body.querySelectorAll('ol > li').length;
        return out;
      });
      const seen = await state(page);
      await close();
      assert.equal(seen.pwned, undefined, 'no payload ran');
      assert.deepEqual(found.tags, []);
      assert.deepEqual(found.attrs, []);
      assert.deepEqual(found.hrefs, []);
      assert.match(found.tipText, /<script>window.__smartmedPwned=1<\/script>/, 'shown as text');
      assert.match(found.title, /<img src=x onerror=/);
      assert.deepEqual(found.headings, ['A safe heading']);
      assert.deepEqual(found.items, ['first safe item', 'second safe item']);
      assert.equal(found.ordered, 1);
      assert.deepEqual(seen.errors, []);
    });

    it('never runs anything from the hostile corpus (tests/hostile)', async () => {
      const { page, close } = await open('/hostile-corpus.html', { height: 6000 });
      await rendered(page);
      // Open every article of both lists: their bodies are the service's sanitized HTML.
      for (const id of ['articles', 'calm']) {
        const count = await page.evaluate((id) => document.getElementById(id).shadowRoot
          .querySelectorAll('button').length, id);
        assert.ok(count >= 2, `${id}: ${count} articles`);
        for (let i = 0; i < count; i++) await expand(page, id, i);
      }
      await new Promise((ok) => setTimeout(ok, 300));
      const found = await page.evaluate(() => {
        const out = { nodes: [], attrs: [], urls: [], titles: [], bodies: 0 };
        const bad = /^(script|style|iframe|frame|object|embed|svg|math|link|meta|base|form|img|template)$/;
        for (const host of document.querySelectorAll('[data-smartmed], smartmed-widget')) {
          for (const el of host.shadowRoot.querySelectorAll('*')) {
            if (bad.test(el.localName) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') out.nodes.push(el.localName);
            for (const at of el.attributes) {
              if (/^on/i.test(at.name)) out.attrs.push(`${el.localName} ${at.name}`);
              if (/^(href|src|action|formaction|xlink:href)$/i.test(at.name)
                && !/^(https?:|#)/.test(at.value)) out.urls.push(`${el.localName} ${at.name}=${at.value}`);
            }
          }
          out.titles.push(...[...host.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent));
          out.bodies += [...host.shadowRoot.querySelectorAll('.body')].filter((b) => !b.hidden && b.textContent.length > 20).length;
        }
        out.tip = document.getElementById('tip').shadowRoot.querySelector('.text').textContent;
        return out;
      });
      const seen = await state(page);
      await close();
      assert.equal(seen.pwned, undefined, 'no payload ran');
      assert.deepEqual(found.nodes, []);
      assert.deepEqual(found.attrs, []);
      assert.deepEqual(found.urls, []);
      assert.ok(found.bodies >= 6, `opened article bodies: ${found.bodies}`);
      assert.ok(found.titles.some((t) => t.includes('<script>window.__smartmedPwned=1</script>')),
        'hostile titles are shown as text');
      assert.ok(found.tip.length > 0);
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.csp, []);
    });

    it('names a bad option once and renders a quiet link instead', async () => {
      const { page, close } = await open('/bad-options.html');
      await rendered(page);
      const bad = {};
      for (const id of ['bad-theme', 'bad-kind', 'bad-limit', 'good']) bad[id] = await read(page, id);
      const seen = await state(page);
      await close();
      assert.deepEqual(seen.logs.sort(), [
        'error [smartmed] kind: "weather" is not valid; use tip, articles',
        'error [smartmed] limit: "99" is not valid; use 1 to 10',
        'error [smartmed] theme: "blue" is not valid; use auto, light, dark',
      ]);
      assert.equal(bad['bad-theme'].fallback, `${world.service}/tips`);
      assert.equal(bad['bad-kind'].fallback, `${world.service}/articles`);
      assert.equal(bad['bad-limit'].fallback, `${world.service}/articles`);
      assert.equal(bad['bad-theme'].card, null, 'nothing half-built');
      assert.ok(bad.good.tip);
      assert.deepEqual(seen.errors, []);
    });

    for (const via of ['down', 'garbage', 'slow']) {
      it(`falls back to a quiet link when the service is ${via}`, async () => {
        const { page, close } = await open(`/failure.html?via=${via}`);
        await waitInPage(page, () => ['tip', 'articles'].every((id) => {
          const r = document.getElementById(id).shadowRoot;
          return r && r.querySelector('.fallback a');
        }), { timeout: 15000 });
        const tip = await read(page, 'tip');
        const list = await read(page, 'articles');
        const seen = await state(page);
        await close();
        const origin = world.fakes[via];
        assert.equal(tip.fallback, `${origin}/tips`);
        assert.equal(list.fallback, `${origin}/articles`);
        assert.equal(seen.logs.length, 2, seen.logs.join('\n'));
        assert.ok(seen.logs.every((l) => l.startsWith('warn [smartmed] could not load')));
        assert.deepEqual(seen.errors, [], 'nothing reaches window.onerror');
        for (const id of ['tip', 'articles']) {
          assert.equal(new Set(seen.heights[id].filter((h) => h > 0)).size, 1, `${id} kept its height`);
        }
      });
    }

    it('reserves its final height when it attaches', async () => {
      for (const path of ['/shift-reserved.html', '/shift-unreserved.html']) {
        for (const width of [320, 1280]) {
          const { page, close } = await open(path, { width, height: 2600 });
          await rendered(page);
          await new Promise((ok) => setTimeout(ok, 300));
          const seen = await state(page);
          await close();
          for (const id of ['tip', 'articles']) {
            const heights = seen.heights[id].filter((h) => h > 0);
            assert.equal(heights.length, 1, `${path} ${width}px ${id}: heights ${heights}`);
            if (path === '/shift-reserved.html') assert.deepEqual(seen.heights[id], heights, 'never 0');
          }
        }
      }
    });

    it('does not shift the layout (layout-shift entries)', async (t) => {
      if (!can.has.layoutShift) {
        return t.skip(`${kind} records no layout-shift entries; the reserved-height test covers it`);
      }
      for (const [path, most] of [['/shift-reserved.html', 0], ['/shift-unreserved.html', 1]]) {
        const { page, close } = await open(path, { width: 800, height: 2600 });
        await rendered(page);
        await new Promise((ok) => setTimeout(ok, 500));
        const { shifts, firstData } = await page.evaluate(() => new Promise((ok) => {
          new PerformanceObserver((list) => {
            const data = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/'));
            ok({ shifts: list.getEntries().map((e) => ({ value: e.value, at: e.startTime })),
              firstData: Math.min(...data.map((e) => e.responseEnd)) });
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => ok({ shifts: [], firstData: 0 }), 1000);
        }));
        await close();
        assert.ok(shifts.length <= most, `${path}: ${JSON.stringify(shifts)}`);
        assert.ok(shifts.every((s) => s.at < firstData), `${path}: a shift after data arrived`);
        if (most === 0) assert.equal(shifts.reduce((a, s) => a + s.value, 0), 0);
      }
    });

    // Article titles, details and snippets are clamped to a fixed number of lines (issue 18:
    // fixed-height items), and "Learn more" and the card's heading to one (issue 19: its
    // words arrive with the data, in any language): those may overflow their box, by design,
    // and keep their whole text for screen readers. Everything else is shown whole.
    it('shows the longest texts whole (clamped ones with an ellipsis) at 320 and 1280 px wide', async () => {
      const tipText = (await (await fetch(`${world.service}/v1/tips/${localDate()}?topic=long`)).json()).tip.text;
      assert.equal(tipText.length, 180);  // the longest a tip may be (content/README.md)
      for (const width of [320, 1280]) {
        const { page, close } = await open('/fit.html', { width, height: 5000 });
        await rendered(page);
        const report = await page.evaluate(() => {
          const out = [];
          for (const host of document.querySelectorAll('[data-smartmed]')) {
            const root = host.shadowRoot;
            const card = root.querySelector('.card').getBoundingClientRect();
            const h = host.getBoundingClientRect();
            if (Math.abs(h.height - card.height) > 0.5) out.push(`${host.id}: host ${h.height} card ${card.height}`);
            const reserved = parseFloat(getComputedStyle(root.querySelector('.card')).minHeight);
            if (card.height > reserved + 0.5) out.push(`${host.id}: grew past its reservation (${card.height} > ${reserved})`);
            for (const el of root.querySelectorAll('.card *')) {
              if (el.closest('.clamp, .learn, .header h2')) continue;
              if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push(`${host.id} ${el.localName}.${el.className}: overflows x`);
              if (el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0) out.push(`${host.id} ${el.localName}.${el.className}: overflows y`);
              const r = el.getBoundingClientRect();
              if (r.width && (r.left < card.left - 0.5 || r.right > card.right + 0.5
                || r.top < card.top - 0.5 || r.bottom > card.bottom + 0.5)) out.push(`${host.id} ${el.localName}: outside the card`);
            }
          }
          return { out, tip: document.getElementById('tip').shadowRoot.querySelector('.text').textContent,
            clamped: [...document.getElementById('articles').shadowRoot.querySelectorAll('.clamp')]
              .filter((el) => getComputedStyle(el).webkitLineClamp === 'none').length,
            snippets: [...document.getElementById('articles').shadowRoot.querySelectorAll('.snippet')].map((s) => s.textContent) };
        });
        if (width === 320) await page.screenshot({ path: join(SCREENSHOTS, `${kind}-fit-320.png`), fullPage: true });
        await close();
        assert.deepEqual(report.out, [], `${width}px`);
        assert.equal(report.tip, tipText);
        assert.equal(report.snippets.length, 3);
        assert.equal(report.clamped, 0, 'every title, details line and snippet is line-clamped');
      }
    });

    // Issue 19: every language the bundled library has, chosen by the page's <html lang>.
    // The words around the content must be the answer's labels, never English (no element
    // marked as an English fallback), with the "min read" form Intl.PluralRules picks.
    const ENGLISH_WORDS = /Tip of the day|Learn more|Read more|min read|Awaiting clinical review|Reviewed by|Need urgent help/;
    async function readLanguage(page) {
      return page.evaluate(() => Object.fromEntries(['tip', 'articles', 'explicit'].map((id) => {
        const root = document.getElementById(id).shadowRoot;
        const w = root.querySelector('.widget');
        return [id, { lang: w.lang, dir: w.dir, text: w.textContent,
          heading: root.querySelector('h2').textContent,
          help: root.querySelector('.help a').textContent,
          helpHref: root.querySelector('.help a').href,
          english: [...root.querySelectorAll('[lang="en"]')].map((e) => e.localName + ': ' + e.textContent),
          metas: [...root.querySelectorAll('.meta')].map((m) => m.textContent),
          buttons: [...root.querySelectorAll('button')].map((b) => b.textContent),
          footer: root.querySelector('.footer') && root.querySelector('.footer').textContent }];
      })));
    }

    for (const lang of ['en', 'es', 'de']) {
      it(`speaks ${lang} from the page's <html lang>, light and dark, with no axe violations`, async () => {
        const today = localDate();
        const tipApi = await (await fetch(`${world.bundled}/v1/tips/${today}?lang=${lang}`)).json();
        const listApi = await (await fetch(`${world.bundled}/v1/articles?limit=2&lang=${lang}&medical=include`)).json();
        const labels = tipApi.labels;
        assert.equal(labels.lang, lang);
        const schemes = [['light', browser], ['dark', can.has.colourScheme ? browser : await darkBrowser()]];
        for (const [scheme, b] of schemes) {
          const context = await b.createBrowserContext();
          const { page, data, close } = await open(`/langs.html?lang=${lang}-XX`, { context, width: 760, height: 2400,
            beforeGo: can.has.colourScheme
              ? (p) => p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]) : null });
          await rendered(page);
          const seen = await readLanguage(page);
          const background = await page.evaluate(() => getComputedStyle(
            document.getElementById('tip').shadowRoot.querySelector('.card')).backgroundColor);
          // Read before the screenshots: an element screenshot resizes Chromium's view for a
          // moment, which may leave a "ResizeObserver loop" notice that no reader causes.
          const state1 = await state(page);
          if (kind === 'chromium' && lang !== 'en') {
            for (const id of ['tip', 'articles']) {
              const el = await page.$(`#${id}`);
              await el.screenshot({ path: join(SCREENSHOTS, `${kind}-${id}-${lang}-${scheme}.png`) });
            }
          }
          await expand(page, 'articles', 0);
          const violations = await axe(page);
          const urls = data();
          await close();
          const where = `${lang} ${scheme}`;
          assert.equal(background, scheme === 'dark' ? 'rgb(22, 34, 32)' : 'rgb(251, 250, 246)', where);
          assert.deepEqual(violations, [], `${where}: ${violations.join('; ')}`);
          assert.deepEqual(state1.errors, [], where);
          assert.deepEqual(state1.logs, [], where);
          // The page's primary subtag is sent; the explicit data-lang="es" wins over it.
          assert.ok(urls.includes(`${world.bundled}/v1/tips/${today}?lang=${lang}`), `${where}: ${urls.join(' ')}`);
          assert.ok(urls.includes(`${world.bundled}/v1/articles?limit=2&lang=${lang}&medical=include`), urls.join(' '));
          assert.ok(urls.includes(`${world.bundled}/v1/tips/${today}?lang=es`), urls.join(' '));
          assert.equal(seen.explicit.lang, 'es');
          for (const id of ['tip', 'articles']) {
            const w = seen[id];
            assert.equal(w.lang, lang, `${where} ${id}`);
            assert.equal(w.dir, 'ltr', `${where} ${id}`);
            if (lang !== 'en') assert.deepEqual(w.english, [], `${where} ${id}: English fallbacks`);
            assert.equal(w.help, labels.help_heading, `${where} ${id}`);
            assert.ok(w.helpHref.startsWith(`${world.bundled}${lang === 'en' ? '' : '/' + lang}/help`), w.helpHref);
            if (lang !== 'en') assert.doesNotMatch(w.text, ENGLISH_WORDS, `${where} ${id}: English in ${w.text}`);
          }
          assert.equal(seen.tip.heading, labels.tip_of_the_day);
          assert.equal(seen.articles.heading, labels.learn_more);
          assert.ok(seen.tip.footer.startsWith(tipApi.attribution.reviewed_by
            ? labels.reviewed_by.replace('{names}', tipApi.attribution.reviewed_by) : labels.awaiting_review), seen.tip.footer);
          assert.deepEqual(seen.articles.buttons, listApi.articles.map(() => labels.read_more));
          // "{n} min read" in the plural form of the language's rules, the number as it writes it.
          const expected = listApi.articles.map((a) => {
            const forms = labels.min_read;
            const form = forms[new Intl.PluralRules(lang).select(a.reading_minutes)] || forms.other;
            return form.replace('{n}', a.reading_minutes.toLocaleString(lang));
          });
          seen.articles.metas.forEach((m, i) => assert.ok(m.includes(expected[i]), `${where}: ${m} lacks ${expected[i]}`));
        }
      });
    }

    it('asks again without lang when the page\'s language is one the service lacks', async () => {
      const { page, data, close } = await open('/langs.html?lang=fr-CA');
      await rendered(page);
      const seen = await readLanguage(page);
      const logs = await state(page);
      const urls = data();
      await close();
      const today = localDate();
      assert.ok(urls.includes(`${world.bundled}/v1/tips/${today}?lang=fr`), urls.join(' '));
      assert.ok(urls.includes(`${world.bundled}/v1/tips/${today}`), 'asked again without lang: ' + urls.join(' '));
      assert.equal(seen.tip.lang, 'en', 'the service default');
      assert.equal(seen.explicit.lang, 'es');
      assert.deepEqual(logs.logs, [], 'an unknown page language is expected, not worth a warning');
      assert.deepEqual(logs.errors, []);
    });

    // Issue 19, point 6: no right-to-left language ships yet, so a mock service answers
    // lang=ar with the fixture's answers relabelled right to left (labels.dir "rtl").
    it('lays out right to left when the answer says so, mirrored box for box', async () => {
      const today = localDate();
      const tip = await (await fetch(`${world.service}/v1/tips/${today}?topic=calm`)).json();
      const list = await (await fetch(`${world.service}/v1/articles?limit=2&topic=long`)).json();
      const script = await (await fetch(`${world.service}/widget.js`)).text();
      const rtl = (answer) => ({ ...answer, lang: 'ar',
        labels: { ...answer.labels, lang: 'ar', dir: 'rtl', tip_of_the_day: 'نصيحة اليوم' } });
      const answers = { tip: [tip, { ...rtl(tip), tip: { ...tip.tip, text: 'تنفّس ببطء وعدّ أنفاسك العشرة الأولى.' } }],
        list: [list, { ...rtl(list), articles: list.articles.map((a) => ({ ...a, lang: 'ar' })) }] };
      const mock = http.createServer((req, res) => {
        const headers = { 'access-control-allow-origin': '*' };
        if (req.url.startsWith('/widget.js')) {
          res.writeHead(200, { ...headers, 'content-type': 'text/javascript' });
          return res.end(script);
        }
        const pair = req.url.startsWith('/v1/tips/') ? answers.tip : answers.list;
        res.writeHead(200, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(pair[req.url.includes('lang=ar') ? 1 : 0]));
      });
      await new Promise((ok) => mock.listen(0, '127.0.0.1', ok));
      world.vars.RTL = `http://127.0.0.1:${mock.address().port}`;
      try {
        const { page, close } = await open('/rtl.html?via=rtl', { width: 760, height: 2600 });
        await rendered(page);
        const seen = await state(page);  // before the screenshot (see the per-language test)
        await page.screenshot({ path: join(SCREENSHOTS, `${kind}-rtl.png`), fullPage: true });
        const boxes = await page.evaluate(() => Object.fromEntries(
          ['tip-rtl', 'tip-ltr', 'articles-rtl', 'articles-ltr'].map((id) => {
            const root = document.getElementById(id).shadowRoot;
            const box = (sel) => {
              const r = root.querySelector(sel).getBoundingClientRect();
              return { left: r.left, right: r.right };
            };
            // The first line of a text: where it starts and ends (all its runs: a "?" in
            // English in a right-to-left line is a run of its own).
            const line = (sel) => {
              const range = document.createRange();
              range.selectNodeContents(root.querySelector(sel));
              const rects = [...range.getClientRects()];
              const first = rects.filter((r) => Math.abs(r.top - rects[0].top) < 2 && r.width > 0);
              return { left: Math.min(...first.map((r) => r.left)), right: Math.max(...first.map((r) => r.right)) };
            };
            const card = root.querySelector('.card');
            const cs = getComputedStyle(card);
            const inner = { left: card.getBoundingClientRect().left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft),
              right: card.getBoundingClientRect().right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight) };
            const quote = root.querySelector('.quote');
            return [id, { dir: root.querySelector('.widget').dir, lang: root.querySelector('.widget').lang,
              inner, mark: box('.mark'), heading: box('h2'), help: line('.help a'),
              quoteBorder: quote && [getComputedStyle(quote).borderLeftWidth, getComputedStyle(quote).borderRightWidth],
              text: quote && line('.text'), title: root.querySelector('h3') && line('h3'),
              button: root.querySelector('button') && box('button') }];
          })));
        await close();
        assert.deepEqual(seen.errors, []);
        const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1.5, `${what}: ${a} vs ${b}`);
        for (const [id, b] of Object.entries(boxes)) {
          const rtlSide = id.endsWith('-rtl');
          assert.equal(b.dir, rtlSide ? 'rtl' : 'ltr', id);
          assert.equal(b.lang, rtlSide ? 'ar' : 'en', id);
          // The brand mark sits at the start, the card's heading at the end.
          assert.ok(rtlSide ? b.mark.left > b.heading.right : b.mark.right < b.heading.left, `${id}: header order`);
          near(rtlSide ? b.mark.right : b.mark.left, rtlSide ? b.inner.right : b.inner.left, `${id}: mark at the start`);
          near(rtlSide ? b.heading.left : b.heading.right, rtlSide ? b.inner.left : b.inner.right, `${id}: heading at the end`);
          // Text starts at the start edge: the help line, the tip's first line, a title, the button.
          near(rtlSide ? b.help.right : b.help.left, rtlSide ? b.inner.right : b.inner.left, `${id}: help line`);
          assert.ok(rtlSide ? b.help.left > b.inner.left + 40 : b.help.right < b.inner.right - 40, `${id}: help line is short`);
          if (b.quoteBorder) {
            assert.deepEqual(b.quoteBorder, rtlSide ? ['0px', '3px'] : ['3px', '0px'], `${id}: the tip's rule at the start`);
            near(rtlSide ? b.text.right : b.text.left, rtlSide ? b.inner.right - 17 : b.inner.left + 17, `${id}: tip text`);
          }
          if (b.title) {
            near(rtlSide ? b.title.right : b.title.left, rtlSide ? b.inner.right : b.inner.left, `${id}: title`);
            near(rtlSide ? b.button.right : b.button.left, rtlSide ? b.inner.right : b.inner.left, `${id}: button`);
          }
        }
      } finally {
        mock.closeAllConnections();
        await new Promise((ok) => mock.close(ok));
      }
    });
  });
}
