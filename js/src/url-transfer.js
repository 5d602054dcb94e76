import { OssignError } from './errors.js';
import { sendWithRetry } from './send.js';
import { defaultTransport, shownURL } from './transport.js';
import { ProgressTracker } from './progress.js';
import { uploadBlob, unquote, bodyForm, blobAs } from './bodies.js';
import { Download } from './download.js';
import { startCRC64, checkCRC64 } from './crc64.js';
import { loadedModule } from './wasm.js';

// Transfers through URLs someone else signed: the vending server's POST /sign, a backend using
// the Go signer, ali-oss on a server. No credentials and no wasm module are needed (a module a
// client already loaded checks CRC-64s); progress, cancel, retries and resume work as for the
// client's own transfers, and an expired URL is replaced by asking renew() for a fresh one.

/** A signed target: a URL, or {url, method, headers} (ossign's presign) or {URL, Method, Headers} (POST /sign). */
function signedTarget(target, method) {
  if (typeof target === 'string' || target instanceof URL) return { url: String(target), method, headers: {} };
  const url = target?.url ?? target?.URL;
  if (!url) throw new OssignError('InvalidArgument', 'pass a signed URL, or an object with url (or URL) and headers');
  return { url: String(url), method: target.method ?? target.Method ?? method, headers: { ...(target.headers ?? target.Headers ?? {}) } };
}

/** Whether OSS refused a URL because it, or the token in it, expired. */
function urlExpired(err) {
  return err.code === 'SecurityTokenExpired' || (err.code === 'AccessDenied' && /expired/i.test(err.message));
}

/**
 * A sender through a signed target, with retries, that renews the target once it expires (and
 * keeps the renewed one for its later requests): (spec, headers) → reply.
 */
function signedSender(target, method, opts) {
  let current = signedTarget(target, method);
  return (spec, headers = {}) => sendWithRetry(opts.transport ?? defaultTransport(), { ...spec, method: current.method }, opts, {
    what: `${current.method} ${shownURL(current.url)}`,
    bucket: new URL(current.url).hostname.split('.')[0],
    prepare: async () => ({ url: current.url, headers: { ...current.headers, ...(opts.headers ?? {}), ...headers } }),
    async renew(err) {
      if (!opts.renew || !urlExpired(err)) return false;
      current = signedTarget(await opts.renew(), method);
      return true;
    },
  });
}

/** The module for a URL transfer's CRC-64 check: one already loaded, unless crc64 is false. */
function checkingModule(opts) {
  return opts.crc64 === false ? undefined : loadedModule();
}

/**
 * Uploads body with a PUT to a URL signed elsewhere, with byte-level progress, cancel, retries
 * and renew() on expiry. Sends the target's headers (the signed Content-Type) exactly. When a
 * client has already loaded the wasm module, the body's CRC-64 is compared with OSS's (when
 * the bucket's CORS rule lets the page read it); the module is never loaded for that.
 * @returns {Promise<{etag: string|null, crc64: string|null, size: number, requestId: string|null}>}
 */
export async function putWithURL(target, body, opts = {}) {
  const blob = await uploadBlob(body);
  const module = checkingModule(opts);
  const computing = startCRC64(module, blob, Boolean(module), opts.signal);
  const progress = new ProgressTracker(blob.size, opts.onProgress);
  const reply = await signedSender(target, 'PUT', opts)({ body: blob, onUploadProgress: (n) => progress.update(0, n) });
  const crc64 = reply.headers.get('x-oss-hash-crc64ecma') ?? null;
  const requestId = reply.headers.get('x-oss-request-id') ?? null;
  if (computing && crc64) checkCRC64(crc64, await computing, `PUT ${shownURL(signedTarget(target, 'PUT').url)}`, { requestId: requestId ?? undefined });
  progress.finish(0, blob.size);
  return { etag: unquote(reply.headers.get('etag')), crc64, size: blob.size, requestId };
}

/**
 * Downloads from a URL signed elsewhere: the body as a Blob (default), text, ArrayBuffer or
 * stream, with progress, cancel, retries, renew() on expiry and resume by Range after a dropped
 * connection. A whole object is checked against OSS's CRC-64 when a client has already loaded
 * the wasm module.
 */
export async function getWithURL(target, opts = {}) {
  const as = bodyForm(opts.as);
  const send = signedSender(target, 'GET', opts);
  const download = new Download((headers) => send({ responseType: 'stream' }, headers), {
    what: `GET ${shownURL(signedTarget(target, 'GET').url)}`, range: opts.range, module: checkingModule(opts),
    onProgress: opts.onProgress, signal: opts.signal, retry: opts.retry, timers: opts.timers,
  });
  const reply = await download.start();
  const contentType = reply.headers.get('content-type') ?? null;
  if (as === 'stream') return { status: reply.status, body: download.stream(), contentType };
  const blob = await download.blob();
  return { status: reply.status, body: await blobAs(blob, as), contentType, size: blob.size };
}
