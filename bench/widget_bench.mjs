// The widget in headless Chromium on a plain partner page: time from the script's execution
// to the content being rendered, and the long tasks on the way, for 1 and for 10 widgets.
//
//   node bench/widget_bench.mjs SERVICE_ORIGIN ROUNDS   → one JSON object on stdout
//
// The host page is served from another loopback origin (cross-origin, as on a partner site).
// Before the widget script it installs the instruments: a 'longtask' PerformanceObserver,
// and a wrapper around attachShadow that watches each widget's shadow root, so the moment
// a widget's content lands is recorded in the same task that renders it. Each round is a
// fresh browser context: nothing comes from the HTTP cache.
import http from 'node:http';
import { launch } from '../widget/test/harness.mjs';

const [SERVICE, ROUNDS = '3'] = process.argv.slice(2);
const TIP_TOPICS = ['stress', 'anxiety', 'sleep', 'mindfulness', 'mood'];
const LIST_TOPICS = ['', 'anxiety', 'sleep', 'stress', 'mood'];

const INSTRUMENTS = `
(function () {
  var B = window.__bench = { long: [], rendered: [], failed: 0, firstShadow: null };
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { B.long.push(e.duration); });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { B.noLongtask = String(e); }
  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    var root = attach.call(this, init), done = false;
    if (B.firstShadow === null) B.firstShadow = performance.now();
    new MutationObserver(function () {
      if (done) return;
      if (root.querySelector('.quote .text, ul.list')) { done = true; B.rendered.push(performance.now()); }
      // The quiet fallback: a bare link where the card would be.
      else if (root.querySelector('.fallback')) { done = true; B.failed++; }
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
})();`;

function page(widgets) {
  const hosts = [];
  for (let i = 0; i < widgets; i++) {
    hosts.push(i % 2 === 0
      ? `<div data-smartmed="tip" data-topic="${TIP_TOPICS[(i / 2) % 5]}"></div>`
      : `<div data-smartmed="articles" data-limit="3"${LIST_TOPICS[((i - 1) / 2) % 5]
        ? ` data-topic="${LIST_TOPICS[((i - 1) / 2) % 5]}"` : ''}></div>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner page</title>
<style>.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}</style>
<script>${INSTRUMENTS}</script></head><body><main><h1>A partner's page</h1>
<p>The partner's own words.</p>
<div class="grid">${hosts.join('\n')}</div>
</main><script src="${SERVICE}/widget.js"></script></body></html>`;
}

async function host() {
  const server = http.createServer((req, res) => {
    const n = Number(new URL(req.url, 'http://h').searchParams.get('widgets') || '1');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(n));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, server };
}

async function measure(browser, origin, widgets) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    // Tall enough that every widget is near the viewport: all of them load at once.
    await tab.setViewport({ width: 1280, height: 4000 });
    await tab.goto(`${origin}/?widgets=${widgets}`, { waitUntil: 'load' });
    const deadline = Date.now() + 20000;
    while (await tab.evaluate(() => window.__bench.rendered.length + window.__bench.failed) < widgets) {
      if (Date.now() > deadline) {
        const state = await tab.evaluate(() => [...document.querySelectorAll('[data-smartmed]')]
          .map((h) => (h.shadowRoot ? h.shadowRoot.innerHTML.slice(0, 160) : 'no shadow root')));
        throw new Error(`${widgets} widgets did not render in 20 s: ${JSON.stringify(state)}`);
      }
      await new Promise((ok) => setTimeout(ok, 50));
    }
    await new Promise((ok) => setTimeout(ok, 300)); // let the longtask observer report
    return await tab.evaluate((service) => {
      const B = window.__bench;
      const script = performance.getEntriesByType('resource')
        .find((e) => e.name.startsWith(service + '/widget.js'));
      const data = performance.getEntriesByType('resource')
        .filter((e) => e.name.startsWith(service + '/v1/'));
      const start = script.responseEnd; // the script runs as soon as its bytes are in
      return {
        render_ms: Math.max(...B.rendered) - start,
        first_render_ms: Math.min(...B.rendered) - start,
        first_dom_ms: B.firstShadow - start,
        script_fetch_ms: script.responseEnd - script.startTime,
        data_requests: data.length,
        data_start_ms: data.length ? Math.min(...data.map((e) => e.startTime)) - start : 0,
        data_fetch_ms: data.length ? Math.max(...data.map((e) => e.responseEnd - e.startTime)) : 0,
        long_tasks: B.long.length,
        long_task_ms: B.long.reduce((a, b) => a + b, 0),
        failed: B.failed,
        longtask_supported: !B.noLongtask,
      };
    }, SERVICE);
  } finally {
    await context.close();
  }
}

const { origin, server } = await host();
const browser = await launch('chromium');
const out = { 1: [], 10: [] };
try {
  await measure(browser, origin, 1); // warm-up: Chromium's own first-run costs
  for (let r = 0; r < Number(ROUNDS); r++) {
    for (const n of [1, 10]) out[n].push(await measure(browser, origin, n));
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(out) + '\n');
