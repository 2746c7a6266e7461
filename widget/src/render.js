// What a widget shows: the reserved card while loading, the tip, the article list, an
// article opened in place, and the quiet fallback link. Every text goes in as text.
import { el, formatDay, link, part, safeUrl, service } from './dom.js';
import { fitTip } from './fit.js';
import { sanitize } from './sanitize.js';

let uid = 0;

// The words around the content come with each answer (`labels`, in the answer's language).
// A label the answer lacks falls back to English, and the element that shows it says so
// (lang="en"), so a missing translation is visible as such.
const ENGLISH = {
  tip_of_the_day: 'Tip of the day', learn_more: 'Learn more', read_more: 'Read more',
  min_read: { other: '{n} min read' }, awaiting_review: 'Awaiting clinical review',
  reviewed_by: 'Reviewed by {names}', help_heading: 'Need urgent help?',
};

/** The label `key` for `state`'s widget; a fallback marks `node` as English. */
function say(state, key, node) {
  const label = state.words?.[key];
  if (label) return label;
  node.lang = 'en';
  return ENGLISH[key];
}

/** The label of a review: "Reviewed by" only where a real reviewer signed. */
const reviewLabel = (state, x, node) => (x.reviewed_by
  ? say(state, 'reviewed_by', node).replace('{names}', x.reviewed_by) : say(state, 'awaiting_review', node));

/** The root's class: theme (auto, light, dark) and layout. */
export function applyTheme(state) {
  const theme = state.options.theme || state.partnerInfo?.theme || 'auto';
  state.widget.className = 'widget ' + theme + (state.options.layout === 'compact' ? ' compact' : '');
}

function newRoot(state) {
  state.root.replaceChildren();
  state.widget = part(el('div', '', null, state.root), 'widget');
  state.widget.lang = 'en';
  state.widget.dir = 'ltr';
  state.words = null;
}

/** The card at its final height, before any data: data arriving moves nothing. */
export function renderShell(state) {
  const { options } = state;
  const isTip = options.kind === 'tip';
  state.tipText = null;
  newRoot(state);
  applyTheme(state);
  const card = state.card = part(el(isTip ? 'article' : 'section', isTip ? 'card tip' : 'card articles', null, state.widget), 'card');
  card.style.setProperty('--n', options.limit);
  const id = 'sm' + ++uid;
  const header = part(el('header', 'header', null, card), 'header');
  // Only the tip's article is named: a named section is a landmark, and two article lists
  // on one page would be two landmarks with one name.
  if (isTip) card.setAttribute('aria-labelledby', id);
  el('span', 'mark', null, header);  // empty: nothing for a screen reader
  el('span', 'brand', 'Smart Meditation', header);
  // Its words come with the data (settle); the tip's heading names the tip, a list's
  // heading the invitation to read on.
  (state.heading = el('h2', '', null, header)).id = id;
  state.skeleton = el('div', 'skeleton', null, card);
  // Urgent help, on every card from the first frame (its height is in the reservation).
  state.helpLink = helpLink(state, card);
  card.ariaBusy = true;
}

// A plain link to the help page: /help for a public embed, the partner's country's once
// the data names it. Nothing here dials a number.
function helpLink(state, parent) {
  const line = part(el('p', 'help', null, parent), 'help');
  const a = link(service.origin + '/help', '', line);
  a.textContent = say(state, 'help_heading', a);
  return a;
}

// Ends loading: the answer's language, direction and words, the partner's theme and help
// page (a public embed's goes to every country's, in the answer's language), no skeleton.
function settle(state, data) {
  const labels = state.words = data.labels || {};
  const help = data.help?.url;
  const widget = state.widget;
  widget.lang = data.lang || 'en';
  widget.dir = labels.dir || 'ltr';
  state.partnerInfo = data.partner;
  state.heading.textContent = say(state, state.options.kind === 'tip' ? 'tip_of_the_day' : 'learn_more', state.heading);
  const a = state.helpLink;
  a.removeAttribute('lang');
  a.textContent = say(state, 'help_heading', a);
  if (help) a.href = safeUrl(data.partner ? help : help.replace(/\/[^/]*$/, ''));
  applyTheme(state);
  if (state.skeleton) state.skeleton.remove();
  state.card.ariaBusy = null;
  return state.card;
}

function footer(card, href) {
  const row = part(el('footer', 'footer', null, card), 'footer');
  const span = el('span', '', null, row);
  link(href, 'Smart Meditation', row);
  return span;
}

/** The day's tip, its "learn more" article, and who reviewed the tip library. */
export function renderTip(state, data) {
  const card = settle(state, data);
  const { tip, attribution } = data;
  const lang = state.widget.lang;
  const quote = el('div', 'quote', null, card);
  const text = state.tipText = part(el('p', 'text', tip.text, quote), 'text');
  text.lang = lang;
  if (tip.article?.url) {
    const more = el('p', 'learn', null, quote);
    more.textContent = say(state, 'learn_more', more) + ': ';
    link(tip.article.url, tip.article.title, more);
  }
  const line = footer(card, attribution.url);
  line.textContent = reviewLabel(state, attribution, line)
    + (attribution.reviewed_by ? ' · ' + formatDay(attribution.last_reviewed, lang) : '');
  card.appendChild(state.helpLink.parentNode);
  fit(state);
}

/** Sizes the tip to its card again (after a resize or a font load); no-op for lists. */
export function fit(state) {
  if (state.tipText?.isConnected) fitTip(state.card, state.tipText);
}

/** Article snippets; each opens in place with its "Read more" button. */
export function renderList(state, data) {
  const card = settle(state, data);
  const list = el('ul', 'list', null, card);
  const line = footer(card, service.origin + '/articles');
  const reviewers = new Set();
  for (const article of data.articles) {
    reviewers.add(reviewLabel(state, article, line));
    renderItem(state, article, el('li', '', null, list));
  }
  line.textContent = [...reviewers].join('; ');
  card.appendChild(state.helpLink.parentNode);
}

function renderItem(state, article, li) {
  const box = el('article', '', null, li);
  const lang = article.lang || state.widget.lang;
  box.lang = lang;
  box.articleItem = article;  // read by the click handler (main.js) for "Read more" and beacons
  part(el('h3', 'clamp', article.title, box), 'title');
  const topic = article.topics?.[0] ? article.topics[0].title + ' · ' : '';
  const meta = el('p', 'meta clamp', null, box);
  // "{n} min read" in the plural form the language's rules choose for n (Intl.PluralRules).
  const n = article.reading_minutes;
  const forms = say(state, 'min_read', meta);
  meta.textContent = topic + (forms[new Intl.PluralRules(lang).select(n)] || forms.other)
    .replace('{n}', n.toLocaleString(lang)) + ' · ' + reviewLabel(state, article, meta)
    + (article.reviewed_by ? ' · ' + formatDay(article.last_reviewed, lang) : '');
  if (state.options.layout === 'card') part(el('p', 'snippet clamp', article.snippet, box), 'snippet');
  const button = part(el('button', '', null, box), 'button');
  button.textContent = say(state, 'read_more', button);
  button.ariaExpanded = false;
  button.setAttribute('aria-controls', 'sm' + ++uid);
}

/**
 * Opens or closes the article under `button`. Returns the region when it is opened for
 * the first time (the caller then loads the article into it), else null.
 */
export function toggleArticle(button) {
  const open = button.ariaExpanded !== 'true';
  const id = button.getAttribute('aria-controls');
  const box = button.parentNode;
  let region = box.querySelector('#' + id);
  // The button keeps its words; aria-expanded (and its arrow) says whether it is open.
  button.ariaExpanded = open;
  if (region) {
    region.hidden = !open;
    return null;
  }
  region = el('div', 'body', null, box);
  region.ariaBusy = true;
  region.id = id;
  region.role = 'region';
  region.ariaLabel = box.articleItem.title;
  return region;
}

/** The sanitized article, its disclaimer and review line, in `region`. */
export function renderArticle(state, region, article) {
  region.textContent = '';
  region.ariaBusy = null;
  if (article.disclaimer) el('p', 'disclaimer', article.disclaimer, region).role = 'note';
  region.appendChild(sanitize(article.html || ''));
  const line = el('p', 'review', null, region);
  line.textContent = reviewLabel(state, article, line) +
    (article.reviewed_by ? ' · ' + formatDay(article.last_reviewed, article.lang) : '') + ' · ';
  link(article.url, 'Smart Meditation', line);
}

/** A quiet link instead of the widget: bad options, or data that could not load. */
export function renderFallback(state) {
  const isTip = state.options?.kind === 'tip';
  const href = service.origin + (isTip ? '/tips' : '/articles');
  const label = 'Smart Meditation';
  if (!state.card || state.bad) {
    state.card = null;
    newRoot(state);
    state.widget.className = 'widget auto';
    link(href, label, el('p', 'fallback', null, state.widget));
    helpLink(state, state.widget);
    return;
  }
  const card = settle(state, {});
  link(href, label, el('p', 'fallback', null, card));
  card.appendChild(state.helpLink.parentNode);
}
