import { OssignError } from './errors.js';

// How the Service Worker reads a request under its prefix: the rest of the path is the object
// key (percent-decoded), the query says what signatureUrl would be told.
//
//   /oss/users/42/a%20b.jpg                       GET users/42/a b.jpg
//   /oss/users/42/a.jpg?process=image/resize,w_200 x-oss-process (also ?x-oss-process=)
//   /oss/users/42/v.mp4?versionId=CAEQ…          a version
//   /oss/users/42/r.pdf?response-content-type=application/pdf   any of OSS's response-* overrides
//   /oss/users/42/r.pdf?download                  Content-Disposition: attachment, named r.pdf
//   /oss/users/42/r.pdf?download=Report%202026.pdf   … named "Report 2026.pdf"

/** OSS's response-* overrides (GetObject), without the prefix. */
const RESPONSE_OVERRIDES = ['content-type', 'content-disposition', 'content-language', 'content-encoding', 'cache-control', 'expires'];

/** Request headers the worker passes on to OSS: ranges and conditions (unsigned, beside the URL). */
const FORWARDED_HEADERS = ['range', 'if-range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'];

/** Whether a request carries conditions under which OSS may answer 304 Not Modified. */
export function isConditional(headers) {
  return headers.has('if-none-match') || headers.has('if-modified-since');
}

/**
 * The object a request under prefix names and the signatureUrl options its query asks for:
 * {key, options: {process?, versionId?, response?}}. A response-content-disposition given
 * with download wins over it.
 * @param {string} url the request's URL (its path starts with prefix)
 * @param {string} prefix
 */
export function routeOf(url, prefix) {
  const u = new URL(url);
  let key;
  try {
    key = decodeURIComponent(u.pathname.slice(prefix.length));
  } catch {
    throw new OssignError('InvalidObjectName', `${u.pathname}: the object key is not valid percent-encoded UTF-8`);
  }
  if (key === '') throw new OssignError('InvalidObjectName', `${u.pathname}: name an object after ${prefix}`);
  const options = {};
  const response = {};
  let download;
  for (const [name, value] of u.searchParams) {
    const override = name.startsWith('response-') ? name.slice('response-'.length) : undefined;
    if (name === 'process' || name === 'x-oss-process') options.process = value;
    else if (name === 'versionId') options.versionId = value;
    else if (name === 'download') download = value || key.slice(key.lastIndexOf('/') + 1);
    else if (RESPONSE_OVERRIDES.includes(override)) response[override] = value;
    else throw new OssignError('InvalidArgument', `${u.pathname}: unknown query parameter "${name}": use process, versionId, download or response-${RESPONSE_OVERRIDES.join(', response-')}`);
  }
  if (download !== undefined && response['content-disposition'] === undefined) response['content-disposition'] = attachment(download);
  if (Object.keys(response).length > 0) options.response = response;
  return { key, options };
}

/**
 * Content-Disposition: attachment naming a file, as RFC 6266 says: an ASCII fallback in
 * filename, the exact name in filename* (UTF-8, percent-encoded).
 */
export function attachment(name) {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** The headers of a page's request that go on to OSS (Range and the conditions). */
export function forwardedHeaders(headers) {
  const out = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}
