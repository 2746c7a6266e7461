// Issue 18, point 3: the served file is exactly the build of widget/src/ with the pinned
// esbuild, and the build is reproducible (same bytes twice, no path or time in them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { OUTPUT, buildWidget } from '../build.mjs';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

test('esbuild is pinned exactly, in package.json and package-lock.json', () => {
  assert.match(pkg.devDependencies.esbuild, /^[0-9]+\.[0-9]+\.[0-9]+$/);
  assert.equal(lock.packages['node_modules/esbuild'].version, pkg.devDependencies.esbuild);
});

test('smartmed-widget.js is byte for byte the build of widget/src/', async () => {
  const first = await buildWidget();
  const second = await buildWidget();
  assert.ok(first.equals(second), 'two builds give the same bytes');
  assert.ok(readFileSync(OUTPUT).equals(first),
    'the committed smartmed-widget.js is stale: run `npm run build` in widget/ and commit it');
  const text = first.toString('utf8');
  assert.ok(!text.includes(process.cwd()) && !text.includes('/work/') && !text.includes('node_modules'), 'no paths');
  assert.ok(text.startsWith('/*! Smart Meditation reading widget'));
});

test('the built script fits the 6 KB gzip budget', async () => {
  const size = gzipSync(await buildWidget(), { level: 9 }).length;
  console.log(`smartmed-widget.js: ${size} bytes gzipped (budget 6144)`);
  assert.ok(size <= 6144, `${size} bytes gzipped`);
});
