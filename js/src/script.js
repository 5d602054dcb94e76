// Entry of the classic-script build (ossign.min.js): defines one global, `ossign`, finds
// ossign.wasm next to the script's own src (in a classic worker, importScripts, pass wasmURL),
// and starts loading it at once, unless the script tag says data-preload="false".
import { createClientWith, preloadWith } from './client.js';
import { OssignError } from './errors.js';
import { Client } from './client.js';
import { putWithURL, getWithURL } from './url-transfer.js';
import { postWithForm } from './form-upload.js';
import { registerServiceWorkerWith, serviceWorkerStats, forgetServiceWorkerCredentials } from './sw-register.js';

const currentScript = globalThis.document?.currentScript;
const scriptURL = currentScript?.src || globalThis.location?.href;
const scriptWasmSource = () => ({ wasmURL: new URL('ossign.wasm', scriptURL) });

globalThis.ossign = {
  createClient: (options) => createClientWith(options, scriptWasmSource),
  preload: (options) => preloadWith(options, scriptWasmSource),
  OssignError,
  Client,
  putWithURL,
  getWithURL,
  postWithForm,
  registerServiceWorker: (options = {}) => registerServiceWorkerWith({ ...options, script: options.script ?? new URL('ossign-sw.js', scriptURL) }),
  serviceWorkerStats,
  forgetServiceWorkerCredentials,
};

if (currentScript && currentScript.dataset.preload !== 'false') globalThis.ossign.preload();
