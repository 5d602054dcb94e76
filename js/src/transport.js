import { OssignError } from './errors.js';

// Transports send one HTTP request and give back the status, the response headers the page
// may read and the body. XMLHttpRequest where it exists (pages and dedicated workers: it
// reports upload progress), fetch elsewhere (service workers, Node). A test can pass its own
// object with the same send method.
//
// request: {method, url, headers, body, responseType: 'text' | 'blob' | 'arraybuffer' | 'stream',
//   signal, cache (fetch's cache mode, fetch only), onUploadProgress(loaded), onDownloadProgress(loaded, total)}
// reply:   {status, headers: Map of lower-case name → value, body}; for a stream from fetch, also
//   the Response itself (a Service Worker can hand it on as it is)
// A request that gets no response rejects with OssignError NetworkError (network: true); an
// aborted one rejects with signal.reason, as fetch does.

/** Headers a browser sets itself and refuses from scripts (with a console error). */
const BROWSER_SET_HEADERS = new Set(['content-length', 'host', 'connection', 'date', 'expect', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The transport for this environment. */
export function defaultTransport() {
  return typeof XMLHttpRequest === 'function' ? xhrTransport : fetchTransport;
}

/** The URL without its query, for messages: a query may carry a signature or a token. */
export function shownURL(url) {
  return String(url).split(/[?#]/)[0];
}

/** The NetworkError of a request that got no response. */
function networkError(req, cause) {
  return new OssignError('NetworkError',
    `${req.method} ${shownURL(req.url)}: no response (the network failed, the connection was reset, or the browser refused the response by CORS)`,
    { cause, network: true });
}

function requestHeaders(headers) {
  return Object.entries(headers ?? {}).filter(([name]) => !BROWSER_SET_HEADERS.has(name.toLowerCase()));
}

function abortReason(signal) {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** XMLHttpRequest: byte-level upload and download progress. Streams go through fetch. */
const xhrTransport = {
  send(req) {
    if (req.responseType === 'stream') return fetchTransport.send(req);
    return new Promise((resolve, reject) => {
      const { signal } = req;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open(req.method, req.url);
      for (const [name, value] of requestHeaders(req.headers)) xhr.setRequestHeader(name, value);
      xhr.responseType = req.responseType === 'blob' || req.responseType === 'arraybuffer' ? req.responseType : 'text';
      const onAbort = () => xhr.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (fn, value) => {
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      if (req.onUploadProgress && req.body != null) xhr.upload.onprogress = (e) => req.onUploadProgress(e.loaded);
      if (req.onDownloadProgress) xhr.onprogress = (e) => req.onDownloadProgress(e.loaded, e.lengthComputable ? e.total : undefined);
      xhr.onload = () => settle(resolve, { status: xhr.status, headers: parseHeaderBlock(xhr.getAllResponseHeaders()), body: xhr.response });
      xhr.onerror = () => settle(reject, networkError(req));
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => settle(reject, abortReason(signal));
      xhr.send(req.body ?? null);
    });
  },
};

/** The readable response headers (getAllResponseHeaders lists only those CORS exposes). */
function parseHeaderBlock(block) {
  const headers = new Map();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** fetch: download progress from the body stream; upload progress only at the end. */
const fetchTransport = {
  async send(req) {
    let response;
    try {
      response = await fetch(req.url, { method: req.method, headers: requestHeaders(req.headers), body: req.body ?? undefined, signal: req.signal, cache: req.cache });
    } catch (cause) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      throw networkError(req, cause);
    }
    if (req.body != null) req.onUploadProgress?.(bodySize(req.body));
    const headers = new Map([...response.headers].map(([name, value]) => [name.toLowerCase(), value]));
    if (req.responseType === 'stream') return { status: response.status, headers, body: response.body, response };
    try {
      return { status: response.status, headers, body: await readFetchBody(response, req) };
    } catch (cause) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      throw networkError(req, cause);
    }
  },
};

function bodySize(body) {
  if (typeof body === 'string') return new TextEncoder().encode(body).length;
  return body.size ?? body.byteLength ?? 0;
}

async function readFetchBody(response, req) {
  if (!req.onDownloadProgress || !response.body) {
    if (req.responseType === 'blob') return response.blob();
    if (req.responseType === 'arraybuffer') return response.arrayBuffer();
    return response.text();
  }
  const chunks = [];
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && response.headers.has('content-length') ? length : undefined;
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    req.onDownloadProgress(loaded, total);
  }
  const blob = new Blob(chunks);
  if (req.responseType === 'blob') return blob;
  if (req.responseType === 'arraybuffer') return blob.arrayBuffer();
  return blob.text();
}

/** A response body as text, whatever form it came in ('' for none). */
export async function bodyText(body) {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  if (typeof body.text === 'function') return body.text();
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (typeof body.getReader === 'function') return new Response(body).text();
  return String(body);
}
