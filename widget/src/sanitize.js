// Article HTML: the service sanitized it already (nh3, smartmed.markdown); this is a second
// wall with the same allow-list, so nothing an article carries can run or load here.
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES } from './constants.js';

const SAFE_URL = new RegExp(`^(${URL_SCHEMES.join('|')}):`, 'i');

/** A fragment of `html` holding only allowed tags and attributes, built in an inert template. */
export function sanitize(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const node of [...template.content.querySelectorAll('*')]) {
    const tag = node.localName;
    if (!ALLOWED_TAGS.includes(tag)) {
      node.remove();
      continue;
    }
    const allowed = ALLOWED_ATTRIBUTES[tag] || [];
    for (const { name, value } of [...node.attributes]) {
      if (!allowed.includes(name) || (name === 'href' && !SAFE_URL.test(value))) node.removeAttribute(name);
    }
    if (tag === 'a') {
      node.target = '_blank';
      node.rel = 'noopener noreferrer';
    }
  }
  return template.content;
}
