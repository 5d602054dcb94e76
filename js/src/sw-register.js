import { OssignError } from './errors.js';
import { workerScriptURL } from './sw-config.js';
import { MESSAGE } from './sw-token.js';

// The page's side of ossign-sw.js: register it (its options in its script URL), wait until it
// controls the page, answer its requests for a bearer token, ask it for its figures or to
// forget the credentials. None of this loads the wasm module.

/** The page's ServiceWorkerContainer, or an Unsupported error saying why there is none. */
function container() {
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw) {
    throw new OssignError('Unsupported', 'Service Workers are not available here: they need a secure context (https://, or http://localhost / 127.0.0.1) and a browser that has them');
  }
  return sw;
}

/**
 * Registers ossign-sw.js and resolves with its registration once it controls this page (at
 * once when it already does; on a first visit, when it has installed and claimed the page).
 * @param {{script: string|URL, scope?: string, token?: () => string|Promise<string>} & Record<string, unknown>} options
 *   script: the worker's URL; scope: default "/"; token: gives the bearer token the worker
 *   sends to the vending server (asked before each credentials fetch); the other options go
 *   into the script URL (sw-config.js)
 */
export async function registerServiceWorkerWith(options) {
  const sw = container();
  const { script, scope = '/', token, ...config } = options;
  const url = workerScriptURL(script, { ...config, auth: token ? 'bearer' : config.auth });
  const scopeURL = new URL(scope, globalThis.location.href).href;
  if (!globalThis.location.href.startsWith(scopeURL)) {
    throw new OssignError('InvalidArgument', `this page (${globalThis.location.pathname}) is outside the scope ${scope}: the worker answers only the pages of its scope`);
  }
  if (token) answerTokenRequests(sw, token);
  let registration;
  try {
    registration = await sw.register(url, { scope });
  } catch (cause) {
    throw new OssignError('LoadFailed', `could not register ${url.pathname}: ${cause?.message ?? cause} (a scope above the script's folder needs the header Service-Worker-Allowed; the worker's console says more)`, { cause });
  }
  await untilControlled(sw, registration);
  if (token) sw.controller.postMessage({ type: MESSAGE.token, token: await token() });
  return registration;
}

/** Resolves when the registration's active worker controls the page; rejects if it fails to install. */
function untilControlled(sw, registration) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const active = registration.active;
      const installing = registration.installing ?? registration.waiting;
      if (sw.controller && active && sw.controller.scriptURL === active.scriptURL && !installing) {
        sw.removeEventListener('controllerchange', check);
        resolve();
      }
    };
    sw.addEventListener('controllerchange', check);
    const pending = registration.installing ?? registration.waiting;
    // A page loaded past the worker (a forced reload) is not claimed at activation: ask for it.
    if (!pending && registration.active?.state === 'activated' && !sw.controller) registration.active.postMessage({ type: MESSAGE.claim });
    pending?.addEventListener('statechange', () => {
      if (pending.state === 'redundant' && registration.active?.scriptURL !== pending.scriptURL) {
        sw.removeEventListener('controllerchange', check);
        reject(new OssignError('LoadFailed', 'ossign-sw.js failed to install: its console (DevTools → Application → Service Workers) says why'));
      }
      check();
    });
    check();
  });
}

/** Answers the worker's requests for the page's bearer token. */
function answerTokenRequests(sw, token) {
  sw.addEventListener('message', async (event) => {
    if (event.data?.type !== MESSAGE.tokenRequest) return;
    event.source?.postMessage({ type: MESSAGE.token, token: await token() });
  });
}

/** Sends a message to the worker controlling this page and waits for its answer. */
function ask(message) {
  const worker = container().controller;
  if (!worker) return Promise.reject(new OssignError('Unsupported', 'no ossign Service Worker controls this page (yet): await registerServiceWorker first'));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(message, [channel.port2]);
  });
}

/**
 * What the worker controlling this page did since it started: {instance, startedAt,
 * fetchEvents, signatures, credentials, module}.
 */
export function serviceWorkerStats() {
  return ask({ type: MESSAGE.stats });
}

/**
 * Makes the worker forget its credentials and bearer token (call it at logout): its next
 * request fetches new ones, with the cookies or token of whoever is signed in then.
 */
export async function forgetServiceWorkerCredentials() {
  await ask({ type: MESSAGE.forget });
}
