// Issue 18, point 1: the widget is right-sized and never shifts the layout.
//
// For every tip of the fixture content and of the bundled library (content/), in every
// language listed in LANGS, and for every topic/limit the configurator offers, at 320, 480
// and 1000 px and in both layouts, in Chromium:
//   - the card's reserved height is at most 1.15 x its natural height (its height with
//     the reservation removed), and the card never grows past its reservation;
//   - the card is exactly the height widget/README.md's table gives partners;
//   - Chromium's layout-shift entries add up to 0 on a plain page holding the widgets.
// The table of measured heights goes to test/screenshots/heights.json for the README.
// Each page holds up to a hundred widgets, loads once and is measured at every width in
// turn (the widget refits when its width changes, as on a resized partner page); a sample
// loaded afresh at each width must measure exactly the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ROOT, SCREENSHOTS, launch, setViewport, startHost, startService, waitInPage,
} from './harness.mjs';

// Languages whose tips must fit. Spanish and German come with the `lang` parameter: add
// their codes here and every tip of theirs is measured the same way.
export const LANGS = ['en', 'es', 'de'];
// 288: a 320 px phone with 16 px page margins (the box is narrower than the screen);
// 672: a 44rem column with 16 px padding, as on the fixture host pages.
const WIDTHS = process.env.SIZING_WIDTHS ? process.env.SIZING_WIDTHS.split(',').map(Number) : [288, 320, 480, 672, 1000];
const LAYOUTS = ['card', 'compact'];
const MAX_RATIO = 1.15;
// Widgets per page. The two layouts of a tip share one data request: fifty requests a page,
// each answered well within the widget's 8 s timeout.
const CHUNK = 100;
const LIBRARIES = { fixture: join(ROOT, 'widget', 'test', 'fixtures', 'content'), library: join(ROOT, 'content') };

// The README's table, checked against what the browser reserves (see 'the README table').
const README = readFileSync(join(ROOT, 'widget', 'README.md'), 'utf8');

function tipsOf(content) {
  const python = join(ROOT, '.venv', 'bin', 'python');
  return JSON.parse(execFileSync(python, [join(ROOT, 'widget', 'test', 'tools', 'tips.py'), content]));
}

// Sets every slot on the page to `width` px, lets the widgets' ResizeObserver refit their
// tips (observer callbacks run after the next frame's layout; the second frame starts after
// them), then measures every card: reserved (its min-height), rendered and natural heights.
async function measureAt(width) {
  for (const slot of document.querySelectorAll('.slot')) slot.style.width = width + 'px';
  for (let i = 0; i < 2; i++) await new Promise((ok) => requestAnimationFrame(ok));
  // Reads first, then one change for every card, then reads again: two layouts in all,
  // not two per card.
  const hosts = [...document.querySelectorAll('[data-smartmed]')];
  const cards = hosts.map((host) => host.shadowRoot.querySelector('.card'));
  const found = hosts.map((host, i) => {
    const card = cards[i];
    const text = card.querySelector('.text');
    return { id: host.id, reserved: parseFloat(getComputedStyle(card).minHeight),
      rendered: card.getBoundingClientRect().height, partner: parseFloat(getComputedStyle(host).minHeight),
      size: text ? parseFloat(getComputedStyle(text).fontSize) : null,
      lineHeight: text ? getComputedStyle(text).lineHeight : null,
      slot: host.parentNode.getBoundingClientRect().width,
      items: card.querySelectorAll('li').length };
  });
  for (const card of cards) card.style.minHeight = '0px';
  found.forEach((c, i) => { c.natural = cards[i].getBoundingClientRect().height; });
  for (const card of cards) card.style.minHeight = '';
  return found;
}

// fn(item) for every item, PAGES at a time (each page in its own browser context, so in its
// own renderer process); the results in the items' order.
const PAGES = 2;
async function inParallel(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: PAGES }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}

function allRendered(page, timeout = 30000) {
  return waitInPage(page, () => {
    const hosts = [...document.querySelectorAll('[data-smartmed]')];
    return hosts.length > 0 && hosts.every((h) => h.shadowRoot && h.shadowRoot.querySelector('.card')
      && !h.shadowRoot.querySelector('[aria-busy]'));
  }, { timeout });
}

describe('right-sized widget (Chromium)', { timeout: 900000 }, () => {
  let browser;
  let host;
  const services = {};
  const vars = {};
  const table = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    host = await startHost(vars);
    for (const [name, content] of Object.entries(LIBRARIES)) services[name] = await startService(host.origin, content);
    browser = await launch('chromium');
  });
  after(async () => {
    writeFileSync(join(SCREENSHOTS, 'heights.json'), JSON.stringify(table, null, 1));
    if (browser) await browser.close();
    await Promise.all(Object.values(services).map((s) => s.stop()));
    if (host) await host.stop();
  });

  // Opens sizing.html of `service` with `widgets` ([{attrs}]) in slots widths[0] px wide,
  // measures every card, then resizes the slots to each further width in place and
  // measures again: { width: cards }. `answer(url)` may replace the service's answer to a
  // data request. One page load serves every width: the widget refits on a new width
  // (its ResizeObserver), and the tip tests check that a refit lands exactly where a fresh
  // load at that width does.
  async function render(service, widths, widgets, answer, first = 0) {
    vars.SERVICE = service.origin;
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await setViewport(page, { width: Math.max(Math.max(...widths) + 40, 800), height: 1200 });
    if (answer) {
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const body = answer(request.url());
        if (body) {
          return request.respond({ status: 200, contentType: 'application/json',
            headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(body) });
        }
        return request.continue();
      });
    }
    await page.evaluateOnNewDocument((widgets, width, first) => {
      document.addEventListener('DOMContentLoaded', () => {
        const slots = document.getElementById('slots');
        widgets.forEach((attrs, i) => {
          const slot = document.createElement('div');
          slot.className = 'slot';
          slot.style.width = width + 'px';
          const el = document.createElement('div');
          el.id = 'w' + (first + i);
          for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
          slot.append(el);
          slots.append(slot);
        });
      });
    }, widgets, widths[0], first);
    await page.goto(`${host.origin}/sizing.html`, { waitUntil: 'load' });
    await allRendered(page);
    const byWidth = {};
    for (const width of widths) {
      const cards = await page.evaluate(measureAt, width);
      assert.equal(cards.length, widgets.length);
      assert.deepEqual(cards.filter((c) => c.slot !== width).map((c) => c.id), [], `every slot is ${width} px wide`);
      byWidth[width] = cards;
    }
    await ctx.close();
    return byWidth;
  }

  const partnerChecks = [];
  function check(cards, where, labels) {
    const problems = [];
    partnerChecks.push(...cards.map((c) => ({ where: `${where} ${labels[Number(c.id.slice(1))]}`, partner: c.partner, reserved: c.reserved })));
    for (const c of cards) {
      const label = `${where} ${labels[Number(c.id.slice(1))]}`;
      if (c.rendered > c.reserved + 0.5) problems.push(`${label}: grew to ${c.rendered} past its reservation ${c.reserved}`);
      if (c.reserved > MAX_RATIO * c.natural + 0.5) {
        problems.push(`${label}: reserves ${c.reserved} for a natural ${c.natural} (${(c.reserved / c.natural).toFixed(3)}x)`);
      }
    }
    return problems;
  }

  function summarise(kind, layout, width, extra, cards) {
    const naturals = cards.map((c) => c.natural);
    table.push({ kind, layout, width, ...extra, reserved: cards[0].reserved,
      natural_min: Math.min(...naturals), natural_max: Math.max(...naturals), count: cards.length,
      worst_ratio: Math.max(...cards.map((c) => c.reserved / c.natural)) });
  }

  for (const library of Object.keys(LIBRARIES)) {
    it(`fits every tip of the ${library} content in every language, width and layout`, async () => {
      // Each language's answer carries its own labels (the heading, help line and review
      // line take their room too); a library without the language answers 400.
      const templates = {};
      for (const lang of LANGS) {
        const response = await fetch(`${services[library].origin}/v1/tips/today?tz=UTC&lang=${lang}`);
        if (response.ok) templates[lang] = await response.json();
      }
      const template = templates.en;
      const tips = tipsOf(LIBRARIES[library]).filter((t) => LANGS.includes(t.lang));
      assert.ok(tips.length > 0, 'tips to measure');
      if (library === 'library') assert.ok(tips.length >= 392, `${tips.length} tips in content/`);
      const problems = [];
      // Each widget asks for its own made-up topic (t0, t1, …); the answer is the service's
      // real tip document for today with that tip in it.
      const answer = (url) => {
        const m = /\/v1\/tips\/[0-9-]+\?(?:.*&)?topic=t([0-9]+)/.exec(url);
        if (!m) return null;
        const tip = tips[Number(m[1])];
        const own = templates[tip.lang] || template;
        return { ...own, lang: tip.lang, tip: { ...own.tip, id: tip.id, text: tip.text,
          article: tip.article ? { slug: 'x', title: tip.article, url: `${services[library].origin}/articles/x`, api_url: '/v1/articles/x' } : null } };
      };
      // Every tip in every layout, side by side (one data request serves both), CHUNK
      // widgets a page, each page measured at every width.
      const widgets = tips.flatMap((tip, i) => LAYOUTS.map((layout) => ({ 'data-smartmed': 'tip',
        'data-topic': `t${i}`, 'data-layout': layout, 'data-lang': tip.lang })));
      const labels = widgets.map((_, j) => tips[Math.floor(j / LAYOUTS.length)].id);
      const cards = Object.fromEntries(WIDTHS.map((width) => [width, []]));
      const starts = [];
      for (let start = 0; start < widgets.length; start += CHUNK) starts.push(start);
      const parts = await inParallel(starts, (start) => render(services[library], WIDTHS, widgets.slice(start, start + CHUNK), answer, start));
      for (const part of parts) for (const width of WIDTHS) cards[width].push(...part[width]);
      for (const width of WIDTHS) {
        assert.equal(cards[width].length, widgets.length);
        const missing = cards[width].filter((c) => c.size === null).map((c) => c.id);
        assert.deepEqual(missing, [], 'every card shows its tip');
        LAYOUTS.forEach((layout, l) => {
          const mine = cards[width].filter((_, j) => j % LAYOUTS.length === l);
          assert.equal(mine.length, tips.length);
          summarise('tip', layout, width, { content: library }, mine);
          problems.push(...check(mine, `${library} tip ${layout} ${width}px`, labels));
        });
      }
      // The premise of measuring a page at several widths: a card refitted after a resize
      // measures exactly as one loaded fresh at that width. The first page's widgets are
      // loaded again at each later width and compared with what the resize gave.
      const first = widgets.slice(0, CHUNK);
      for (const width of WIDTHS.slice(1)) {
        const fresh = (await render(services[library], [width], first, answer))[width];
        const keys = ['id', 'reserved', 'rendered', 'natural', 'partner', 'size', 'lineHeight'];
        const pick = (c) => Object.fromEntries(keys.map((k) => [k, typeof c[k] === 'number' ? Math.round(c[k] * 100) / 100 : c[k]]));
        assert.deepEqual(cards[width].slice(0, first.length).map(pick), fresh.map(pick),
          `${library} at ${width}px: resized cards measure as freshly loaded ones`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('fits every topic and limit the configurator offers, in both layouts and at every width', async () => {
    const service = services.library;
    // What the configurator offers: its topic choices, and for each the limits it leaves
    // enabled (configurator.js disables limits above what the topic has).
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await page.goto(`${service.origin}/?kind=articles`, { waitUntil: 'load' });
    const topics = await page.evaluate(() => [...document.querySelectorAll('#opt-topic option')].map((o) => o.value));
    const combos = [];
    for (const topic of topics) {
      for (const medical of ['', 'include', 'exclude']) {
        await page.select('#opt-topic', topic);
        await page.select('#opt-medical', medical);
        await page.evaluate(() => { delete document.getElementById('opt-limit').dataset.articles; });
        await page.evaluate(() => document.getElementById('embed-form').dispatchEvent(new Event('change')));
        await waitInPage(page, () => document.getElementById('opt-limit').dataset.articles !== undefined);
        const offered = await page.evaluate(() => [...document.querySelectorAll('#opt-limit option')]
          .filter((o) => !o.disabled).map((o) => o.value || '3'));
        for (const limit of new Set(offered)) combos.push({ topic, medical, limit });
      }
    }
    await ctx.close();
    assert.ok(combos.length >= 10, `${combos.length} combinations`);
    const problems = [];
    // Every combination in every layout on one page, measured at every width.
    const widgets = combos.flatMap(({ topic, medical, limit }) => LAYOUTS.map((layout) => ({ 'data-smartmed': 'articles',
      ...(topic && { 'data-topic': topic }), ...(medical && { 'data-medical': medical }),
      'data-limit': limit, 'data-layout': layout })));
    const labels = widgets.map((_, j) => {
      const c = combos[Math.floor(j / LAYOUTS.length)];
      return `topic=${c.topic || 'all'} medical=${c.medical || 'default'} limit=${c.limit}`;
    });
    const byWidth = await render(service, WIDTHS, widgets);
    for (const width of WIDTHS) {
      LAYOUTS.forEach((layout, l) => {
        const mine = byWidth[width].filter((_, j) => j % LAYOUTS.length === l);
        assert.equal(mine.length, combos.length);
        problems.push(...check(mine, `articles ${layout} ${width}px`, labels));
        mine.forEach((c, i) => { if (c.items !== Number(combos[i].limit)) problems.push(`${labels[i * LAYOUTS.length + l]}: ${c.items} articles shown`); });
        for (const n of [...new Set(combos.map((c) => c.limit))].sort()) {
          summarise('articles', layout, width, { limit: Number(n) }, mine.filter((_, i) => combos[i].limit === n));
        }
      });
    }
    assert.deepEqual(problems, []);
  });

  it('gives partners the reserved heights in widget/README.md', () => {
    // Every widget measured above sat in a slot styled by reserve.css, the rules the README
    // gives partners (docs.test.mjs checks that the README has each of them): the height
    // those rules reserve on the placeholder is the height the widget reserves.
    assert.ok(partnerChecks.length > 1000, `${partnerChecks.length} widgets compared`);
    assert.deepEqual(partnerChecks.filter((c) => Math.abs(c.partner - c.reserved) > 0.5).slice(0, 20), []);
  });

  it('does not shift the layout: layout-shift entries add up to 0', async () => {
    const service = services.library;
    vars.SERVICE = service.origin;
    // flow.html holds a tip and an articles widget in each layout, in the HTML as partners write it.
    for (const width of WIDTHS) {
      const ctx = await browser.createBrowserContext();
      const page = await ctx.newPage();
      // The page has 8 px margins: the widgets' box is `width` wide.
      await setViewport(page, { width: width + 16, height: 4000 });
      await page.evaluateOnNewDocument(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => ({ value: e.value,
          sources: e.sources.map((x) => `${x.node && (x.node.id || x.node.nodeName)} ${JSON.stringify(x.previousRect)} -> ${JSON.stringify(x.currentRect)}`) }))))
          .observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${host.origin}/flow.html`, { waitUntil: 'load' });
      await allRendered(page);
      await new Promise((ok) => setTimeout(ok, 500));
      const shifts = await page.evaluate(() => window.__shifts);
      await ctx.close();
      const cls = shifts.reduce((a, b) => a + b.value, 0);
      console.log(`CLS at ${width} px: ${cls} (${shifts.length} entries)`);
      assert.equal(cls, 0, `${width}px: ${JSON.stringify(shifts)}`);
    }
  });
});
