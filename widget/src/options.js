// A widget's options: read from its attributes, checked against the service's own lists
// (constants.js is generated from the Python code), and turned into the data URL.
import { KINDS, LAYOUTS, MAX_LIMIT, MEDICAL, MIN_LIMIT, OPTION_NAMES, THEMES } from './constants.js';

export const TAG = 'smartmed-widget';
// Page languages the service answered 400 for (it has no such language): not asked again.
export const unknownLangs = new Set();
const DEFAULT_LIMIT = 3;
const CHOICES = { kind: KINDS, theme: THEMES, layout: LAYOUTS, medical: MEDICAL };
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
// Options that are not a fixed choice: their shape, and how the console names it.
const FORMS = {
  partner: [SLUG, 'a partner id'],
  topic: [SLUG, 'a topic id'],
  lang: [/^[a-z]{2,3}$/, 'a language code'],
  limit: [{ test: (v) => /^[0-9]{1,2}$/.test(v) && v >= MIN_LIMIT && v <= MAX_LIMIT },
    `${MIN_LIMIT} to ${MAX_LIMIT}`],
};

// The attribute an option is read from: `<div data-smartmed="tip" data-topic="sleep">`.
export const dataAttribute = (name) => (name === 'kind' ? 'data-smartmed' : 'data-' + name);
export const DATA_ATTRIBUTES = OPTION_NAMES.map(dataAttribute);

/** The options of `host` (a placeholder or the custom element); `bad` names the first invalid one. */
export function readOptions(host) {
  const isElement = host.localName === TAG;
  const options = {};
  let bad = null;
  for (const name of OPTION_NAMES) {
    let value = host.getAttribute(isElement ? name : dataAttribute(name));
    if (value === null || value === '') continue;
    value = value.trim();
    const choices = CHOICES[name];
    const form = FORMS[name];
    if (choices ? !choices.includes(value) : !form[0].test(value)) {
      bad = bad || `${name}: "${value}" is not valid; use ${choices ? choices.join(', ') : form[1]}`;
    }
    options[name] = value;
  }
  if (!options.kind && !bad) bad = 'kind: missing; use ' + KINDS.join(', ');
  // No lang option: the host page's language (its primary subtag), unless the service
  // already refused it; with neither, the service answers in the partner's default.
  const page = document.documentElement.lang.split('-')[0].toLowerCase();
  if (!options.lang && FORMS.lang[0].test(page) && !unknownLangs.has(page)) {
    options.lang = page;
    options.guess = true;
  }
  options.layout = options.layout || 'card';
  options.limit = +(options.limit || DEFAULT_LIMIT);
  options.bad = bad;
  return options;
}

// The reader's own calendar day: the tip changes at their midnight, not the server's.
// Canadian English writes a date as YYYY-MM-DD, in the reader's own time zone.
const today = () => new Date().toLocaleDateString('en-CA');

/** The one API URL a widget with these options reads. */
export function dataUrl(origin, options) {
  const query = [];
  for (const name of ['partner', 'topic', 'lang']) {
    if (options[name]) query.push(name + '=' + encodeURIComponent(options[name]));
  }
  if (options.kind === 'articles') {
    query.unshift('limit=' + options.limit);
    if (options.medical) query.push('medical=' + options.medical);  // else the partner's choice
  }
  const path = options.kind === 'tip' ? '/v1/tips/' + today() : '/v1/articles';
  return origin + path + (query.length ? '?' + query.join('&') : '');
}
