/*! Smart Meditation reading widget | embed docs: /widget/README.md */
(function () {
  'use strict';
  // Whatever happens while starting, the host page must not see an exception.
  try { start(); } catch (e) { console.error('[smartmed] could not start: ' + e); }
  function start() {
    var D = document, W = window;
    // Loaded twice (two embeds on one page): the first copy already does everything.
    if (!W.customElements || customElements.get('smartmed-widget')) return;

    var TAG = 'smartmed-widget', P = '[smartmed] ';
    var me = D.currentScript || [].slice.call(D.scripts).filter(function (s) {
      return /\/widget(\.[0-9a-f]+)?\.js([?#]|$)/.test(s.src);
    }).pop();
    if (!me) { console.error(P + 'cannot tell where widget.js was loaded from'); return; }
    var ORIGIN = new URL(me.src, D.baseURI).origin;
    var TIMEOUT = 8000, uid = 0;
    var CHOICES = {
      kind: ['tip', 'articles'], theme: ['auto', 'light', 'dark'], layout: ['card', 'compact'],
      medical: ['include', 'exclude']
    };
    var FORMS = {
      partner: [/^[a-z0-9][a-z0-9-]{0,63}$/, 'a partner id (lower-case letters, digits, -)'],
      topic: [/^[a-z0-9][a-z0-9-]{0,63}$/, 'a topic id from /v1/topics'],
      lang: [/^[a-z]{2,3}$/, 'a language code such as en'],
      limit: [/^([1-9]|10)$/, 'a whole number from 1 to 10']
    };
    var NAMES = ['kind', 'partner', 'topic', 'limit', 'lang', 'theme', 'layout', 'medical'];
    var CSS = [
      ':host{all:initial;display:block}',
      ':host([hidden]){display:none}',
      '.w{all:initial;display:block;container-type:inline-size;font:400 14px/21px var(--smartmed-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);',
      '--ac:#2b6b5c;--bg:#fbfaf6;--fg:#1d2a27;--mu:#4d5b57;--ln:#e2ded3;--sf:#f1eee6;color:var(--fg);-webkit-font-smoothing:antialiased;text-align:start;overflow-wrap:break-word}',
      '.w.d{--ac:#8fd3c1;--bg:#162220;--fg:#e9f0ee;--mu:#adbdb8;--ln:#2e3e3b;--sf:#1e2d2a;color-scheme:dark}',
      '@media(prefers-color-scheme:dark){.w.a{--ac:#8fd3c1;--bg:#162220;--fg:#e9f0ee;--mu:#adbdb8;--ln:#2e3e3b;--sf:#1e2d2a;color-scheme:dark}}',
      '*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}',
      '.c{display:flex;flex-direction:column;gap:12px;padding:18px;background:var(--bg);border:1px solid var(--ln);border-radius:var(--smartmed-radius,14px)}',
      // Reserved heights, border included: widget/README.md gives partners the same numbers.
      '.t{min-height:606px}.k .t{min-height:524px}.r{min-height:calc(172px + 330px * var(--n))}.k .r{min-height:calc(160px + 172px * var(--n))}',
      '@container (min-width:480px){.c{gap:14px;padding:22px 26px}.tx{font-size:19px;line-height:29px}h3{font-size:17px;line-height:24px}.s{font-size:15px;line-height:23px}',
      '.t{min-height:432px}.k .t{min-height:360px}.r{min-height:calc(166px + 232px * var(--n))}.k .r{min-height:calc(142px + 132px * var(--n))}}',
      '.k .c{gap:10px;padding:14px 16px}',
      '.hd{display:flex;align-items:center;gap:8px;font-size:13px;line-height:18px;letter-spacing:.01em;color:var(--mu)}',
      '.mk{flex:none;width:18px;height:18px;border-radius:50%;border:2px solid var(--smartmed-accent,var(--ac));box-shadow:inset 0 0 0 3px var(--bg),inset 0 0 0 9px var(--smartmed-accent,var(--ac))}',
      '.br{font-weight:650;color:var(--fg)}',
      '.hd h2{margin-inline-start:auto;text-align:end}',
      '.q{margin:auto 0;padding-inline-start:14px;border-inline-start:3px solid var(--smartmed-accent,var(--ac));display:flex;flex-direction:column;gap:8px}',
      '.tx{font-size:17px;line-height:26px;letter-spacing:-.005em}',
      '.k .tx{font-size:15px;line-height:22px}',
      'a{color:var(--smartmed-accent,var(--ac));text-decoration:underline;text-decoration-thickness:1px;text-underline-offset:3px}',
      'a:hover{text-decoration-thickness:2px}',
      ':focus-visible{outline:2px solid var(--smartmed-accent,var(--ac));outline-offset:2px;border-radius:4px}',
      '.ft{margin-top:auto;padding-top:12px;border-top:1px solid var(--ln);font-size:12.5px;line-height:18px;color:var(--mu);display:flex;flex-wrap:wrap;gap:4px 14px;justify-content:space-between}',
      'ul.l{list-style:none;display:flex;flex-direction:column;gap:16px}',
      '.l>li+li{padding-top:16px;border-top:1px solid var(--ln)}',
      'h3{font-size:16px;line-height:22px;font-weight:650;letter-spacing:-.01em}',
      '.k h3{font-size:15px;line-height:21px}',
      '.m{font-size:12.5px;line-height:18px;color:var(--mu);margin-top:3px}',
      '.s{margin-top:6px}',
      'button{cursor:pointer;margin-top:6px;background:none;border:0;padding:2px 0;font-weight:650;font-size:14px;line-height:20px;color:var(--smartmed-accent,var(--ac))}',
      'button::after{content:" \\2193"}button[aria-expanded=true]::after{content:" \\2191"}',
      '.b{margin-top:10px;padding:14px 16px;background:var(--sf);border-radius:10px;display:flex;flex-direction:column;gap:10px}',
      '.b h2,.b h3,.b h4,.b h5,.b h6{font-size:16px;line-height:22px;font-weight:650;margin-top:6px}',
      '.b ul,.b ol{padding-inline-start:22px}.b ul{list-style:disc}.b ol{list-style:decimal}.b li+li{margin-top:4px}',
      '.b blockquote{border-inline-start:3px solid var(--ln);padding-inline-start:12px}',
      '.b strong{font-weight:650}.b em{font-style:italic}.b code,.b pre{font-family:ui-monospace,monospace;font-size:13px;white-space:pre-wrap}',
      '.b table{border-collapse:collapse}.b th,.b td{border:1px solid var(--ln);padding:4px 6px;text-align:start}',
      '.dc{font-size:13px;line-height:19px;padding:10px 12px;border-inline-start:3px solid var(--smartmed-accent,var(--ac));background:var(--bg)}',
      '.sk{flex:1;border-radius:8px;background:var(--sf);animation:p 1.6s ease-in-out infinite alternate}',
      '@keyframes p{to{opacity:.45}}',
      '.fb{color:var(--mu);margin:auto 0}',
      '.u{font-size:12.5px;line-height:18px;font-weight:650}',
      '@media(prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}'
    ].join('\n');
    var sheet = null;
    try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch (e) { sheet = null; }

    var live = new Map(), cache = new Map(), told = new Set();
    var io = W.IntersectionObserver && new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var st = live.get(e.target);
        if (e.isIntersecting && st) { io.unobserve(e.target); st.near = true; safe(load, st); }
      });
    }, { rootMargin: '400px 0px' });
    // Usage counts for the partner (README: privacy): no cookie, no id, nothing with Global
    // Privacy Control. An impression: half the card in view for a second, once per page view.
    var seen = W.IntersectionObserver && new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var st = live.get(e.target);
        if (!st) return;
        clearTimeout(st.vt);
        if (e.isIntersecting) st.vt = setTimeout(function () { seen.unobserve(e.target); beacon(st, 'impression'); }, 1000);
      });
    }, { threshold: 0.5 });
    function beacon(st, event, items) {
      var o = st.o;
      if (!o.partner || navigator.globalPrivacyControl || !navigator.sendBeacon) return;
      safe(function () {
        navigator.sendBeacon(ORIGIN + '/v1/events', JSON.stringify({ partner: o.partner, event: event,
          kind: o.kind, topic: o.topic || null, lang: st.lg, items: items || st.ids }));
      });
    }

    function safe(fn, a, b) {
      try { return fn(a, b); } catch (e) { console.error(P + 'unexpected error: ' + e); }
    }
    function el(tag, cls, text, parent) {
      var n = D.createElement(tag);
      if (cls) n.className = cls;
      if (text != null) n.textContent = text;
      if (parent) parent.appendChild(n);
      return n;
    }
    function link(href, text, parent) {
      var a = el('a', '', text, parent);
      a.href = /^https?:\/\//i.test(href) ? href : ORIGIN + '/';
      a.target = '_blank'; a.rel = 'noopener';
      return a;
    }
    function day(iso, lang) {
      try {
        return new Intl.DateTimeFormat(lang || 'en', { dateStyle: 'medium', timeZone: 'UTC' })
          .format(new Date(iso + 'T00:00:00Z'));
      } catch (e) { return String(iso); }
    }
    function today() {
      var d = new Date(), p = function (n) { return (n < 10 ? '0' : '') + n; };
      return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
    }

    function options(host) {
      var ce = host.localName === TAG, o = {}, bad = null;
      NAMES.forEach(function (n) {
        var v = ce ? host.getAttribute(n) : host.getAttribute(n === 'kind' ? 'data-smartmed' : 'data-' + n);
        if (v === null || v === '') return;
        v = v.trim();
        var c = CHOICES[n], f = FORMS[n];
        if (c ? c.indexOf(v) < 0 : !f[0].test(v)) {
          bad = bad || n + ': ' + JSON.stringify(v) + ' is not valid; use ' + (c ? c.join(', ') : f[1]);
        }
        o[n] = v;
      });
      if (!o.kind && !bad) bad = 'kind: missing; use ' + CHOICES.kind.join(', ');
      o.layout = o.layout || 'card';
      o.limit = +(o.limit || 3);
      o.bad = bad;
      return o;
    }
    function dataUrl(o) {
      var q = [];
      ['partner', 'topic', 'lang'].forEach(function (n) {
        if (o[n]) q.push(n + '=' + encodeURIComponent(o[n]));
      });
      if (o.kind === 'articles') {
        q.unshift('limit=' + o.limit);
        if (o.medical) q.push('medical=' + o.medical);  // else the partner's choice
      }
      var path = o.kind === 'tip' ? '/v1/tips/' + today() : '/v1/articles';
      return ORIGIN + path + (q.length ? '?' + q.join('&') : '');
    }
    // One request per distinct URL for the whole page, with a timeout; never rejects unseen.
    function get(url, check) {
      if (!cache.has(url)) {
        var ctl = W.AbortController ? new AbortController() : null;
        var timer = setTimeout(function () { if (ctl) ctl.abort(); }, TIMEOUT);
        cache.set(url, fetch(url, {
          credentials: 'omit', mode: 'cors', cache: 'default', signal: ctl && ctl.signal
        }).then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        }).then(function (d) {
          clearTimeout(timer);
          if (!d || typeof d !== 'object' || !check(d)) throw new Error('unexpected answer');
          return d;
        }).catch(function (e) {
          clearTimeout(timer);
          cache.delete(url);
          if (!told.has(url)) { told.add(url); console.warn(P + 'could not load ' + url + ': ' + (e && e.message || e)); }
          throw e;
        }));
      }
      return cache.get(url);
    }
    var isTip = function (d) { return d.tip && typeof d.tip.text === 'string' && d.attribution; };
    var isList = function (d) { return Array.isArray(d.articles); };
    var isArticle = function (d) { return d.article && typeof d.article.html === 'string'; };

    function mount(host) {
      if (live.has(host)) return update(host);
      var root = host.shadowRoot || host.attachShadow({ mode: 'open' });
      if (sheet && 'adoptedStyleSheets' in root) root.adoptedStyleSheets = [sheet];
      else el('style', '', CSS, root);
      var st = { host: host, root: root, near: !io, url: null, theme: null };
      live.set(host, st);
      update(host);
    }
    function unmount(host) {
      var st = live.get(host);
      if (!st || host.isConnected) return;
      if (io) io.unobserve(host);
      if (seen) seen.unobserve(host);
      clearTimeout(st.vt);
      live.delete(host);
    }
    function update(host) {
      var st = live.get(host);
      if (!st) return;
      var o = options(host), url = o.bad ? null : dataUrl(o);
      st.o = o;
      if (o.bad) {
        if (st.bad !== o.bad) console.error(P + o.bad);
        st.bad = o.bad; st.url = null;
        return fallback(st);
      }
      st.bad = null;
      if (url === st.url && st.box) return theme(st);
      st.url = url;
      shell(st);
      if (st.near) load(st);
      else if (io) io.observe(host);
    }
    function theme(st) {
      var t = st.o.theme || (st.partner && st.partner.theme) || 'auto';
      st.w.className = 'w ' + t[0] + (st.o.layout === 'compact' ? ' k' : '');
    }
    function shell(st) {
      var o = st.o, root = st.root;
      [].slice.call(root.childNodes).forEach(function (n) { if (n.localName !== 'style') n.remove(); });
      st.w = el('div', '', null, root);
      st.w.lang = 'en';
      st.w.setAttribute('part', 'widget');
      theme(st);
      // The card reserves its final height now (CSS above), so data arriving moves nothing.
      var c = st.box = el(o.kind === 'tip' ? 'article' : 'section', o.kind === 'tip' ? 'c t' : 'c r', null, st.w);
      c.style.setProperty('--n', o.limit);
      var id = 'smh' + ++uid, hd = el('header', 'hd', null, c);
      // Only the tip's article is named: a named section is a landmark, and two article lists
      // on one page would be two landmarks with one name.
      if (o.kind === 'tip') c.setAttribute('aria-labelledby', id);
      el('span', 'mk', null, hd).setAttribute('aria-hidden', 'true');
      el('span', 'br', 'Smart Meditation', hd);
      el('h2', '', o.kind === 'tip' ? 'Tip of the day' : 'Articles', hd).id = id;
      st.sk = el('div', 'sk', null, c);
      st.sk.setAttribute('aria-hidden', 'true');
      // Urgent help, on every card from the first frame (its height is in the reservation).
      st.u = help(c);
      c.setAttribute('aria-busy', 'true');
    }
    // A plain link to the help page: /help for a public embed, the partner's country's once
    // the data names it. Nothing here dials a number.
    function help(parent) {
      return link(ORIGIN + '/help', 'Need urgent help?', el('p', 'u', null, parent));
    }
    function load(st) {
      var url = st.url, o = st.o;
      if (!url) return;
      get(url, o.kind === 'tip' ? isTip : isList).then(function (d) {
        if (st.url === url) safe(o.kind === 'tip' ? tip : list, st, d);
        if (st.url === url) st.box.appendChild(st.u.parentNode);
      }, function () {
        if (st.url === url) safe(fallback, st);
      });
    }
    function body(st, d) {
      st.partner = d.partner;
      if (d.partner && d.help && /^https?:\/\//i.test(d.help.url)) st.u.href = d.help.url;
      theme(st);
      if (st.sk) st.sk.remove();
      st.box.removeAttribute('aria-busy');
      return st.box;
    }
    // What the card shows, for the beacons; a fallback shows nothing and sends nothing.
    function track(st, d, ids) {
      st.lg = d.lang || st.o.lang || 'en';
      st.ids = ids;
      if (seen && !st.vs) { st.vs = 1; seen.observe(st.host); }
      if (!st.ck) {
        st.ck = 1;
        st.root.addEventListener('click', function (e) {
          var a = e.target.closest && e.target.closest('a[href]'), ar = a && a.closest('article');
          if (a && a !== st.u) beacon(st, 'click', ar && ar.s ? [ar.s] : st.ids);
        });
      }
    }
    // "Reviewed by" only where a real reviewer signed (reviewed_by is null otherwise).
    function rv(x) {
      return x.reviewed_by ? 'Reviewed by ' + x.reviewed_by : 'Awaiting clinical review';
    }
    function footer(c, text, when, lang, href, label) {
      var f = el('footer', 'ft', null, c);
      el('span', '', text + (when ? ' · ' + day(when, lang) : ''), f);
      link(href, label, f);
    }
    function tip(st, d) {
      var c = body(st, d), t = d.tip, a = d.attribution, lang = d.lang || 'en';
      track(st, d, [t.id]);
      var q = el('div', 'q', null, c);
      el('p', 'tx', t.text, q).lang = lang;
      if (t.article && t.article.url) {
        var m = el('p', 'm', 'Learn more: ', q);
        link(t.article.url, t.article.title, m);
      }
      footer(c, rv(a), a.reviewed_by && a.last_reviewed, lang, a.url, 'From Smart Meditation');
    }
    function list(st, d) {
      var c = body(st, d), ul = el('ul', 'l', null, c), by = [];
      track(st, d, d.articles.map(function (a) { return a.slug; }));
      d.articles.forEach(function (a) {
        if (by.indexOf(rv(a)) < 0) by.push(rv(a));
        item(st, a, el('li', '', null, ul));
      });
      if (!d.articles.length) el('p', 'fb', 'No articles here yet.', c);
      footer(c, by.join('; ') || 'From Smart Meditation', null, 'en',
        ORIGIN + '/articles', 'More on Smart Meditation');
    }
    function item(st, a, li) {
      var ar = el('article', '', null, li), lang = a.lang || 'en';
      ar.lang = lang;
      ar.s = a.slug;
      el('h3', '', a.title, ar);
      var topic = a.topics && a.topics[0] ? a.topics[0].title + ' · ' : '';
      el('p', 'm', topic + a.reading_minutes + ' min read · ' +
        (a.reviewed_by ? 'Reviewed ' + day(a.last_reviewed, lang) : 'Awaiting clinical review'), ar);
      if (st.o.layout === 'card') el('p', 's', a.snippet, ar);
      var btn = el('button', '', 'Read more', ar), id = 'smb' + ++uid, b = null;
      btn.type = 'button';
      btn.setAttribute('aria-expanded', 'false');
      btn.setAttribute('aria-controls', id);
      btn.addEventListener('click', function () {
        safe(function () {
          var open = btn.getAttribute('aria-expanded') !== 'true';
          btn.setAttribute('aria-expanded', String(open));
          btn.textContent = open ? 'Show less' : 'Read more';
          if (!open) { b.hidden = true; return; }
          if (b) { b.hidden = false; return; }
          beacon(st, 'read', [a.slug]);
          b = el('div', 'b', 'Loading…', ar);
          b.id = id;
          b.setAttribute('role', 'region');
          b.setAttribute('aria-label', a.title);
          var q = st.o.partner ? '?partner=' + encodeURIComponent(st.o.partner) : '';
          get(ORIGIN + '/v1/articles/' + encodeURIComponent(a.slug) + q, isArticle).then(function (d) {
            safe(reading, b, d.article);
          }, function () {
            b.textContent = '';
            link(a.url, 'Read on Smart Meditation', b);
          });
        });
      });
    }
    function reading(b, a) {
      b.textContent = '';
      if (a.disclaimer) el('p', 'dc', a.disclaimer, b).setAttribute('role', 'note');
      b.appendChild(clean(a.html));
      var f = el('p', 'm', rv(a) + (a.reviewed_by ? ' · ' + day(a.last_reviewed, a.lang) : '') +
        ' · ', b);
      link(a.url, 'Read on Smart Meditation', f);
    }
    // The service sanitized this HTML already; an inert template and an allow-list are a
    // second wall, so nothing the article carries can run or load in the host page.
    var OK = /^(p|h[2-6]|ul|ol|li|a|em|strong|code|pre|blockquote|hr|br|table|thead|tbody|tr|th|td|del)$/;
    function clean(html) {
      var t = D.createElement('template');
      t.innerHTML = html;
      [].slice.call(t.content.querySelectorAll('*')).forEach(function (n) {
        if (!OK.test(n.localName)) return n.remove();
        [].slice.call(n.attributes).forEach(function (at) {
          if (!(at.name === 'href' && /^(https?:|mailto:)/i.test(at.value)) && at.name !== 'start') {
            n.removeAttribute(at.name);
          }
        });
        if (n.localName === 'a') { n.target = '_blank'; n.rel = 'noopener noreferrer'; }
      });
      return t.content;
    }
    function fallback(st) {
      var kind = st.o && st.o.kind === 'tip' ? 'tip' : 'articles';
      if (!st.box || st.bad) {
        [].slice.call(st.root.childNodes).forEach(function (n) { if (n.localName !== 'style') n.remove(); });
        st.box = null;
        st.w = el('div', 'w a', null, st.root);
        st.w.lang = 'en';
        link(ORIGIN + (kind === 'tip' ? '/tips' : '/articles'),
          kind === 'tip' ? 'Tip of the day on Smart Meditation' : 'Articles on Smart Meditation',
          el('p', 'fb', null, st.w));
        return help(st.w);
      }
      var c = body(st, {});
      var p = el('p', 'fb', 'This content is resting for a moment. ', c);
      link(ORIGIN + (kind === 'tip' ? '/tips' : '/articles'),
        kind === 'tip' ? 'Read today’s tip on Smart Meditation' : 'Read the articles on Smart Meditation', p);
      c.appendChild(st.u.parentNode);
    }

    function scan(node) {
      if (node.nodeType !== 1) return;
      if (node.hasAttribute('data-smartmed')) safe(mount, node);
      if (node.querySelectorAll) [].slice.call(node.querySelectorAll('[data-smartmed]')).forEach(function (n) {
        safe(mount, n);
      });
    }
    function sweep(node) {
      if (node.nodeType !== 1) return;
      live.forEach(function (st, host) {
        if (!host.isConnected && (host === node || node.contains(host))) unmount(host);
      });
    }
    new MutationObserver(function (records) {
      safe(function () {
        records.forEach(function (r) {
          if (r.type === 'attributes') {
            var t = r.target;
            if (t.localName === TAG) return;
            if (t.hasAttribute('data-smartmed')) return live.has(t) ? update(t) : mount(t);
            return;
          }
          r.addedNodes.forEach(scan);
          r.removedNodes.forEach(sweep);
        });
      });
    }).observe(D.documentElement, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: NAMES.map(function (n) { return n === 'kind' ? 'data-smartmed' : 'data-' + n; })
    });
    scan(D.documentElement);

    customElements.define(TAG, class extends HTMLElement {
      static get observedAttributes() { return NAMES; }
      connectedCallback() { safe(mount, this); }
      disconnectedCallback() { safe(unmount, this); }
      attributeChangedCallback() { if (live.has(this)) safe(update, this); }
    });
  }
})();
