// Entry of the classic-script build (ossign.min.js): defines one global, `ossign`, and finds
// ossign.wasm next to the script's own src. In a classic worker (importScripts) pass wasmURL.
import { createClientWith } from './client.js';
import { OssignError } from './errors.js';
import { Client } from './client.js';
import { putWithURL, getWithURL } from './url-transfer.js';
import { postWithForm } from './form-upload.js';

const scriptURL = globalThis.document?.currentScript?.src || globalThis.location?.href;

globalThis.ossign = {
  createClient: (options) => createClientWith(options, () => new URL('ossign.wasm', scriptURL)),
  OssignError,
  Client,
  putWithURL,
  getWithURL,
  postWithForm,
};
