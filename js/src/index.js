/**
 * ossign: browser-side signing for Alibaba Cloud OSS, in WebAssembly, and the transfers that
 * go with it.
 * @module ossign
 */
import { createClientWith, preloadWith } from './client.js';
import { defaultWasmSource } from './wasm-locate.js';
import { registerServiceWorkerWith } from './sw-register.js';

export { OssignError } from './errors.js';
export { Client } from './client.js';
export { putWithURL, getWithURL } from './url-transfer.js';
export { postWithForm } from './form-upload.js';
export { serviceWorkerStats, forgetServiceWorkerCredentials } from './sw-register.js';

/**
 * Creates a signing client. ossign.wasm is looked up next to this module unless `wasmURL` or
 * `wasmModule` says otherwise: fetched in browsers and Deno (bundlers understand the
 * `new URL(…, import.meta.url)` form), read from the file in Node and Bun, imported as a module
 * in workerd (each runtime's build joins its own wasm-locate module, see cmd/bundle).
 * @param {import('../index.d.ts').ClientOptions} options
 * @returns {Promise<import('../index.d.ts').Client>}
 */
export function createClient(options) {
  return createClientWith(options, defaultWasmSource);
}

/**
 * Starts fetching, compiling and starting ossign.wasm now, so that the first createClient finds
 * it ready: call it as early as the page knows it will sign (at the top of its module). Takes
 * the wasmURL or wasmModule option createClient would get; never rejects.
 * @param {{wasmURL?: string|URL, wasmModule?: WebAssembly.Module|BufferSource}} [options]
 * @returns {Promise<void>}
 */
export function preload(options) {
  return preloadWith(options, defaultWasmSource);
}

/**
 * Registers ossign's Service Worker (ossign-sw.js, next to this module unless `script` says
 * otherwise) and resolves once it controls the page: from then on the page's requests under
 * `prefix` are signed and fetched by the worker. Loads no wasm in the page.
 * @param {import('../index.d.ts').ServiceWorkerOptions} [options]
 * @returns {Promise<ServiceWorkerRegistration>}
 */
export function registerServiceWorker(options = {}) {
  return registerServiceWorkerWith({ ...options, script: options.script ?? new URL('./ossign-sw.js', import.meta.url) });
}
