// "Need urgent help?" on every card (issue 16): in Chromium and Firefox, at 320 and 1000 px,
// in both themes, on a partner page (fixtures/pages/help.html). The partner names Ireland
// (fixtures/content/partners.yaml), its links carrying its utm tags; a public embed links
// to /help.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AXE, launch, refused, setViewport, startWorld, waitInPage } from './harness.mjs';

const CARDS = {
  'tip-light': 'partner', 'tip-dark': 'partner', 'articles-light': 'partner',
  'articles-dark': 'partner', 'public-light': 'public', 'public-dark': 'public',
};

// The cards are as wide as the page's <main>, which each test sets; the window is wider.
const viewport = (page, width) => setViewport(page, { width: width + 64, height: 1400 });

// Cards load as they near the viewport: bring each into view, then wait for all.
async function rendered(page) {
  const ids = await page.evaluate(() => [...document.querySelectorAll('[data-smartmed], smartmed-widget')].map((h) => h.id));
  for (const id of ids) {
    await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
    await waitInPage(page, (id) => {
      const root = document.getElementById(id).shadowRoot;
      return root && root.querySelector('.card') && !root.querySelector('[aria-busy]');
    }, { timeout: 15000 }, id);
  }
  return waitInPage(page, () => {
    const hosts = [...document.querySelectorAll('[data-smartmed], smartmed-widget')];
    return hosts.length > 0 && hosts.every((h) => h.shadowRoot && h.shadowRoot.querySelector('.card')
      && !h.shadowRoot.querySelector('[aria-busy]'));
  }, { timeout: 15000 });
}

// Where each card's help line is, as a reader would find it.
function inspect(page) {
  return page.evaluate(() => {
    const out = {};
    for (const host of document.querySelectorAll('[data-smartmed], smartmed-widget')) {
      const root = host.shadowRoot;
      const card = root.querySelector('.card');
      const links = [...root.querySelectorAll('.help a')];
      const a = links[0];
      a.scrollIntoView({ block: 'center' });
      const r = a.getBoundingClientRect(), c = card.getBoundingClientRect();
      const style = getComputedStyle(a);
      const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      out[host.id] = {
        count: links.length, text: a.textContent, href: a.href,
        size: r.width > 0 && r.height > 0,
        inside: r.left >= c.left - 0.5 && r.right <= c.right + 0.5
          && r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5,
        shown: style.visibility === 'visible' && style.display !== 'none' && style.opacity === '1',
        onTop: hit === a,
        last: card.lastElementChild === a.parentNode,
        fits: c.height <= parseFloat(getComputedStyle(card).minHeight) + 0.5,
        hostFits: Math.abs(host.getBoundingClientRect().height - c.height) <= 0.5,
        onclick: a.hasAttribute('onclick') || a.href.startsWith('tel:'),
      };
    }
    return out;
  });
}

// Tabs from the top of the page until focus lands on this card's help link (or gives up).
async function tabTo(page, id) {
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate((id) => {
      const host = document.activeElement;
      const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
      return host && host.id === id && inner && inner.parentNode.className === 'help';
    }, id);
    if (found) return true;
  }
  return false;
}

// One set of servers for both browsers: nothing here changes what the services answer.
let world;
before(async () => { world = await startWorld({ hostile: false, bundled: false }); });
after(async () => { await world?.stop(); });

for (const kind of ['chromium', 'firefox']) {
  describe(`urgent help line in ${kind}`, { timeout: 240000 }, () => {
    let browser;
    before(async () => { browser = await launch(kind); });
    after(async () => { await browser?.close(); });

    for (const width of [320, 1000]) {
      it(`is visible inside every card at ${width} px, in both themes`, async () => {
        const ctx = await browser.createBrowserContext();
        try {
          const page = await ctx.newPage();
          await viewport(page, width);
          await page.goto(`${world.host}/help.html`, { waitUntil: 'load' });
          await page.evaluate((w) => { document.querySelector('main').style.width = `${w}px`; }, width);
          await rendered(page);
          const seen = await inspect(page);
          assert.deepEqual(Object.keys(seen).sort(), Object.keys(CARDS).sort());
          for (const [id, who] of Object.entries(CARDS)) {
            const s = seen[id];
            const where = `${id} at ${width}px`;
            assert.equal(s.count, 1, where);
            assert.equal(s.text, 'Need urgent help?', where);
            assert.equal(s.href, who === 'partner'
              ? `${world.service}/help/ie?utm_source=fixture-partner&utm_medium=widget`
              : `${world.service}/help`, where);
            assert.ok(s.size && s.shown && s.onTop, `${where}: not visible ${JSON.stringify(s)}`);
            assert.ok(s.inside && s.last, `${where}: not the card's last line ${JSON.stringify(s)}`);
            assert.ok(s.fits && s.hostFits, `${where}: grew past its reserved height`);
            assert.equal(s.onclick, false, `${where}: a plain link, nothing dials`);
          }
          // Both themes really are on the page (dark cards have the dark background).
          const themes = await page.evaluate(() => [...document.querySelectorAll('[data-smartmed], smartmed-widget')]
            .map((h) => h.shadowRoot.querySelector('.widget').className.split(' ')[1]));
          assert.deepEqual([...new Set(themes)].sort(), ['dark', 'light']);
        } finally {
          await ctx.close();
        }
      });
    }

    it('the /help pages have no axe violations in either colour scheme', async () => {
      for (const scheme of ['light', 'dark']) {
        // A browser that cannot emulate the scheme on a page is launched in it (harness.mjs).
        const ctx = await browser.createBrowserContext();
        let own = null;
        try {
          let page = await ctx.newPage();
          const emulated = await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }])
            .then(() => true, (error) => { if (refused(error)) return false; throw error; });
          if (!emulated && scheme === 'dark') {
            own = await launch(kind, { dark: true });
            page = await own.newPage();
          }
          for (const path of ['/help', '/help/ie', '/help/GB']) {
            await page.goto(`${world.service}${path}`, { waitUntil: 'load' });
            assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark');
            assert.equal(await page.evaluate(() => document.querySelectorAll('a[href^="tel:"]').length > 0), path !== '/help', path);
            await page.evaluate(AXE);
            const violations = await page.evaluate(async () => {
              const r = await window.axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
            });
            assert.deepEqual(violations, [], `${path} ${scheme}`);
          }
        } finally {
          await ctx.close();
          if (own) await own.close();
        }
      }
    });

    it('can be reached by keyboard and has no axe violations in either theme', async () => {
      const ctx = await browser.createBrowserContext();
      try {
        const page = await ctx.newPage();
        await viewport(page, 1000);
        await page.goto(`${world.host}/help.html`, { waitUntil: 'load' });
        await rendered(page);
        for (const id of ['tip-light', 'articles-dark', 'public-dark']) {
          assert.ok(await tabTo(page, id), `${id}: Tab never reached the help link`);
        }
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        assert.deepEqual(violations, []);
      } finally {
        await ctx.close();
      }
    });
  });
}
