// Small DOM helpers shared by the renderers. Text always goes in as text.

/** A new element with an optional class, text and parent. */
export function el(tag, className, text, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

/** Marks `node` as a styling hook for the host page (`::part(name)`, widget/README.md). */
export function part(node, name) {
  node.setAttribute('part', name);
  return node;
}

// The service's origin, from the script's own URL (main.js sets it once).
export const service = { origin: '' };

/** `url` if it is http(s), else the service's home. */
// (A function, not an arrow: rjsmin, which the service runs, would read "=> /" as a comment.)
export function safeUrl(url) {
  return /^https?:\/\//i.test(url) ? url : service.origin + '/';
}

/** A link that opens in a new tab; anything but an http(s) URL goes to the service's home. */
export function link(href, text, parent) {
  const a = el('a', '', text, parent);
  a.href = safeUrl(href);
  a.target = '_blank';  // which implies rel=noopener
  return a;
}

/** An ISO date as the reader's language writes it ("26 Nov 2026"). */
export function formatDay(iso, lang) {
  try {
    return new Intl.DateTimeFormat(lang || 'en', { dateStyle: 'medium', timeZone: 'UTC' })
      .format(new Date(iso + 'T00:00:00Z'));
  } catch {
    return iso;
  }
}

export const LOG = '[smartmed] ';

/** Runs `fn`, logging instead of throwing: no exception may reach the host page. */
export function safe(fn, ...args) {
  try {
    return fn(...args);
  } catch (error) {
    console.error(LOG + error);
  }
}
