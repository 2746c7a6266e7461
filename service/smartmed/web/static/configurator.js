/* The configurator's live updates: options -> /configurator/code -> preview and code. */
(function () {
  'use strict';
  var form = document.getElementById('embed-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var code = document.getElementById('embed-code');
  var preview = document.getElementById('preview');
  var feeds = document.getElementById('feed-list');
  var copy = document.getElementById('copy');
  var status = document.getElementById('copy-status');
  var apply = document.getElementById('apply');
  var kind = form.elements.namedItem('kind');
  var limit = form.elements.namedItem('limit');
  var seq = 0, counted = 0;

  function query() {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value) q.append(name, value); });
    return q.toString();
  }

  function syncFields() {
    // The limit only means something for article snippets.
    limit.disabled = kind.value !== 'articles';
  }

  // Offers no more articles than the topic has (with the medical choice and partner as
  // set): a widget reserves room for `limit` articles, so a larger limit would leave an
  // empty part of the card on the partner's page (issue 18). The default (3) is offered
  // only where three exist.
  function clampLimit() {
    if (kind.value !== 'articles') return;
    var q = new URLSearchParams({ limit: String(limit.options.length - 1) }), mine = ++counted;
    ['topic', 'medical', 'partner', 'lang'].forEach(function (name) {
      var value = form.elements.namedItem(name).value;
      if (value) q.set(name, value);
    });
    fetch('/v1/articles?' + q, { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) {
        if (!doc || mine !== counted) return;
        var have = doc.articles.length, changed = false;
        [].forEach.call(limit.options, function (option) {
          var n = option.value ? Number(option.value) : 3;
          option.disabled = n > have;
          if (option.selected && option.disabled) changed = true;
        });
        if (changed && have > 0) {
          limit.value = String(have);
          update();
        }
        limit.dataset.articles = String(have);  // the browser tests read what was offered
      });
  }

  function render(doc) {
    code.textContent = doc.code;
    var host = document.createElement('div');
    doc.attributes.forEach(function (pair) { host.setAttribute(pair[0], pair[1]); });
    preview.replaceChildren(host);
    feeds.replaceChildren.apply(feeds, doc.feeds.map(function (feed) {
      var li = document.createElement('li'), a = document.createElement('a');
      a.href = feed.href;
      a.textContent = feed.title;
      li.appendChild(a);
      return li;
    }));
    status.textContent = '';
  }

  function update() {
    syncFields();
    clampLimit();
    var q = query(), mine = ++seq;
    // The page's own address (/, /es/, …): its language stays as the options change.
    history.replaceState(null, '', location.pathname + (q ? '?' + q : ''));
    fetch('/configurator/code' + (q ? '?' + q : ''), { credentials: 'omit' })
      .then(function (r) {
        return r.json().then(function (doc) {
          if (!r.ok) throw new Error(doc.error ? doc.error.message : 'HTTP ' + r.status);
          return doc;
        });
      })
      .then(function (doc) { if (mine === seq) render(doc); })
      .catch(function (e) {
        if (mine === seq) status.textContent = status.dataset.failed + ' ' + e.message;
      });
  }

  function copied(ok) {
    // The words come with the page, in its language (data-* of the status line).
    status.textContent = ok ? status.dataset.copied : status.dataset.copyByHand;
  }

  function copyFallback() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    copied(ok);
  }

  form.addEventListener('change', update);
  form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
  copy.addEventListener('click', function () {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.textContent).then(function () { copied(true); },
        copyFallback);
    } else {
      copyFallback();
    }
  });
  copy.hidden = false;
  apply.hidden = true;
  syncFields();
  clampLimit();
})();
