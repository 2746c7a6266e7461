// The space-reservation CSS the browser tests load is the CSS the embed docs publish.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const here = (p) => new URL(p, import.meta.url);

test('README gives partners exactly the reservation rules the tests prove', () => {
  const readme = readFileSync(here('../README.md'), 'utf8');
  const rules = readFileSync(here('fixtures/pages/reserve.css'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l.startsWith('[data-smartmed'));
  assert.equal(rules.length, 46);
  for (const rule of rules) assert.ok(readme.includes(rule), `README lacks: ${rule}`);
});

test('the widget reserves the heights the README tables give', () => {
  const source = readFileSync(here('../smartmed-widget.js'), 'utf8');
  const readme = readFileSync(here('../README.md'), 'utf8');
  const heights = [...source.matchAll(/min-height:(?:calc\()?(\d+)px(?: \+ (\d+)px)?/g)]
    .map((m) => (m[2] ? `${m[1]}px + ${m[2]}px × limit` : `${m[1]}px`));
  assert.equal(heights.length, 10);
  for (const h of heights) assert.ok(readme.includes(`| ${h}`), `README lacks ${h}`);
});
