import { OssignError } from './errors.js';

// A page that authenticates to the vending server with a bearer token (a JWT) hands it to the
// worker by postMessage; the worker keeps it in memory only. Before each credentials fetch it
// asks its pages for the current token (a page's token rotates), and after a restart, when it
// holds none, it waits for an answer: a token is never written to storage, nor into a URL.

/** How long a credentials fetch waits for a page to answer with a token (ms). */
const TOKEN_WAIT = 3000;

/** The messages between pages and the worker (see registerServiceWorker). */
export const MESSAGE = { tokenRequest: 'ossign:token-request', token: 'ossign:token', stats: 'ossign:stats', forget: 'ossign:forget', claim: 'ossign:claim' };

/** The worker's side of the bearer-token hand-over. */
export class TokenSource {
  /**
   * @param {{matchAll: Function}} clients the worker's Clients
   * @param {{setTimeout: Function, clearTimeout: Function}} [timers]
   */
  constructor(clients, timers = globalThis) {
    this.clients = clients;
    this.timers = timers;
    this.token = undefined;
    this.waiters = [];
  }

  /** A page handed over a token. */
  offer(token) {
    if (typeof token !== 'string' || token === '') return;
    this.token = token;
    for (const done of [...this.waiters]) done(token);
  }

  /** Forgets the token (a logout). */
  forget() {
    this.token = undefined;
  }

  /**
   * The current token: asks every page of the worker and takes the first answer, or after
   * TOKEN_WAIT the last token it was given; fails with VendingFailed (401) when it has none.
   */
  async current() {
    const pages = await this.clients.matchAll({ type: 'window', includeUncontrolled: true });
    let token = this.token;
    if (pages.length > 0) {
      const answer = new Promise((resolve) => {
        const done = (given) => {
          this.timers.clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== done);
          resolve(given);
        };
        const timer = this.timers.setTimeout(() => done(undefined), TOKEN_WAIT);
        this.waiters.push(done);
      });
      for (const page of pages) page.postMessage({ type: MESSAGE.tokenRequest });
      token = (await answer) ?? this.token;
    }
    if (token === undefined) {
      throw new OssignError('VendingFailed', 'no page handed ossign-sw.js a bearer token: register it with registerServiceWorker({ token }) on a page that is open', { status: 401 });
    }
    return token;
  }
}
