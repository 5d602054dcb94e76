// Entry of the Service Worker build (ossign-sw.js). The worker answers same-origin GET and HEAD
// requests under its prefix (<img src="/oss/users/42/a.jpg">, <video>, download links, CSS,
// fetch): it signs a URL for the object with the module it holds, fetches it from OSS (Range
// and conditions passed on) and streams the answer back; OSS's errors become HTTP errors with
// OSS's code in x-oss-error-code. Everything else never reaches it. Its configuration is in the
// query of its own URL (sw-config.js); the credentials come from the vending server, kept
// fresh by the client's CredentialManager, in memory only.
import { createClientWith } from './client.js';
import { OssignError } from './errors.js';
import { sendPresigned } from './send.js';
import { readWorkerConfig } from './sw-config.js';
import { routeOf, forwardedHeaders, isConditional } from './sw-route.js';
import { objectResponse, errorResponse } from './sw-response.js';
import { TokenSource, MESSAGE } from './sw-token.js';

// cmd/bundle writes the content-hashed name of the module this script was built with here: a
// worker only ever runs with its own module, fetched once at install into a cache named after
// it, so an update never mixes old and new code.
const WASM_FILE = 'ossign.wasm';
const WASM_URL = new URL(WASM_FILE, self.location.href).href;
const CACHE_PREFIX = 'ossign-sw:';
const CACHE_NAME = CACHE_PREFIX + WASM_FILE;

/**
 * Signed URLs are signed at the start of a 5-minute window (never before the credentials
 * were installed) and valid for 15 minutes: the same object asked for twice in a window gets
 * the same URL, so the browser's HTTP cache can answer or revalidate it.
 */
const SIGNING_WINDOW = 5 * 60e3;
const URL_EXPIRES = 15 * 60;

const config = readWorkerConfig(self.location);
const tokens = new TokenSource(self.clients);

/** What the worker did since it started, for pages that ask (MESSAGE.stats). */
const stats = {
  instance: self.crypto.randomUUID(), // a new one after each restart
  startedAt: Date.now(),
  fetchEvents: 0, // requests under the prefix
  signatures: 0,
  module: 'not loaded', // then 'cache' or 'network': where ossign.wasm came from
};

/** Fetches the module into the worker's cache unless it is there (once per start). */
let caching;
function cacheModule() {
  if (!caching) {
    caching = (async () => {
      const cache = await caches.open(CACHE_NAME);
      if (await cache.match(WASM_URL)) return 'cache';
      const response = await fetch(WASM_URL);
      if (!response.ok) throw new OssignError('LoadFailed', `ossign-sw.js could not fetch ${WASM_FILE} (HTTP ${response.status}): serve it next to ossign-sw.js (cmd/bundle writes both)`, { status: response.status });
      await cache.put(WASM_URL, response);
      return 'network';
    })().catch((err) => {
      caching = undefined;
      throw err;
    });
  }
  return caching;
}

/**
 * The module's bytes as a Response from the worker's cache (fetched into it first if missing),
 * or from the network where the cache fails.
 */
async function cachedModule() {
  try {
    stats.module = await cacheModule();
    const cached = await (await caches.open(CACHE_NAME)).match(WASM_URL);
    if (cached) return cached;
  } catch (err) {
    console.warn(`ossign-sw.js: no cached ${WASM_FILE} (${err.message}): fetching it`);
  }
  stats.module = 'network';
  return fetch(WASM_URL);
}

/** The worker's one client, created on first use (again after a failure or a forget). */
let clientPromise;
let current; // the client, once created
function client() {
  if (!clientPromise) {
    const fetchOptions = config.auth === 'bearer' ? async () => ({ headers: { Authorization: `Bearer ${await tokens.current()}` } }) : undefined;
    const wasmModule = cachedModule();
    wasmModule.catch(() => {}); // unused when the module is loaded already; else createClientWith reports it
    clientPromise = createClientWith({ ...config.client, credentials: config.credentials, fetchOptions, wasmModule }, () => ({ wasmURL: WASM_URL }))
      .then((c) => (current = c))
      .catch((err) => {
        clientPromise = undefined;
        throw err;
      });
  }
  return clientPromise;
}

/** The time to sign a URL at: the start of the signing window, or when the credentials came. */
function signingTime(c, nowMs) {
  return Math.max(nowMs - (nowMs % SIGNING_WINDOW), c.credentials.installedAt);
}

/** Whether the worker answers this URL: same origin, under the prefix. */
function covered(url) {
  const u = new URL(url);
  return u.origin === self.location.origin && u.pathname.startsWith(config.prefix);
}

/** Answers one request under the prefix. */
async function answer(request) {
  const { method } = request;
  try {
    if (method !== 'GET' && method !== 'HEAD') throw new OssignError('MethodNotAllowed', `${method} ${new URL(request.url).pathname}: ossign-sw.js answers GET and HEAD; upload with the client (createClient)`);
    const route = routeOf(request.url, config.prefix);
    const c = await client();
    const reply = await sendPresigned(c, {
      method, key: route.key, responseType: 'stream',
      options: { ...route.options, expires: URL_EXPIRES },
      headers: forwardedHeaders(request.headers),
      notModified: isConditional(request.headers),
      cache: request.cache === 'only-if-cached' ? undefined : request.cache,
      signingTime: (nowMs) => signingTime(c, nowMs),
      onSigned: () => stats.signatures++,
    }, { signal: request.signal });
    return objectResponse(reply, route, request);
  } catch (err) {
    if (request.signal?.aborted) throw err; // the page went away: nobody to answer
    report(method, request.url, err);
    return errorResponse(err, method);
  }
}

/** Tells the worker's console what went wrong where a person debugging would look. */
function report(method, url, err) {
  const where = `ossign-sw.js: ${method} ${new URL(url).pathname}`;
  if (err.diagnosis) console.error(`${where}: ${err.message}`, err.diagnosis);
  else if (!err.requestId) console.error(`${where}: ${err.message}`); // OSS's own refusals reach the page as HTTP errors
}

/** Forgets the credentials and the token (a logout): the next request fetches new ones. */
async function forget() {
  tokens.forget();
  const pending = clientPromise;
  clientPromise = undefined;
  current = undefined;
  (await pending?.catch(() => undefined))?.close();
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await cacheModule();
    // Static routing (where the browser has it): requests outside the prefix never start the worker.
    if (event.addRoutes) {
      const { protocol, hostname, port } = self.location;
      const prefix = new URLPattern({ protocol: protocol.slice(0, -1), hostname, port, pathname: `${config.prefix}*` });
      await event.addRoutes([{ condition: { not: { urlPattern: prefix } }, source: 'network' }]).catch((err) => console.warn('ossign-sw.js: no static routing:', err));
    }
    await self.skipWaiting();
  })().catch((err) => {
    console.error('ossign-sw.js: install failed:', err.message);
    throw err;
  }));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  if (!covered(event.request.url)) return; // not ours: the browser fetches it as if there were no worker
  stats.fetchEvents++;
  event.respondWith(answer(event.request));
});

self.addEventListener('message', (event) => {
  const { type, token } = event.data ?? {};
  const reply = (value) => event.ports[0]?.postMessage(value);
  if (type === MESSAGE.token) tokens.offer(token);
  else if (type === MESSAGE.stats) reply({ ...stats, credentials: current?.credentials.generation ?? 0 }); // credentials installed
  else if (type === MESSAGE.forget) event.waitUntil(forget().then(() => reply({ forgotten: true })));
  else if (type === MESSAGE.claim) event.waitUntil(self.clients.claim());
});

// Start loading the module and fetching credentials as soon as the worker starts (a page's
// first requests usually start it): the first request then waits for less.
client().catch(() => {});
