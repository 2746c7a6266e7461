// Data from the service: one request per distinct URL for the whole page, with a timeout.
import { LOG } from './dom.js';

const TIMEOUT_MS = 8000;
const requests = new Map();  // url -> promise of the checked JSON
const reported = new Set();  // urls whose failure the console has already been told

/**
 * The JSON at `url` if `check` accepts it; rejects (with one console warning per URL)
 * otherwise. `quiet`: the URL has a guessed language, and may be refused (see below).
 */
export function getJson(url, check, quiet) {
  if (!requests.has(url)) {
    requests.set(url, fetch(url, {
      credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS),
    }).then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then((data) => {
      if (!check(Object(data))) throw new Error('bad answer');
      return data;
    }).catch((error) => {
      requests.delete(url);  // a later widget may try again
      // A guessed language the service lacks: it answers 400 (with the success answer's
      // CORS headers, so readable here; an older service or a proxy's own error may still
      // read as a network error). Either way, short of a timeout, the caller asks again
      // without the language, and only that answer's failure is worth a warning.
      error.retry = quiet && error.name !== 'TimeoutError';
      if (!reported.has(url) && !error.retry) {
        reported.add(url);
        console.warn(LOG + 'could not load ' + url + ': ' + ((error && error.message) || error));
      }
      throw error;
    }));
  }
  return requests.get(url);
}

// The shapes each renderer relies on.
export const isTip = (d) => typeof d.tip?.text === 'string' && d.attribution;
export const isList = (d) => Array.isArray(d.articles);
export const isArticle = (d) => typeof d.article?.html === 'string';
