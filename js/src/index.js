/**
 * ossign: browser-side signing for Alibaba Cloud OSS, in WebAssembly, and the transfers that
 * go with it.
 * @module ossign
 */
import { createClientWith } from './client.js';

export { OssignError } from './errors.js';
export { Client } from './client.js';
export { putWithURL, getWithURL } from './url-transfer.js';
export { postWithForm } from './form-upload.js';

/**
 * Creates a signing client. ossign.wasm is looked up next to this module unless `wasmURL` or
 * `wasmModule` says otherwise (bundlers understand the `new URL(…, import.meta.url)` form).
 * @param {import('../index.d.ts').ClientOptions} options
 * @returns {Promise<import('../index.d.ts').Client>}
 */
export function createClient(options) {
  return createClientWith(options, () => new URL('./ossign.wasm', import.meta.url));
}
