import { OssignError } from './errors.js';
import { sendSigned } from './send.js';
import { startCRC64, verifyUploadCRC64 } from './crc64.js';
import { ProgressTracker } from './progress.js';
import { contentTypeFor } from './mime.js';
import { uploadBlob, unquote } from './bodies.js';

/**
 * The headers an upload sends and signs: Content-Type (explicit, the Blob's, or by the key's
 * extension), x-oss-meta-* from meta, then the caller's headers.
 */
export function uploadHeaders(key, blob, opts) {
  const headers = { 'Content-Type': contentTypeFor(key, blob, opts.contentType) };
  for (const [name, value] of Object.entries(opts.meta ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new OssignError('InvalidArgument', `meta name ${JSON.stringify(name)}: use letters, digits and "-"`);
    headers[`x-oss-meta-${name.toLowerCase()}`] = String(value);
  }
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name] = String(value);
  return headers;
}

/** Whether to check CRC-64s: the crc64 option, default true. */
export function checksCRC64(opts) {
  return opts.crc64 !== false;
}

/**
 * PutObject: one signed PUT with byte-level progress; the CRC-64 of the body, computed while it
 * uploads, is compared with the one OSS reports.
 * @returns {Promise<{key: string, etag: string|null, crc64: string|null, size: number, requestId: string|null}>}
 */
export async function putObject(client, key, body, opts = {}) {
  const blob = await uploadBlob(body);
  const headers = uploadHeaders(key, blob, opts);
  const computing = startCRC64(client.module, blob, checksCRC64(opts), opts.signal);
  const progress = new ProgressTracker(blob.size, opts.onProgress);
  const reply = await sendSigned(client, {
    method: 'PUT', key, headers, body: blob, onUploadProgress: (n) => progress.update(0, n),
  }, opts);
  const crc64 = await verifyUploadCRC64(reply, computing, `PUT ${key}`, client.bucket);
  progress.finish(0, blob.size);
  return { key, etag: unquote(reply.headers.get('etag')), crc64, size: blob.size, requestId: reply.headers.get('x-oss-request-id') ?? null };
}
