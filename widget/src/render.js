// What a widget shows: the reserved card while loading, the tip, the article list, an
// article opened in place, and the quiet fallback link. Every text goes in as text.
import { el, formatDay, link, part, service } from './dom.js';
import { fitTip } from './fit.js';
import { sanitize } from './sanitize.js';

let uid = 0;

/** The label of a review: "Reviewed by" only where a real reviewer signed. */
const reviewLabel = (x) => (x.reviewed_by ? 'Reviewed by ' + x.reviewed_by : 'Awaiting clinical review');

/** The root's class: theme (auto, light, dark) and layout. */
export function applyTheme(state) {
  const theme = state.options.theme || (state.partnerInfo && state.partnerInfo.theme) || 'auto';
  state.widget.className = 'widget ' + theme + (state.options.layout === 'compact' ? ' compact' : '');
}

function newRoot(state) {
  state.root.replaceChildren();
  state.widget = part(el('div', '', null, state.root), 'widget');
  state.widget.lang = 'en';
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
  const id = 'smh' + ++uid;
  const header = part(el('header', 'header', null, card), 'header');
  // Only the tip's article is named: a named section is a landmark, and two article lists
  // on one page would be two landmarks with one name.
  if (isTip) card.setAttribute('aria-labelledby', id);
  el('span', 'mark', null, header).setAttribute('aria-hidden', 'true');
  el('span', 'brand', 'Smart Meditation', header);
  el('h2', '', isTip ? 'Tip of the day' : 'Articles', header).id = id;
  state.skeleton = el('div', 'skeleton', null, card);
  state.skeleton.setAttribute('aria-hidden', 'true');
  // Urgent help, on every card from the first frame (its height is in the reservation).
  state.helpLink = helpLink(card);
  card.setAttribute('aria-busy', 'true');
}

// A plain link to the help page: /help for a public embed, the partner's country's once
// the data names it. Nothing here dials a number.
function helpLink(parent) {
  const line = part(el('p', 'help', null, parent), 'help');
  return link(service.origin + '/help', 'Need urgent help?', line);
}

// Ends loading: the partner's theme and help page, no skeleton.
function settle(state, data) {
  state.partnerInfo = data.partner;
  if (data.partner && data.help && /^https?:\/\//i.test(data.help.url)) state.helpLink.href = data.help.url;
  applyTheme(state);
  if (state.skeleton) state.skeleton.remove();
  state.card.removeAttribute('aria-busy');
  return state.card;
}

function footer(state, card, text, when, lang, href, label) {
  const row = part(el('footer', 'footer', null, card), 'footer');
  el('span', '', text + (when ? ' · ' + formatDay(when, lang) : ''), row);
  link(href, label, row);
}

/** The day's tip, its "learn more" article, and who reviewed the tip library. */
export function renderTip(state, data) {
  const card = settle(state, data);
  const { tip, attribution } = data;
  const lang = data.lang || 'en';
  const quote = el('div', 'quote', null, card);
  const text = state.tipText = part(el('p', 'text', tip.text, quote), 'text');
  text.lang = lang;
  if (tip.article && tip.article.url) {
    const more = el('p', 'learn', 'Learn more: ', quote);
    link(tip.article.url, tip.article.title, more);
  }
  footer(state, card, reviewLabel(attribution), attribution.reviewed_by && attribution.last_reviewed,
    lang, attribution.url, 'From Smart Meditation');
  card.appendChild(state.helpLink.parentNode);
  fit(state);
}

/** Sizes the tip to its card again (after a resize or a font load); no-op for lists. */
export function fit(state) {
  if (state.tipText && state.tipText.isConnected) fitTip(state.card, state.tipText);
}

/** Article snippets; each opens in place with its "Read more" button. */
export function renderList(state, data) {
  const card = settle(state, data);
  const list = el('ul', 'list', null, card);
  const reviewers = [];
  for (const article of data.articles) {
    if (!reviewers.includes(reviewLabel(article))) reviewers.push(reviewLabel(article));
    renderItem(state, article, el('li', '', null, list));
  }
  if (!data.articles.length) el('p', 'fallback', 'No articles here yet.', card);
  footer(state, card, reviewers.join('; ') || 'From Smart Meditation', null, 'en',
    service.origin + '/articles', 'More on Smart Meditation');
  card.appendChild(state.helpLink.parentNode);
}

function renderItem(state, article, li) {
  const box = el('article', '', null, li);
  const lang = article.lang || 'en';
  box.lang = lang;
  box.articleItem = article;  // read by the click handler (main.js) for "Read more" and beacons
  part(el('h3', 'clamp', article.title, box), 'title');
  const topic = article.topics && article.topics[0] ? article.topics[0].title + ' · ' : '';
  el('p', 'meta clamp', topic + article.reading_minutes + ' min read · ' +
    (article.reviewed_by ? 'Reviewed ' + formatDay(article.last_reviewed, lang) : 'Awaiting clinical review'), box);
  if (state.options.layout === 'card') part(el('p', 'snippet clamp', article.snippet, box), 'snippet');
  const button = part(el('button', '', 'Read more', box), 'button');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'smb' + ++uid);
}

/**
 * Opens or closes the article under `button`. Returns the region when it is opened for
 * the first time (the caller then loads the article into it), else null.
 */
export function toggleArticle(button) {
  const open = button.getAttribute('aria-expanded') !== 'true';
  const id = button.getAttribute('aria-controls');
  const box = button.parentNode;
  let region = box.querySelector('#' + id);
  button.setAttribute('aria-expanded', String(open));
  button.textContent = open ? 'Show less' : 'Read more';
  if (region) {
    region.hidden = !open;
    return null;
  }
  region = el('div', 'body', 'Loading…', box);
  region.id = id;
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', box.articleItem.title);
  return region;
}

/** The sanitized article, its disclaimer and review line, in `region`. */
export function renderArticle(state, region, article) {
  region.textContent = '';
  if (article.disclaimer) el('p', 'disclaimer', article.disclaimer, region).setAttribute('role', 'note');
  region.appendChild(sanitize(article.html));
  const line = el('p', 'review', reviewLabel(article) +
    (article.reviewed_by ? ' · ' + formatDay(article.last_reviewed, article.lang) : '') + ' · ', region);
  link(article.url, 'Read on Smart Meditation', line);
}

/** Where the article could not load: a link to it instead. */
export function renderArticleLink(state, region, item) {
  region.textContent = '';
  link(item.url, 'Read on Smart Meditation', region);
}

/** A quiet link instead of the widget: bad options, or data that could not load. */
export function renderFallback(state) {
  const isTip = state.options && state.options.kind === 'tip';
  const href = service.origin + (isTip ? '/tips' : '/articles');
  const label = isTip ? 'Today’s tip on Smart Meditation' : 'Articles on Smart Meditation';
  if (!state.card || state.bad) {
    state.card = null;
    newRoot(state);
    state.widget.className = 'widget auto';
    link(href, label, el('p', 'fallback', null, state.widget));
    helpLink(state.widget);
    return;
  }
  const card = settle(state, {});
  const line = el('p', 'fallback', 'This content is resting for a moment. ', card);
  link(href, label, line);
  card.appendChild(state.helpLink.parentNode);
}
