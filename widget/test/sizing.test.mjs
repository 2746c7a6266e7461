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
const CHUNK = 100;
const LIBRARIES = { fixture: join(ROOT, 'widget', 'test', 'fixtures', 'content'), library: join(ROOT, 'content') };

// The README's table, checked against what the browser reserves (see 'the README table').
const README = readFileSync(join(ROOT, 'widget', 'README.md'), 'utf8');

function tipsOf(content) {
  const python = join(ROOT, '.venv', 'bin', 'python');
  return JSON.parse(execFileSync(python, [join(ROOT, 'widget', 'test', 'tools', 'tips.py'), content]));
}

// Measures every card on the page: reserved (its min-height), rendered and natural heights.
function measure() {
  return [...document.querySelectorAll('[data-smartmed]')].map((host) => {
    const card = host.shadowRoot.querySelector('.card');
    const reserved = parseFloat(getComputedStyle(card).minHeight);
    const rendered = card.getBoundingClientRect().height;
    card.style.minHeight = '0px';
    const natural = card.getBoundingClientRect().height;
    card.style.minHeight = '';
    const text = card.querySelector('.text');
    return { id: host.id, reserved, rendered, natural, partner: parseFloat(getComputedStyle(host).minHeight),
      size: text ? parseFloat(getComputedStyle(text).fontSize) : null,
      items: card.querySelectorAll('li').length };
  });
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

  // Opens sizing.html of `service` with `widgets` ([{attrs}]) in slots `width` px wide;
  // `answer(url)` may replace the service's answer to a data request.
  async function render(service, width, widgets, answer, first = 0) {
    vars.SERVICE = service.origin;
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await setViewport(page, { width: Math.max(width + 40, 800), height: 1200 });
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
    }, widgets, width, first);
    await page.goto(`${host.origin}/sizing.html`, { waitUntil: 'load' });
    await allRendered(page);
    const cards = await page.evaluate(measure);
    await ctx.close();
    return cards;
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
      for (const width of WIDTHS) {
        for (const layout of LAYOUTS) {
          const widgets = tips.map((tip, i) => ({ 'data-smartmed': 'tip', 'data-topic': `t${i}`,
            'data-layout': layout, 'data-lang': tip.lang }));
          // A hundred widgets per page: each gets its answer well within its 8 s timeout.
          const cards = [];
          for (let start = 0; start < widgets.length; start += CHUNK) {
            const part = await render(services[library], width, widgets.slice(start, start + CHUNK), answer, start);
            cards.push(...part);
          }
          assert.equal(cards.length, tips.length);
          const missing = cards.filter((c) => c.size === null).map((c) => c.id);
          assert.deepEqual(missing, [], 'every card shows its tip');
          summarise('tip', layout, width, { content: library }, cards);
          problems.push(...check(cards, `${library} tip ${layout} ${width}px`, tips.map((t) => t.id)));
        }
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
    for (const width of WIDTHS) {
      for (const layout of LAYOUTS) {
        const widgets = combos.map(({ topic, medical, limit }) => ({ 'data-smartmed': 'articles',
          ...(topic && { 'data-topic': topic }), ...(medical && { 'data-medical': medical }),
          'data-limit': limit, 'data-layout': layout }));
        const cards = await render(service, width, widgets);
        const labels = combos.map((c) => `topic=${c.topic || 'all'} medical=${c.medical || 'default'} limit=${c.limit}`);
        problems.push(...check(cards, `articles ${layout} ${width}px`, labels));
        cards.forEach((c, i) => { if (c.items !== Number(combos[i].limit)) problems.push(`${labels[i]}: ${c.items} articles shown`); });
        for (const n of [...new Set(combos.map((c) => c.limit))].sort()) {
          summarise('articles', layout, width, { limit: Number(n) }, cards.filter((_, i) => combos[i].limit === n));
        }
      }
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
