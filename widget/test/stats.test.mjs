// Usage beacons (issue 20) in Chromium and Firefox: a viewable impression once per card,
// a "Read more" expansion, a click-through, each counted by the real service; nothing with
// Global Privacy Control, nothing for a public embed, and no cookie anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, refused, setViewport, startWorld, waitInPage } from './harness.mjs';

// The service the harness starts reads its settings from this environment.
const ADMIN = 'widget-test-admin-secret';
process.env.SMARTMED_ADMIN_SECRET = ADMIN;

// Records what the widget sends, then sends it for real; keeps link clicks on this page.
function spy(gpc) {
  window.__beacons = [];
  if (gpc) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
  const send = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, body) => { window.__beacons.push({ url, body: JSON.parse(body) }); return send(url, body); };
  window.addEventListener('click', (e) => e.preventDefault());
}

async function open(browser, world, gpc) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  // Headless Chromium says "HeadlessChrome", which the service drops as a bot: this page
  // plays a reader's browser. Firefox's headless agent is a reader's already.
  if (browser.browserType?.() !== 'firefox') {
    const agent = (await browser.userAgent()).replace('HeadlessChrome', 'Chrome');
    await page.setUserAgent(agent).catch((error) => { if (!refused(error)) throw error; });
  }
  await page.evaluateOnNewDocument(spy, gpc);
  await setViewport(page, { width: 900, height: 700 });
  await page.goto(`${world.host}/stats.html`, { waitUntil: 'load' });
  return { ctx, page };
}

// Scrolls a card into full view and waits until it shows its data.
async function show(page, id) {
  await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), id);
  await waitInPage(page, (id) => {
    const root = document.getElementById(id).shadowRoot;
    return root && root.querySelector('.card') && !root.querySelector('[aria-busy]');
  }, { timeout: 15000 }, id);
}

const beacons = (page) => page.evaluate(() => window.__beacons);

async function counted(world) {
  const r = await fetch(`${world.service}/admin/stats`, { headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(r.status, 200);
  return (await r.json()).partners['fixture-partner'] || { impression: 0, read: 0, click: 0 };
}

for (const kind of ['chromium', 'firefox']) {
  describe(`usage beacons in ${kind}`, { timeout: 240000 }, () => {
    let world, browser;
    before(async () => {
      world = await startWorld({ hostile: false, bundled: false });
      browser = await launch(kind);
    });
    after(async () => {
      if (browser) await browser.close();
      if (world) await world.stop();
    });

    it('sends an impression per card in view, a read and a click; the service counts them', async () => {
      const { ctx, page } = await open(browser, world, false);
      try {
        const before = await counted(world);
        await show(page, 'tip');
        await waitInPage(page, () => window.__beacons.some((b) => b.body.event === 'impression'), { timeout: 10000 });
        await show(page, 'articles');
        await waitInPage(page, () => window.__beacons.filter((b) => b.body.event === 'impression').length === 2, { timeout: 10000 });
        await page.evaluate(() => {
          const root = document.getElementById('articles').shadowRoot;
          root.querySelector('article button').click();
          root.querySelector('footer a').click();
          document.getElementById('tip').shadowRoot.querySelector('footer a').click();
        });
        // The articles the card shows, as the service lists them for its options.
        const listed = await (await fetch(`${world.service}/v1/articles?limit=2&partner=fixture-partner&topic=calm`)).json();
        const slugs = listed.articles.map((a) => a.slug);
        assert.equal(slugs.length, 2);
        await show(page, 'public');
        const sent = await beacons(page);
        const tip = sent.find((b) => b.body.kind === 'tip' && b.body.event === 'impression');
        assert.equal(tip.url, `${world.service}/v1/events`);
        assert.deepEqual(Object.keys(tip.body).sort(), ['event', 'items', 'kind', 'lang', 'partner', 'topic']);
        assert.equal(tip.body.partner, 'fixture-partner');
        assert.equal(tip.body.items.length, 1);
        const list = sent.find((b) => b.body.kind === 'articles' && b.body.event === 'impression');
        assert.deepEqual(list.body.items, slugs);
        assert.deepEqual(sent.filter((b) => b.body.event === 'read').map((b) => b.body.items), [[slugs[0]]]);
        assert.deepEqual(sent.filter((b) => b.body.event === 'click').map((b) => b.body.items),
          [slugs, tip.body.items]);
        assert.ok(sent.every((b) => b.body.partner === 'fixture-partner'), 'a public card sent nothing');
        // The service wrote them (once a second): wait for its count, bounded.
        const want = { impression: before.impression + 2, read: before.read + 1, click: before.click + 2 };
        const deadline = Date.now() + 10000;
        let now = await counted(world);
        while (JSON.stringify(now) !== JSON.stringify(want) && Date.now() < deadline) {
          await new Promise((ok) => setTimeout(ok, 200));
          now = await counted(world);
        }
        assert.deepEqual(now, want);
        assert.deepEqual(await page.cookies(world.service), [], 'the service set no cookie');
        // Once per card per page view: scrolling away and back sends no second impression.
        await page.evaluate(() => window.scrollTo(0, 0));
        await show(page, 'tip');
        await show(page, 'articles');
        assert.equal((await beacons(page)).filter((b) => b.body.event === 'impression').length, 2);
      } finally {
        await ctx.close();
      }
    });

    it('sends nothing when the browser signals Global Privacy Control', async () => {
      const { ctx, page } = await open(browser, world, true);
      try {
        await show(page, 'tip');
        await show(page, 'articles');
        await page.evaluate(() => {
          const root = document.getElementById('articles').shadowRoot;
          root.querySelector('article button').click();
          root.querySelector('footer a').click();
        });
        // Longer than the impression's one second in view, measured by the page's own clock.
        const start = await page.evaluate(() => performance.now());
        await waitInPage(page, (t) => performance.now() - t > 1500, { timeout: 10000 }, start);
        assert.deepEqual(await beacons(page), []);
      } finally {
        await ctx.close();
      }
    });
  });
}
