import { OssignError } from './errors.js';
import { sendWithRetry } from './send.js';
import { defaultTransport, shownURL } from './transport.js';
import { ProgressTracker, downloadProgress } from './progress.js';
import { uploadBlob, unquote, rangeHeader, bodyForm, blobAs } from './bodies.js';

// Transfers through URLs someone else signed: the vending server's POST /sign, a backend using
// the Go signer, ali-oss on a server. No credentials and no wasm module are needed; progress,
// cancel and retries work as for the client's own transfers, and an expired URL is replaced by
// asking renew() for a fresh one.

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

/** Sends through a signed target with retries, renewing it once it expires. */
async function sendToSigned(target, method, spec, opts) {
  let current = signedTarget(target, method);
  return sendWithRetry(opts.transport ?? defaultTransport(), { ...spec, method: current.method }, opts, {
    what: `${current.method} ${shownURL(current.url)}`,
    bucket: new URL(current.url).hostname.split('.')[0],
    prepare: async () => ({ url: current.url, headers: { ...current.headers, ...(opts.headers ?? {}) } }),
    async renew(err) {
      if (!opts.renew || !urlExpired(err)) return false;
      current = signedTarget(await opts.renew(), method);
      return true;
    },
  });
}

/**
 * Uploads body with a PUT to a URL signed elsewhere, with byte-level progress, cancel, retries
 * and renew() on expiry. Sends the target's headers (the signed Content-Type) exactly.
 * @returns {Promise<{etag: string|null, crc64: string|null, size: number, requestId: string|null}>}
 */
export async function putWithURL(target, body, opts = {}) {
  const blob = await uploadBlob(body);
  const progress = new ProgressTracker(blob.size, opts.onProgress);
  const reply = await sendToSigned(target, 'PUT', { body: blob, onUploadProgress: (n) => progress.update(0, n) }, opts);
  progress.finish(0, blob.size);
  return {
    etag: unquote(reply.headers.get('etag')), crc64: reply.headers.get('x-oss-hash-crc64ecma') ?? null,
    size: blob.size, requestId: reply.headers.get('x-oss-request-id') ?? null,
  };
}

/**
 * Downloads from a URL signed elsewhere: the body as a Blob (default), text, ArrayBuffer or
 * stream, with progress, cancel, retries and renew() on expiry.
 */
export async function getWithURL(target, opts = {}) {
  const as = bodyForm(opts.as);
  const progress = downloadProgress(opts.onProgress);
  const reply = await sendToSigned(target, 'GET', {
    responseType: as === 'stream' ? 'stream' : 'blob', onDownloadProgress: progress.onDownloadProgress,
  }, { ...opts, headers: { ...(opts.headers ?? {}), ...(opts.range === undefined ? {} : { Range: rangeHeader(opts.range) }) } });
  if (as === 'stream') return { status: reply.status, body: reply.body, contentType: reply.headers.get('content-type') ?? null };
  progress.finish(reply.body.size);
  return { status: reply.status, body: await blobAs(reply.body, as), contentType: reply.headers.get('content-type') ?? null, size: reply.body.size };
}
