// Outside checkers on every HTML page the service answers, with the bundled content:
// the W3C Nu HTML Checker (vnu-jar, on Java) must find no error, and Lighthouse must score
// 100 for accessibility, best practices and SEO (in Debian's Chromium, driven through
// puppeteer-core as Lighthouse documents). The service runs on loopback with its base URL
// set to its own address, so that canonical links and feeds point where the page is.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import vnuJar from 'vnu-jar';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const STARTUP_MS = 30000;
// Lighthouse runs this many groups of pages at once, each in a process and a Chromium of
// its own (tools/lighthouse.mjs): most of a run is Lighthouse waiting for the page to settle.
const LIGHTHOUSE_GROUPS = 3;

async function freePort() {
  const server = http.createServer();
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function startService() {
  const port = await freePort(); // the OS picked it a moment ago; uvicorn binds it next
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(join(ROOT, '.venv', 'bin', 'smartmed'),
    ['serve', '--host', '127.0.0.1', '--port', String(port)], {
      env: { ...process.env, SMARTMED_BASE_URL: origin, SMARTMED_ACCESS_LOG: 'false',
        SMARTMED_LOG_LEVEL: 'warning' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`smartmed serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`smartmed serve did not answer in ${STARTUP_MS} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    origin,
    stop: () => new Promise((ok) => { child.once('exit', ok); child.kill('SIGTERM'); }),
  };
}

// Every page: each article, topic and tip page the archive links, the configurator
// (plain and with options), and the error pages (404, 400).
async function everyPage(origin) {
  const json = async (path) => (await fetch(origin + path)).json();
  const articles = (await json('/v1/articles?limit=50')).articles.map((a) => `/articles/${a.slug}`);
  const topics = (await json('/v1/topics')).topics.map((t) => `/topics/${t.id}`);
  const archive = await (await fetch(`${origin}/tips`)).text();
  const tips = [...new Set([...archive.matchAll(/href="(\/tips\/\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]))];
  const index = await (await fetch(`${origin}/help`)).text();
  const help = [...new Set([...index.matchAll(/href="(\/help\/[a-z]{2})"/g)].map((m) => m[1]))];
  assert.ok(articles.length && topics.length && tips.length && help.length, 'the bundled content has pages');
  return ['/', '/?kind=articles&limit=3&theme=dark&layout=compact', '/articles', ...articles,
    '/topics', ...topics, '/tips', ...tips, '/help', ...help, '/articles/no-such-article',
    '/?kind=nonsense'];
}

let service;
let pages;
before(async () => {
  service = await startService();
  pages = await everyPage(service.origin);
});
after(async () => { await service?.stop(); });

test('the Nu HTML Checker finds no error on any page', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smartmed-vnu-'));
  try {
    const files = [];
    for (const [n, path] of pages.entries()) {
      const response = await fetch(service.origin + path);
      assert.match(response.headers.get('content-type'), /^text\/html/, path);
      const file = join(dir, `page-${n}.html`);
      writeFileSync(file, await response.text());
      files.push([file, path]);
    }
    // --exit-zero-always: the verdict is read from the JSON report, not the exit status.
    const { stderr } = await promisify(execFile)('java',
      ['-jar', String(vnuJar), '--format', 'json', '--exit-zero-always', ...files.map(([f]) => f)],
      { maxBuffer: 16 * 1024 * 1024 });
    const byFile = new Map(files.map(([f, path]) => [`file:${f}`, path]));
    const errors = JSON.parse(stderr).messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map((m) => `${byFile.get(m.url) ?? m.url}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(errors, [], `the checker found errors:\n${errors.join('\n')}`);
    t.diagnostic(`${files.length} pages checked`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Lighthouse scores 100 for accessibility, best practices and SEO', async () => {
  // One page of each kind that answers 200 (an error page is rightly not indexable).
  const sample = ['/', '/articles', pages.find((p) => p.startsWith('/articles/')), '/topics',
    pages.find((p) => p.startsWith('/topics/')), '/tips', pages.find((p) => p.startsWith('/tips/')),
    '/help', pages.find((p) => p.startsWith('/help/'))];
  const groups = Array.from({ length: LIGHTHOUSE_GROUPS }, (_, g) => sample.filter((_, i) => i % LIGHTHOUSE_GROUPS === g));
  const runs = await Promise.all(groups.map(async (paths) => {
    const { stdout } = await promisify(execFile)(process.execPath,
      [join(HERE, 'tools', 'lighthouse.mjs'), service.origin, ...paths], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout.trim().split('\n').pop());
  }));
  // Lighthouse reported on every page of the sample, each once.
  assert.deepEqual(runs.flatMap((r) => r.audited).sort(), [...sample].sort());
  const failures = runs.flatMap((r) => r.failures);
  assert.deepEqual(failures, [], failures.join('\n'));
});
