import { OssignError } from './errors.js';
import { sendWithRetry, sendSigned } from './send.js';
import { defaultTransport, shownURL } from './transport.js';
import { ProgressTracker } from './progress.js';
import { toBlob, unquote } from './bodies.js';
import { startCRC64, verifyUploadCRC64 } from './crc64.js';
import { checksCRC64 } from './put.js';

// PostObject: a multipart/form-data POST of policy fields and the file, for forms a server
// signed (the vending server's POST /sign with mode "post") or the client signs itself.

/** The form data: every field, the key when the policy left it open, the file last. */
function formData(fields, key, blob) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (!('key' in fields)) {
    if (!key) throw new OssignError('InvalidArgument', 'the form has no "key" field: pass the key of the object to write');
    data.append('key', key);
  }
  data.append('file', blob);
  return data;
}

/** The upload's result from OSS's answer (204, or success_action_status). */
function postResult(reply, key, size) {
  return {
    key, etag: unquote(reply.headers.get('etag')), crc64: reply.headers.get('x-oss-hash-crc64ecma') ?? null,
    size, requestId: reply.headers.get('x-oss-request-id') ?? null,
  };
}

/**
 * Uploads file through a form a server signed: {url, fields} (ossign's postObjectFields) or
 * {URL, Fields, Key} (the vending server's POST /sign), with progress, cancel and retries.
 * @returns {Promise<{key: string, etag: string|null, crc64: string|null, size: number, requestId: string|null}>}
 */
export async function postWithForm(form, file, opts = {}) {
  const url = form?.url ?? form?.URL;
  const fields = form?.fields ?? form?.Fields;
  if (!url || !fields) throw new OssignError('InvalidArgument', 'pass a signed form: {url, fields} or {URL, Fields}');
  const blob = toBlob(file);
  const key = fields.key ?? opts.key ?? form.Key;
  const progress = new ProgressTracker(blob.size, opts.onProgress);
  const body = formData(fields, key, blob);
  const reply = await sendWithRetry(opts.transport ?? defaultTransport(), { method: 'POST', body, onUploadProgress: (n) => progress.update(0, n) }, opts, {
    what: `POST ${shownURL(url)}`,
    bucket: new URL(url).hostname.split('.')[0],
    prepare: async () => ({ url: String(url), headers: {} }),
    renew: async () => false,
  });
  progress.finish(0, blob.size);
  return postResult(reply, key, blob.size);
}

/**
 * PostObject with a policy the client signs for exactly key (anew for every attempt), with
 * progress, cancel and retries; policy options as postObjectFields.
 */
export async function postObject(client, key, file, opts = {}) {
  const blob = toBlob(file);
  // The transfer options taken out (crc64 included), the rest is the policy, as postObjectFields takes it.
  const { onProgress, signal, retry, crc64, ...policy } = opts;
  const progress = new ProgressTracker(blob.size, onProgress);
  const computing = startCRC64(client.module, blob, checksCRC64(opts), signal);
  const reply = await sendSigned(client, {
    method: 'POST', key, onUploadProgress: (n) => progress.update(0, n),
    sign(request, nowMs) {
      const form = client.postFormAt({ ...policy, key }, nowMs);
      return { url: form.url, headers: {}, body: formData(form.fields, key, blob) };
    },
  }, { signal, retry });
  await verifyUploadCRC64(reply, computing, `POST ${key}`, client.bucket);
  progress.finish(0, blob.size);
  return postResult(reply, key, blob.size);
}
