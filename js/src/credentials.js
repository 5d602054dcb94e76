import { OssignError } from './errors.js';
import { jitteredBackoff, sleepFor } from './retry.js';

/**
 * Turns the `credentials` option into an async function returning a credentials response:
 * a vending URL (fetched with `fetchOptions`, a RequestInit or a function giving one for each
 * fetch, e.g. with a bearer token that changes), an async function, or a static object.
 * onServerDate receives the time (ms) of a vending response's Date header, when it is readable.
 * @returns {{acquire: () => Promise<object>, refreshable: boolean}}
 */
export function credentialSource(credentials, fetchOptions = {}, onServerDate = () => {}) {
  if (typeof credentials === 'string' || credentials instanceof URL) {
    return { acquire: () => fetchVending(credentials, fetchOptions, onServerDate), refreshable: true };
  }
  if (typeof credentials === 'function') return { acquire: async () => credentials(), refreshable: true };
  if (credentials && typeof credentials === 'object') return { acquire: async () => credentials, refreshable: false };
  throw new OssignError('MissingCredentials', 'set the credentials option: a vending URL, an async function or a credentials object');
}

/** The URL without its query or fragment, for messages: a query may carry an access token. */
function shown(url) {
  return String(url).split(/[?#]/)[0];
}

async function fetchVending(url, fetchOptions, onServerDate) {
  const where = shown(url);
  const init = typeof fetchOptions === 'function' ? await fetchOptions() : fetchOptions;
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch (cause) {
    throw new OssignError('VendingFailed', `could not reach the vending endpoint ${where}: ${cause?.message ?? cause}`, { cause });
  }
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (!Number.isNaN(date)) onServerDate(date);
  let body;
  try {
    body = await response.json();
  } catch (cause) {
    throw new OssignError('VendingFailed', `the vending endpoint ${where} answered HTTP ${response.status} without JSON`, { cause, status: response.status });
  }
  if (!response.ok) {
    const why = typeof body?.Message === 'string' ? `: ${body.Message}` : '';
    throw new OssignError('VendingFailed', `the vending endpoint ${where} answered HTTP ${response.status}${why}`, { status: response.status });
  }
  return body;
}

/**
 * Failures worth retrying: unreachable vending endpoints, throttling, server errors, and errors
 * thrown by a credentials function. Rejected credentials and 4xx answers are final.
 */
function retryable(err) {
  if (!(err instanceof OssignError)) return true;
  return err.code === 'VendingFailed' && (err.status === undefined || err.status === 429 || err.status >= 500);
}

const MAX_TIMER = 2 ** 31 - 1;

/**
 * Keeps one client's credentials fresh. The wasm module decides (Go, signer.Credentials.RefreshAt)
 * when a refresh is due; this class fetches and schedules: refreshes by expiry, one refresh in
 * flight shared by every caller, retries with exponential backoff, keeps the old credentials
 * when a refresh fails until they expire, and emits `credentialschange` / `credentialserror`.
 */
export class CredentialManager extends EventTarget {
  /**
   * @param {object} o
   * @param {() => Promise<object>} o.acquire fetches a credentials response
   * @param {boolean} o.refreshable whether acquire can give new credentials
   * @param {(response: object, nowMs: number) => {expiration: number, refreshAt: number}} o.install
   *   validates and stores a response (in the wasm); times in ms, 0 = never
   * @param {() => number} o.now the (skew-corrected) clock, ms
   * @param {{retries?: number, baseDelay?: number, maxDelay?: number}} [o.retry]
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.timers]
   * @param {() => number} [o.random] jitter source in [0, 1)
   */
  constructor({ acquire, refreshable, install, now, retry = {}, timers = globalThis, random = Math.random }) {
    super();
    Object.assign(this, { acquire, refreshable, install, now, timers, random });
    this.retries = retry.retries ?? 3;
    this.baseDelay = retry.baseDelay ?? 500;
    this.maxDelay = retry.maxDelay ?? 30000;
    this.expiration = 0;
    this.refreshAt = 0;
    this.installedAt = 0; // when the credentials held were installed (ms)
    this.retryAt = 0; // after a failed refresh, no background attempt before this time
    this.hasCredentials = false;
    // generation counts installed credentials: a request signed with generation g that OSS
    // refuses needs a refresh only if no newer credentials came meanwhile.
    this.generation = 0;
    this.inflight = undefined;
    this.timer = undefined;
    this.closed = false;
  }

  /** Credentials are held and not expired at the current time. */
  usable() {
    return this.hasCredentials && !this.expiredAt(this.now());
  }

  /** Whether the credentials held have expired by time t (ms); never for ones without expiry. */
  expiredAt(t) {
    return this.expiration !== 0 && t >= this.expiration;
  }

  /**
   * Resolves when usable credentials are held: waits for a refresh when there are none or they
   * expired, starts one in the background when one is due. With `awaitDue`, also waits for a
   * due refresh, falling back to the old credentials if it fails while they still work.
   */
  async ready({ awaitDue = false } = {}) {
    if (!this.usable()) return this.refresh();
    if (this.due()) {
      const pending = this.refresh();
      if (awaitDue) await pending.catch(() => {});
      else pending.catch(() => {});
    }
  }

  /** Starts a background refresh when one is due; cheap enough for every signature. */
  poke() {
    if (this.due() && !this.inflight) this.refresh().catch(() => {});
  }

  due() {
    const now = this.now();
    return this.refreshable && this.refreshAt !== 0 && now >= this.refreshAt && now >= this.retryAt;
  }

  /** Refreshes now; concurrent callers share one attempt. */
  refresh() {
    if (this.closed) return Promise.reject(new OssignError('ClientClosed', 'this client was closed: create a new one'));
    if (this.hasCredentials && !this.refreshable) return Promise.resolve();
    if (!this.inflight) this.inflight = this.run().finally(() => { this.inflight = undefined; });
    return this.inflight;
  }

  async run() {
    try {
      const response = await this.fetch();
      if (this.closed) return;
      const { expiration, refreshAt } = this.install(response, this.now());
      Object.assign(this, { expiration, refreshAt, retryAt: 0, hasCredentials: true, generation: this.generation + 1, installedAt: this.now() });
      this.schedule(refreshAt);
      this.dispatchEvent(eventOf('credentialschange', { expiration: dateOrNull(expiration), refreshAt: dateOrNull(refreshAt) }));
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  /** Acquires a credentials response, retrying failures worth retrying with backoff. */
  async fetch() {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.acquire();
      } catch (err) {
        if (this.closed || attempt >= this.retries || !retryable(err)) throw err;
        await sleepFor(this.backoff(attempt), undefined, this.timers);
      }
    }
  }

  /** A refresh gave up: report it, and if the old credentials still work, try again later. */
  failed(err) {
    this.dispatchEvent(eventOf('credentialserror', { error: err }));
    if (this.usable() && this.refreshable) {
      this.retryAt = Math.min(this.now() + this.maxDelay, this.expiration || Infinity);
      this.schedule(this.retryAt);
    }
  }

  backoff(attempt) {
    return jitteredBackoff(attempt, this, this.random);
  }

  schedule(at) {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.refreshable || this.closed || at === 0) return;
    const delay = Math.min(Math.max(at - this.now(), 0), MAX_TIMER);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.refresh().catch(() => {});
    }, delay);
  }

  /** Stops timers; later refreshes fail with ClientClosed. */
  close() {
    this.closed = true;
    this.schedule(0);
  }
}

function dateOrNull(ms) {
  return ms === 0 ? null : new Date(ms);
}

function eventOf(type, detail) {
  const e = new Event(type);
  e.detail = detail;
  return e;
}
