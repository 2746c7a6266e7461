// Data from the service: one request per distinct URL for the whole page, with a timeout.
import { LOG } from './dom.js';

const TIMEOUT_MS = 8000;
const requests = new Map();  // url -> promise of the checked JSON
const reported = new Set();  // urls whose failure the console has already been told

/** The JSON at `url` if `check` accepts it; rejects (with one console warning per URL) otherwise. */
export function getJson(url, check) {
  if (!requests.has(url)) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    requests.set(url, fetch(url, {
      credentials: 'omit', signal: controller.signal,
    }).then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then((data) => {
      clearTimeout(timer);
      if (!data || typeof data !== 'object' || !check(data)) throw new Error('unexpected answer');
      return data;
    }).catch((error) => {
      clearTimeout(timer);
      requests.delete(url);  // a later widget may try again
      if (!reported.has(url)) {
        reported.add(url);
        console.warn(LOG + 'could not load ' + url + ': ' + ((error && error.message) || error));
      }
      throw error;
    }));
  }
  return requests.get(url);
}

// The shapes each renderer relies on.
export const isTip = (d) => d.tip && typeof d.tip.text === 'string' && d.attribution;
export const isList = (d) => Array.isArray(d.articles);
export const isArticle = (d) => d.article && typeof d.article.html === 'string';
