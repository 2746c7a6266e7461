// Issue 18, point 2: the theming contract (widget/README.md, "Theming"), in both browsers.
// A host page sets every documented custom property and part on two widgets, and sees
// each take effect; two more widgets get what the contract does not offer, which must not
// reach them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, setViewport, startWorld, waitInPage } from './harness.mjs';

const PARTS = ['widget', 'card', 'header', 'text', 'title', 'snippet', 'footer', 'button', 'help'];

// The computed styles of every part in the widget `id`, and of its .mark (not a part).
function styles(id) {
  const root = document.getElementById(id).shadowRoot;
  const pick = (el) => {
    if (!el) return null;
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor, font: s.fontFamily, radius: s.borderTopLeftRadius,
      border: s.borderTopColor, outline: `${s.outlineStyle} ${s.outlineColor}`, shadow: s.boxShadow,
      decoration: `${s.textDecorationLine} ${s.textDecorationColor}`, size: s.fontSize, height: el.getBoundingClientRect().height,
      transform: s.textTransform, spacing: s.letterSpacing };
  };
  const out = {};
  for (const name of ['widget', 'card', 'header', 'text', 'title', 'snippet', 'footer', 'button', 'help']) {
    out[name] = pick(root.querySelector(`[part~="${name}"]`));
  }
  out.link = pick(root.querySelector('.help a'));
  out.mark = pick(root.querySelector('.mark'));
  out.meta = pick(root.querySelector('.meta'));
  return out;
}

// One set of servers for both browsers: nothing here changes what the services answer.
let world;
before(async () => { world = await startWorld({ hostile: false, bundled: false }); });
after(async () => { await world?.stop(); });

for (const kind of ['chromium', 'firefox']) {
  describe(`theming contract in ${kind}`, { timeout: 120000 }, () => {
    let browser;
    let seen;
    before(async () => {
      browser = await launch(kind);
      const ctx = await browser.createBrowserContext();
      const page = await ctx.newPage();
      await setViewport(page, { width: 1000, height: 3000 });
      await page.goto(`${world.host}/theming.html`, { waitUntil: 'load' });
      await waitInPage(page, () => ['tip', 'articles', 'plain-tip', 'plain-articles'].every((id) => {
        const r = document.getElementById(id).shadowRoot;
        return r && r.querySelector('.card') && !r.querySelector('[aria-busy]');
      }), { timeout: 20000 });
      seen = {};
      for (const id of ['tip', 'articles', 'plain-tip', 'plain-articles']) seen[id] = await page.evaluate(styles, id);
      await ctx.close();
    });
    after(async () => { await browser?.close(); });

    it('every documented part exists', () => {
      for (const name of PARTS) {
        const where = ['text'].includes(name) ? 'tip' : 'articles';
        assert.ok(seen[where][name], `part ${name} in the ${where} widget`);
      }
    });

    it('applies each custom property', () => {
      const { tip, articles } = seen;
      const plain = seen['plain-tip'];
      assert.equal(tip.link.color, 'rgb(122, 79, 158)', '--smartmed-accent');
      assert.equal(articles.button.color, 'rgb(122, 79, 158)', '--smartmed-accent on buttons');
      assert.equal(tip.card.background, 'rgb(250, 240, 230)', '--smartmed-background');
      assert.equal(tip.text.color, 'rgb(20, 30, 40)', '--smartmed-text');
      assert.equal(articles.meta.color, 'rgb(90, 80, 70)', '--smartmed-muted');
      assert.equal(tip.card.border, 'rgb(200, 100, 50)', '--smartmed-border');
      assert.match(tip.text.font, /Georgia/, '--smartmed-font');
      assert.equal(tip.card.radius, '3px', '--smartmed-radius');
      // ... and the defaults where they are not set.
      assert.equal(plain.link.color, 'rgb(43, 107, 92)');
      assert.equal(plain.card.background, 'rgb(251, 250, 246)');
      assert.equal(plain.card.radius, '14px');
    });

    it('applies each ::part() rule', () => {
      const { tip, articles } = seen;
      assert.equal(tip.widget.outline, 'dotted rgb(1, 1, 1)');
      assert.equal(tip.card.shadow, 'rgb(2, 2, 2) 0px 2px 8px 0px');
      assert.equal(tip.header.decoration, 'underline rgb(3, 3, 3)');
      assert.equal(tip.text.decoration, 'underline rgb(4, 4, 4)');
      assert.equal(articles.title.decoration, 'underline rgb(5, 5, 5)');
      assert.equal(articles.snippet.decoration, 'underline rgb(6, 6, 6)');
      assert.equal(tip.footer.background, 'rgb(7, 7, 7)');
      assert.equal(articles.button.decoration, 'underline rgb(8, 8, 8)');
      assert.equal(tip.help.background, 'rgb(9, 9, 9)');
    });

    it('lets nothing else from the host in', () => {
      for (const id of ['plain-tip', 'plain-articles']) {
        const s = seen[id];
        for (const [name, style] of Object.entries(s)) {
          if (!style) continue;
          for (const [prop, value] of Object.entries(style)) {
            assert.doesNotMatch(String(value), /255, 0, 0/, `${id} ${name} ${prop}: ${value}`);
          }
          assert.doesNotMatch(style.font, /Comic/, `${id} ${name} font`);
          assert.equal(style.transform, 'none', `${id} ${name} text-transform`);
          assert.notEqual(style.spacing, '4px', `${id} ${name} letter-spacing`);
        }
        assert.equal(s.card.radius, '14px');
      }
      // The internal --fit-* and --n names set by the host change no size: the leaky
      // widgets are exactly as tall as unbranded ones would be.
      assert.ok(seen['plain-tip'].text.size !== '60px', 'tip size not taken from the host');
      assert.equal(seen['plain-articles'].card.height, seen.articles.card.height);
    });
  });
}
