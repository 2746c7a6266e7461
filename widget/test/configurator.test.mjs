// The configurator (GET /) and the reading pages in real browsers: live preview and code,
// copy and paste into a blank host page under the CSP the configurator lists, and axe-core.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AXE, launch, refused, startWorld, waitInPage } from './harness.mjs';

const PREVIEW = '#preview > [data-smartmed]';

// A widget is ready when its shell is attached, no longer busy, and shows its links
// (content or the fallback link). It loads data only near the viewport: bring it there.
async function ready(page, selector) {
  await waitInPage(page, (sel) => Boolean(document.querySelector(sel)), {}, selector);
  await page.$eval(selector, (el) => el.scrollIntoView({ block: 'center' }));
  await waitInPage(page, (sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    return Boolean(root && root.querySelector('[part="widget"] a') && !root.querySelector('[aria-busy]'));
  }, { timeout: 20000 }, selector);
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    const root = host.shadowRoot;
    return {
      text: root.textContent.replace(/\s+/g, ' ').trim(),
      links: [...root.querySelectorAll('a')].map((a) => a.href),
      classes: root.querySelector('[part="widget"]')?.className ?? '',
      attributes: [...host.attributes].map((a) => [a.name, a.value]),
    };
  }, selector);
}

const codeText = (page) => page.$eval('#embed-code', (el) => el.textContent);

async function waitForCode(page, fragment) {
  await waitInPage(page, (f) => document.getElementById('embed-code').textContent.includes(f),
    { timeout: 10000 }, fragment);
}

async function axe(page) {
  // Evaluated through the driver, which a page's CSP does not govern; the page itself
  // never gets an inline script.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  });
  return result;
}

let world;
before(async () => { world = await startWorld({ hostile: false, bundled: false }); });
after(async () => { await world?.stop(); });

for (const kind of ['chromium', 'firefox']) {
  describe(`configurator in ${kind}`, () => {
    let browser;
    before(async () => { browser = await launch(kind); });
    after(async () => { await browser?.close(); });

    test('changing an option updates the preview, the code and the address', async () => {
      const page = await browser.newPage();
      await page.goto(`${world.service}/`, { waitUntil: 'load' });
      const first = await ready(page, PREVIEW);
      assert.deepEqual(first.attributes, [['data-smartmed', 'tip']]);
      const before = await codeText(page);
      assert.match(before, /<div data-smartmed="tip">/);
      assert.ok(before.includes(`<script src="${world.info.src}" integrity="${world.info.integrity}" crossorigin="anonymous" async></script>`), before);
      assert.equal(await page.$eval('#opt-limit', (el) => el.disabled), true);

      await page.select('#opt-kind', 'articles');
      await waitForCode(page, 'data-smartmed="articles"');
      await page.select('#opt-topic', 'calm');
      // calm has two articles (medical ones left out by default): the configurator offers
      // no limit above two, and moves the default (3) down to 2 (issue 18). Waiting for
      // the topic too: the list of every topic may already have been clamped to 2.
      await waitForCode(page, 'data-topic="calm" data-limit="2"');
      const code = await codeText(page);
      assert.match(code, /<div data-smartmed="articles" data-topic="calm" data-limit="2">/);
      assert.ok(code.includes(`<noscript><a href="${world.service}/topics/calm">`), code);
      assert.equal(await page.$eval('#opt-limit', (el) => el.disabled), false);
      assert.deepEqual(await page.$$eval('#opt-limit option', (options) => options.filter((o) => !o.disabled).map((o) => o.value)), ['1', '2']);
      const second = await ready(page, PREVIEW);
      assert.deepEqual(second.attributes, [['data-smartmed', 'articles'], ['data-topic', 'calm'], ['data-limit', '2']]);
      assert.notEqual(second.text, first.text);
      assert.match(second.text, /Breathing Space/);
      assert.equal(await page.evaluate(() => location.search), '?kind=articles&topic=calm&limit=2');
      const feeds = await page.$$eval('#feed-list a', (links) => links.map((a) => a.href));
      assert.ok(feeds.includes(`${world.service}/feeds/topics/calm.rss`));
      await page.close();
    });

    test('the copied code, pasted into a blank host page with the listed CSP, renders the same widget', async () => {
      const page = await browser.newPage();
      // Chromium asks for clipboard permissions; a browser that cannot grant them over its
      // driver lets a focused page use the clipboard anyway, which the test then shows.
      await browser.defaultBrowserContext().overridePermissions(world.service,
        ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']).catch((error) => {
        if (!refused(error)) throw error;
      });
      await page.goto(`${world.service}/?kind=tip&topic=calm&theme=dark&partner=fixture-partner`,
        { waitUntil: 'load' });
      const preview = await ready(page, PREVIEW);
      const csp = await page.$$eval('#csp-list code', (els) => els.map((el) => el.textContent));
      assert.deepEqual(csp, [`script-src ${world.service}`, `connect-src ${world.service}`]);
      await page.bringToFront();
      await page.click('#copy');
      await waitInPage(page, () => document.getElementById('copy-status').textContent !== '',
        { timeout: 10000 });
      assert.equal(await page.$eval('#copy-status', (el) => el.textContent), 'Copied to the clipboard.');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, await codeText(page));
      await page.close();

      // The blank page sends exactly the directives the configurator listed (harness CSP_PAGES).
      const host = await browser.newPage();
      const problems = [];
      // The widget's own messages, CSP reports, exceptions and failed requests (but the
      // blank page's missing favicon, which browsers ask for on their own).
      host.on('console', (m) => {
        if (/smartmed|Content.Security.Policy/i.test(m.text())) problems.push(m.text());
      });
      host.on('pageerror', (e) => problems.push(String(e)));
      host.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
      });
      host.on('requestfailed', (r) => problems.push(`failed ${r.url()}`));
      await host.goto(`${world.host}/blank`, { waitUntil: 'load' });
      await host.evaluate((code) => {
        // What pasting into the page's HTML does: parsed markup whose script runs.
        const paste = document.getElementById('paste');
        paste.append(document.createRange().createContextualFragment(code));
      }, copied);
      const pasted = await ready(host, '#paste > [data-smartmed]');
      assert.deepEqual(pasted.attributes, preview.attributes);
      assert.equal(pasted.text, preview.text);
      assert.deepEqual(pasted.links, preview.links);
      assert.equal(pasted.classes, preview.classes);
      assert.ok(pasted.links.every((href) => href.includes('utm_source=fixture-partner')));
      const noscript = await host.$eval('#paste noscript', (el) => el.textContent);
      assert.match(noscript, /tips\/today\?utm_source=fixture-partner&amp;utm_medium=widget/);
      assert.deepEqual(problems, []);
      await host.close();
    });

    test('axe-core finds no violations on the configurator', async () => {
      const page = await browser.newPage();
      await page.goto(`${world.service}/?kind=articles`, { waitUntil: 'load' });
      await ready(page, PREVIEW);
      assert.deepEqual(await axe(page), []);
      await page.close();
    });

    test('axe-core finds no violations on an article page and a tip page', async () => {
      const page = await browser.newPage();
      for (const path of ['/articles/breathing-space', '/tips/today', '/articles', '/tips']) {
        await page.goto(`${world.service}${path}`, { waitUntil: 'load' });
        assert.deepEqual(await axe(page), [], path);
      }
      await page.close();
    });
  });

  describe(`pages in ${kind}, dark colour scheme`, () => {
    let browser;
    before(async () => { browser = await launch(kind, { dark: true }); });
    after(async () => { await browser?.close(); });

    test('axe-core finds no violations on the configurator and an article page', async () => {
      const page = await browser.newPage();
      // The browser was launched dark; one that can also emulate the scheme is told so too.
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]).catch((error) => {
        if (!refused(error)) throw error;
      });
      await page.goto(`${world.service}/`, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
      await ready(page, PREVIEW);
      assert.deepEqual(await axe(page), []);
      await page.goto(`${world.service}/articles/breathing-space`, { waitUntil: 'load' });
      assert.deepEqual(await axe(page), []);
      await page.close();
    });
  });
}
