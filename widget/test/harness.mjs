// Test harness: the real service, a static server for the partner host pages (another
// loopback origin, so the widget is cross-origin as on partner sites), three fake services
// that fail in known ways, and the two browsers. Ports are always chosen by the OS.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
const FIXTURES = join(HERE, 'fixtures');
const PAGES = join(FIXTURES, 'pages');
// The Python tests' hostile corpus: a second service serves it (see suite.mjs).
const HOSTILE = join(ROOT, 'tests', 'hostile');
export const AXE = readFileSync(join(HERE, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const SCREENSHOTS = join(HERE, 'screenshots');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--headless=new'];

function listen(server) {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`));
  });
}

async function freePort() {
  const server = http.createServer();
  const origin = await listen(server);
  await new Promise((ok) => server.close(ok));
  return Number(new URL(origin).port);
}

async function waitFor(url, deadline, gaveUp = () => false) {
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`the server for ${url} exited before it answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`service did not answer ${url} in time`);
}

export async function startService(hostOrigin, source = join(FIXTURES, 'content')) {
  const content = mkdtempSync(join(tmpdir(), 'smartmed-widget-content-'));
  cpSync(source, content, { recursive: true });
  const partners = join(content, 'partners.yaml');
  writeFileSync(partners, readFileSync(partners, 'utf8')
    .replace('    - https://partner.example\n', `    - https://partner.example\n    - ${hostOrigin}\n`));
  // The OS picked this port a moment ago; uvicorn binds it next.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(join(ROOT, '.venv', 'bin', 'smartmed'),
    ['serve', '--host', '127.0.0.1', '--port', String(port), '--content', content], {
      env: { ...process.env, SMARTMED_BASE_URL: origin, SMARTMED_ACCESS_LOG: 'false',
        SMARTMED_RELOAD_INTERVAL: '0', SMARTMED_LOG_LEVEL: 'warning' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  const exited = new Promise((ok) => child.once('exit', ok));
  const service = {
    origin,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
      rmSync(content, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(`${origin}/healthz`, Date.now() + 20000, () => child.exitCode !== null);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

// A service whose script loads but whose data does not: down, too slow, or garbage.
async function startFake(mode, script) {
  const held = [];
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/widget.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
      return res.end(script);
    }
    if (mode === 'down') return req.socket.destroy();
    if (mode === 'slow') return held.push(res);
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(req.url.startsWith('/v1/tips') ? '{"tip": 42, "attribution": null}' : '<html>oops');
  });
  const origin = await listen(server);
  return {
    origin,
    stop: () => new Promise((ok) => {
      held.forEach((res) => res.destroy());
      server.closeAllConnections();
      server.close(ok);
    }),
  };
}

// blank: the configurator's paste target, with exactly the CSP the configurator lists.
const CSP_PAGES = new Set(['csp', 'blank']);

export async function startHost(vars) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://host');
    if (/^\/[a-z-]+\.css$/.test(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
      return res.end(readFileSync(join(PAGES, url.pathname.slice(1))));
    }
    const name = url.pathname.replace(/^\/|\.html$/g, '') || 'plain';
    if (!/^[a-z-]+$/.test(name)) { res.writeHead(404); return res.end(); }
    let html;
    try { html = readFileSync(join(PAGES, `${name}.html`), 'utf8'); } catch {
      res.writeHead(404); return res.end('no such page');
    }
    // ?via= picks the service a failure (or mock) page loads from; ?lang= is the page's <html lang>.
    const all = { ...vars, FAKE: vars[(url.searchParams.get('via') || 'down').toUpperCase()],
      LANG: (url.searchParams.get('lang') || 'en').replace(/[^A-Za-z-]/g, '') };
    html = html.replace(/\{\{([A-Z]+)\}\}/g, (_, key) => all[key] ?? '');
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (CSP_PAGES.has(name)) {
      headers['content-security-policy'] = `default-src 'none'; script-src ${vars.SERVICE}; ` +
        `connect-src ${vars.SERVICE}; style-src 'self'; img-src 'self'; base-uri 'none'`;
    }
    res.writeHead(200, headers);
    res.end(html);
  });
  const origin = await listen(server);
  return { origin, server, stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

// `hostile` and `bundled`: whether to start the services of the hostile corpus and of the
// bundled library too; only the pages of suite.mjs load from them.
export async function startWorld({ hostile: withHostile = true, bundled: withBundled = true } = {}) {
  const vars = {};
  // Whatever started before a failure is stopped again: a server left listening would keep
  // node alive, and the suite would wait out its timeout instead of failing at once.
  const started = [];
  const start = async (server) => { const s = await server; started.push(s); return s; };
  try {
    const host = await start(startHost(vars));
    // The services start side by side; the bundled library is in every language it has
    // (en, es, de). Each one that did start is stopped again if another failed to.
    const settled = await Promise.allSettled([startService(host.origin),
      withHostile && startService(host.origin, HOSTILE),
      withBundled && startService(host.origin, join(ROOT, 'content'))].map((s) => s && start(s)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [service, hostile, bundled] = settled.map((r) => r.value || {});
    const script = await (await fetch(`${service.origin}/widget.js`)).text();
    const info = await (await fetch(`${service.origin}/widget.json`)).json();
    const fakes = { down: await start(startFake('down', script)),
      slow: await start(startFake('slow', script)), garbage: await start(startFake('garbage', script)) };
    Object.assign(vars, { SERVICE: service.origin, HOSTILE: hostile.origin, BUNDLED: bundled.origin, SRC: info.src,
      INTEGRITY: info.integrity,
      DOWN: fakes.down.origin, SLOW: fakes.slow.origin, GARBAGE: fakes.garbage.origin });
    return {
      service: service.origin,
      hostile: hostile.origin,
      bundled: bundled.origin,
      host: host.origin,
      vars,
      fakes: Object.fromEntries(Object.entries(fakes).map(([k, v]) => [k, v.origin])),
      info,
      stop: () => Promise.all(started.map((s) => s.stop())),
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}

// The browsers under test: Debian's packages by default. CHROMIUM_BIN / FIREFOX_BIN
// point the same suite at another build (for example a newer one unpacked beside the installed one).
export const BROWSERS = {
  chromium: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  firefox: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr',
};

// Each test file says once which build of each browser it ran against.
const announced = new Set();

export async function launch(kind, options = {}) {
  const browser = await start(kind, options);
  if (!announced.has(kind)) {
    announced.add(kind);
    console.log(`browser under test: ${kind} ${await browser.version()} (${BROWSERS[kind]})`);
  }
  return browser;
}

function start(kind, { dark = false }) {
  if (kind === 'chromium') {
    return puppeteer.launch({ executablePath: BROWSERS.chromium, args: CHROMIUM_ARGS,
      headless: true, protocolTimeout: 60000 });
  }
  return puppeteer.launch({
    browser: 'firefox', executablePath: BROWSERS.firefox, headless: true,
    protocolTimeout: 60000,
    // Firefox's BiDi driver has no media emulation: the colour scheme is a launch preference.
    extraPrefsFirefox: dark ? { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 }
      : { 'ui.systemUsesDarkTheme': 0, 'layout.css.prefers-color-scheme.content-override': 1 },
  });
}

// True when the browser answered that it does not implement `command`: WebDriver BiDi's
// "unknown command", a permission name it does not know, or puppeteer's own refusal of a
// CDP-only call on a BiDi browser.
export function refused(error, command = '') {
  const message = String(error && error.message);
  return message.includes(command) && /unknown command|unsupported operation|not supported|CDP support is required|is not a valid value for enumeration PermissionName/i.test(message);
}

// Polls `fn` in the page until it returns something truthy, with the same arguments as
// page.waitForFunction. puppeteer's own poller is built with Function(), which a page's CSP
// blocks in Firefox (EvalError: call to Function() blocked by CSP); page.evaluate goes
// through the driver, which no page's CSP governs. A navigation in progress is retried.
export async function waitInPage(page, fn, { timeout = 10000 } = {}, ...args) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      // Truthiness is judged in the page: an element does not survive serialization.
      const handle = await page.evaluateHandle(fn, ...args);
      const truthy = await handle.evaluate((value) => Boolean(value));
      await handle.dispose();
      if (truthy) return;
    } catch (error) {
      if (!/context was destroyed|Cannot find context|DiscardedBrowsingContext|no such frame/i.test(error.message)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms in vain for ${String(fn).slice(0, 120)}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

// Sets the viewport and checks that it took. puppeteer sends browsingContext.setViewport and
// emulation.setScreenOrientationOverride together; a browser that lacks the second (Firefox
// ESR 140) refuses it after the first has already sized the page, and the widget never
// looks at screen orientation, so that one refusal is harmless. Anything else is an error.
export async function setViewport(page, { width, height }) {
  try {
    await page.setViewport({ width, height });
  } catch (error) {
    if (!refused(error, 'emulation.setScreenOrientationOverride')) throw error;
  }
  // The refusal can arrive before the resize has: wait for the page to have the size.
  await waitInPage(page, (w, h) => innerWidth === w && innerHeight === h, { timeout: 5000 }, width, height);
}
