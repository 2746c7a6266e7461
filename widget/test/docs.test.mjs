// The space-reservation CSS the browser tests load is the CSS the embed docs publish.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const here = (p) => new URL(p, import.meta.url);

test('README gives partners exactly the reservation rules the tests prove', () => {
  const readme = readFileSync(here('../README.md'), 'utf8');
  const rules = readFileSync(here('fixtures/pages/reserve.css'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l.startsWith('[data-smartmed'));
  assert.equal(rules.length, 42);
  for (const rule of rules) assert.ok(readme.includes(rule), `README lacks: ${rule}`);
});

test('the widget reserves the heights the README tables give', () => {
  const source = readFileSync(here('../smartmed-widget.js'), 'utf8');
  const readme = readFileSync(here('../README.md'), 'utf8');
  const heights = [...source.matchAll(/min-height:calc\((\d+)px \+ (\d+)px/g)]
    .map((m) => `${m[1]}px + ${m[2]}px × limit`);
  assert.equal(heights.length, 4);
  const tips = [...source.matchAll(/min-height:(max\([^;}]+\))/g)].map((m) => m[1].replace(/,/g, ', '));
  assert.equal(tips.length, 2);
  for (const h of tips) assert.ok(readme.includes(`min-height: ${h};`), `README lacks ${h}`);
  for (const h of heights) assert.ok(readme.includes(`| ${h}`), `README lacks ${h}`);
});
