// Lighthouse on some pages, one after another, in a Chromium of its own:
//   node lighthouse.mjs ORIGIN PATH...
// prints {"audited": [PATH...], "failures": [...]}: the pages Lighthouse reported on, and a
// line for each category of a page below 100.
// checkers.test.mjs runs a few of these at once. Lighthouse keeps global state (its timing
// marks, its log), so two runs at once in one Node process are unsupported: each group of
// pages gets a process, and so a browser, of its own.
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { BROWSERS } from '../harness.mjs';

const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--disable-sync'];
const CATEGORIES = ['accessibility', 'best-practices', 'seo'];

const [origin, ...paths] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: BROWSERS.chromium, args: CHROMIUM_ARGS });
const failures = [];
const audited = [];
try {
  for (const path of paths) {
    const page = await browser.newPage();
    // The full-page screenshot only illustrates an HTML report; no audit of these
    // categories reads it.
    const result = await lighthouse(origin + path, { onlyCategories: CATEGORIES, logLevel: 'error',
      output: 'json', disableFullPageScreenshot: true }, undefined, page);
    await page.close();
    audited.push(result.lhr.requestedUrl.slice(origin.length));
    for (const id of CATEGORIES) {
      const category = result.lhr.categories[id];
      if (category.score === 1) continue;
      const failed = category.auditRefs
        .map((ref) => result.lhr.audits[ref.id])
        .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative')
        .map((audit) => audit.id);
      failures.push(`${path}: ${id} ${Math.round(category.score * 100)} (${failed.join(', ')})`);
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ audited, failures }) + '\n');
