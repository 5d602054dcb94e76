import { OssignError } from './errors.js';
import { sendSigned } from './send.js';
import { requireHeader } from './osserror.js';
import { parseXML, escapeXML } from './xml.js';
import { crc64OfBlob, startCRC64, verifyUploadCRC64 } from './crc64.js';
import { ProgressTracker } from './progress.js';
import { checkpointId, checkpointStore } from './checkpoint.js';
import { uploadHeaders, checksCRC64 } from './put.js';
import { uploadBlob, unquote } from './bodies.js';
import { decodeListedKey } from './objects.js';

/** OSS's multipart limits: parts of at least 100 KiB (but the last), at most 10,000 parts. */
const MIN_PART_SIZE = 100 << 10;
const MAX_PART_SIZE = 5 * 1024 ** 3;
const MAX_PARTS = 10000;
/**
 * How far outside the span of a retried InitiateMultipartUpload an upload it started may be
 * dated: OSS's Initiated times are rounded to the millisecond, its clock ticks apart from ours.
 */
const ORPHAN_SLACK_MS = 1000;
/** The part size when the caller names none. */
const DEFAULT_PART_SIZE = 8 << 20;
/** Parts in flight at once when the caller names no number. */
const DEFAULT_PARALLEL = 4;

/**
 * The part size for size bytes: the requested one (default 8 MiB), raised so that there are
 * at most 10,000 parts.
 */
function choosePartSize(size, requested) {
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= MIN_PART_SIZE && requested <= MAX_PART_SIZE)) {
    throw new OssignError('InvalidArgument', `partSize must be a whole number of bytes from ${MIN_PART_SIZE} (100 KiB) to 5 GiB, not ${String(requested)}`);
  }
  return Math.max(requested ?? DEFAULT_PART_SIZE, Math.ceil(size / MAX_PARTS));
}

function parallelism(parallel = DEFAULT_PARALLEL) {
  if (!(Number.isInteger(parallel) && parallel >= 1 && parallel <= 64)) {
    throw new OssignError('InvalidArgument', `parallel must be a whole number from 1 to 64, not ${String(parallel)}`);
  }
  return parallel;
}

/** The checkpoint id's endpoint part: where the client's bucket lives. */
function endpointOf(client) {
  return client.endpoint ?? client.region ?? '';
}

/**
 * InitiateMultipartUpload, UploadPart in parallel, CompleteMultipartUpload; see index.d.ts.
 * @returns {Promise<{key: string, etag: string|null, crc64: string|null, size: number,
 *   uploadId: string, partSize: number, parts: number, resumedParts: number}>}
 */
export async function multipartUpload(client, key, file, opts = {}) {
  return new MultipartJob(client, key, await uploadBlob(file), opts).run();
}

/** One multipart upload of a Blob. */
class MultipartJob {
  constructor(client, key, blob, opts) {
    this.client = client;
    this.key = key;
    this.blob = blob;
    this.opts = opts;
    this.parallel = parallelism(opts.parallel);
    this.check = checksCRC64(opts);
    this.headers = uploadHeaders(key, blob, opts);
    this.store = opts.resume ? checkpointStore(opts.checkpoint) : undefined;
    this.id = checkpointId(endpointOf(client), client.bucket, key, blob);
    // Cancelling the caller's signal, or a part failing for good, stops every part.
    this.stop = new AbortController();
    this.onCallerAbort = () => this.stop.abort(opts.signal.reason);
    this.parts = new Map();
    this.saving = Promise.resolve();
  }

  async run() {
    this.opts.signal?.throwIfAborted();
    this.opts.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    try {
      const resumed = this.store ? await this.resume() : false;
      if (!resumed) await this.initiate();
      const resumedParts = this.parts.size;
      await this.uploadParts();
      const result = await this.complete();
      if (this.store) {
        await this.saving;
        await this.store.delete(this.id);
      }
      return { ...result, uploadId: this.uploadId, partSize: this.partSize, parts: this.partCount, resumedParts };
    } catch (err) {
      throw await this.failed(err);
    } finally {
      this.opts.signal?.removeEventListener('abort', this.onCallerAbort);
    }
  }

  /** Cleans up after a failure or cancel and returns the error to throw. */
  async failed(err) {
    const cancelled = this.opts.signal?.aborted;
    const reason = cancelled ? this.opts.signal.reason : err;
    if (this.uploadId && !this.store) {
      // Not resumable: remove the upload and its parts from OSS.
      try {
        await sendSigned(this.client, { method: 'DELETE', key: this.key, query: { uploadId: this.uploadId } }, { retry: { retries: 2 } });
      } catch (abortErr) {
        if (abortErr.code !== 'NoSuchUpload' && reason && typeof reason === 'object') reason.abortError = abortErr;
      }
    }
    await this.saving.catch(() => {});
    return reason;
  }

  what(part) {
    return part ? `part ${part} of ${this.key}` : `multipart upload of ${this.key}`;
  }

  setLayout(uploadId, partSize) {
    this.uploadId = uploadId;
    this.partSize = partSize;
    this.partCount = Math.max(1, Math.ceil(this.blob.size / partSize));
  }

  /** The byte range of part n (from 1). */
  range(n) {
    const start = (n - 1) * this.partSize;
    return [start, Math.min(start + this.partSize, this.blob.size)];
  }

  async initiate() {
    const startedAt = this.client.now();
    const reply = await sendSigned(this.client, {
      method: 'POST', key: this.key, query: { uploads: null }, headers: this.headers, responseType: 'text',
    }, this.requestOpts());
    const uploadId = parseXML(reply.body).childText('UploadId');
    if (!uploadId) throw new OssignError('MalformedResponse', `${this.what()}: InitiateMultipartUpload answered no UploadId`);
    this.setLayout(uploadId, choosePartSize(this.blob.size, this.opts.partSize));
    this.save();
    if (reply.attempts > 1) await this.abortOrphans(this.client.now() - startedAt);
  }

  /**
   * After an InitiateMultipartUpload sent more than once, aborts the uploads that the earlier
   * attempts may have started although their answers were lost: ListMultipartUploads' uploads of
   * exactly this key initiated, by OSS's clock, in the span the call took before this upload
   * (so the client's clock, and its offset from OSS's, do not matter). Best effort: without
   * oss:ListMultipartUploads they stay, and the upload goes on.
   */
  async abortOrphans(took) {
    try {
      const uploads = await this.listKeyUploads();
      const mine = uploads.find((u) => u.uploadId === this.uploadId);
      if (!mine) return;
      const orphans = uploads.filter((u) => u.uploadId !== this.uploadId &&
        u.initiated <= mine.initiated && u.initiated >= mine.initiated - took - ORPHAN_SLACK_MS);
      await Promise.all(orphans.map((u) => sendSigned(this.client, { method: 'DELETE', key: this.key, query: { uploadId: u.uploadId } }, this.requestOpts())
        .catch((err) => { if (err.code !== 'NoSuchUpload') throw err; })));
    } catch (err) {
      if (this.stop.signal.aborted) throw err;
    }
  }

  /** The multipart uploads of exactly this key, following ListMultipartUploads' pages. */
  async listKeyUploads() {
    const uploads = [];
    let markers = {};
    for (;;) {
      const reply = await sendSigned(this.client, {
        method: 'GET', key: '', responseType: 'text',
        query: { uploads: null, prefix: this.key, 'encoding-type': 'url', 'max-uploads': '1000', ...markers },
      }, this.requestOpts());
      const root = parseXML(reply.body);
      for (const u of root.all('Upload')) {
        const key = decodeListedKey(u.childText('Key'));
        if (key === this.key) uploads.push({ uploadId: u.childText('UploadId'), initiated: Date.parse(u.childText('Initiated')) });
      }
      if (root.childText('IsTruncated') !== 'true') return uploads;
      markers = { 'key-marker': decodeListedKey(root.childText('NextKeyMarker')), 'upload-id-marker': root.childText('NextUploadIdMarker') };
      if (markers['key-marker'] !== this.key) return uploads; // past this key's uploads
    }
  }

  /**
   * Picks up this file's checkpoint: keeps the parts OSS still has with the same ETag and CRC-64
   * (or, missing from the checkpoint, whose CRC-64 matches the file's bytes), so that only the
   * others are sent. Returns false when there is nothing to resume.
   */
  async resume() {
    const cp = await this.store.get(this.id);
    if (!cp || cp.size !== this.blob.size) return false;
    this.setLayout(cp.uploadId, cp.partSize);
    let listed;
    try {
      listed = await this.listParts();
    } catch (err) {
      if (err.code !== 'NoSuchUpload') throw err;
      await this.store.delete(this.id); // completed or aborted elsewhere: start again
      return false;
    }
    const saved = new Map(cp.parts.map((p) => [p.number, p]));
    for (const part of listed) {
      const [start, end] = this.range(part.number);
      if (part.number > this.partCount || part.size !== end - start) continue;
      const known = saved.get(part.number);
      if (known && unquote(known.etag) === unquote(part.etag) && (!this.check || known.crc64 === part.crc64)) {
        this.parts.set(part.number, known);
      } else if (this.check && part.crc64) {
        const crc = await crc64OfBlob(this.client.module, this.blob.slice(start, end), this.stop.signal);
        if (String(crc) === part.crc64) this.parts.set(part.number, part);
      }
    }
    this.save();
    return true;
  }

  /** Every part OSS holds for the upload, following ListParts' pages. */
  async listParts() {
    const parts = [];
    let marker = '0';
    for (;;) {
      const reply = await sendSigned(this.client, {
        method: 'GET', key: this.key, responseType: 'text',
        query: { uploadId: this.uploadId, 'max-parts': '1000', 'part-number-marker': marker },
      }, this.requestOpts());
      const root = parseXML(reply.body);
      for (const p of root.all('Part')) {
        parts.push({ number: Number(p.childText('PartNumber')), etag: p.childText('ETag'), crc64: p.childText('HashCrc64ecma') ?? null, size: Number(p.childText('Size')) });
      }
      if (root.childText('IsTruncated') !== 'true') return parts;
      marker = root.childText('NextPartNumberMarker');
    }
  }

  async uploadParts() {
    const todo = [];
    let done = 0;
    for (let n = 1; n <= this.partCount; n++) {
      if (this.parts.has(n)) done += this.parts.get(n).size;
      else todo.push(n);
    }
    this.progress = new ProgressTracker(this.blob.size, this.opts.onProgress, done);
    let next = 0;
    let failure;
    const worker = async () => {
      while (next < todo.length && !failure) {
        const n = todo[next++];
        try {
          await this.uploadPart(n);
        } catch (err) {
          if (!failure) {
            failure = err;
            this.stop.abort(err);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, todo.length) }, worker));
    if (failure) throw failure;
    this.progress.emit();
  }

  async uploadPart(n) {
    const [start, end] = this.range(n);
    const body = this.blob.slice(start, end);
    const computing = startCRC64(this.client.module, body, this.check, this.stop.signal);
    let reply;
    try {
      reply = await sendSigned(this.client, {
        method: 'PUT', key: this.key, query: { partNumber: String(n), uploadId: this.uploadId }, body,
        onUploadProgress: (loaded) => this.progress.update(n, loaded),
      }, this.requestOpts());
    } catch (err) {
      this.progress.drop(n);
      throw err;
    }
    const what = this.what(n);
    const etag = requireHeader(reply, 'ETag', what, this.client.bucket);
    const crc64 = await verifyUploadCRC64(reply, computing, what, this.client.bucket, { partNumber: n });
    this.parts.set(n, { number: n, etag, crc64, size: end - start });
    this.progress.finish(n, end - start);
    this.save();
  }

  /** Persists the checkpoint (resumable uploads only), one write after another. */
  save() {
    if (!this.store) return;
    const cp = {
      id: this.id, bucket: this.client.bucket, key: this.key, endpoint: endpointOf(this.client),
      uploadId: this.uploadId, partSize: this.partSize, size: this.blob.size, name: this.blob.name ?? '',
      lastModified: this.blob.lastModified ?? 0, type: this.headers['Content-Type'], createdAt: this.createdAt ?? Date.now(),
      parts: [...this.parts.values()],
    };
    this.createdAt = cp.createdAt;
    this.saving = this.saving.then(() => this.store.put(cp));
  }

  /** The object's CRC-64, combined from the parts' in order. */
  expectedCRC64() {
    let crc = 0n;
    for (let n = 1; n <= this.partCount; n++) {
      const p = this.parts.get(n);
      crc = n === 1 ? BigInt(p.crc64) : this.client.module.crc64Combine(crc, BigInt(p.crc64), p.size);
    }
    return crc;
  }

  async complete() {
    const parts = [...this.parts.values()].sort((a, b) => a.number - b.number);
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>' +
      parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${escapeXML(p.etag)}</ETag></Part>`).join('') +
      '</CompleteMultipartUpload>';
    const headers = { 'Content-Type': 'application/xml' };
    const forbid = Object.entries(this.headers).find(([name]) => name.toLowerCase() === 'x-oss-forbid-overwrite');
    if (forbid) headers[forbid[0]] = forbid[1];
    const expected = this.check ? this.expectedCRC64() : undefined;
    const what = this.what();
    let reply;
    try {
      reply = await sendSigned(this.client, {
        method: 'POST', key: this.key, query: { uploadId: this.uploadId }, headers, body, responseType: 'text',
      }, this.requestOpts());
    } catch (err) {
      // A retry after a lost answer finds the upload gone: it is done if the object is ours.
      const earlier = err.code === 'NoSuchUpload' ? await this.completedEarlier(expected) : undefined;
      if (earlier) return earlier;
      throw err;
    }
    const crc64 = await verifyUploadCRC64(reply, expected, what, this.client.bucket);
    const etag = parseXML(reply.body).childText('ETag') ?? reply.headers.get('etag');
    return { key: this.key, etag: unquote(etag), crc64, size: this.blob.size };
  }

  /** The result, when the object at key is the one this upload would have made (by CRC-64). */
  async completedEarlier(expected) {
    if (expected === undefined) return undefined;
    const reply = await sendSigned(this.client, { method: 'HEAD', key: this.key }, this.requestOpts()).catch(() => undefined);
    const crc64 = reply?.headers.get('x-oss-hash-crc64ecma');
    if (!crc64 || crc64 !== String(expected)) return undefined;
    return { key: this.key, etag: unquote(reply.headers.get('etag')), crc64, size: this.blob.size };
  }

  requestOpts() {
    return { signal: this.stop.signal, retry: this.opts.retry };
  }
}

/**
 * The resumable uploads this client's bucket has checkpoints for (see index.d.ts).
 */
export async function pendingUploads(client, opts = {}) {
  const endpoint = endpointOf(client);
  const all = await checkpointStore(opts.checkpoint).list();
  return all.filter((cp) => cp.bucket === client.bucket && cp.endpoint === endpoint).map((cp) => ({
    id: cp.id, key: cp.key, uploadId: cp.uploadId, name: cp.name, size: cp.size, lastModified: cp.lastModified,
    type: cp.type, partSize: cp.partSize, createdAt: new Date(cp.createdAt),
    partsUploaded: cp.parts.length, bytesUploaded: cp.parts.reduce((sum, p) => sum + p.size, 0),
  }));
}

/**
 * Aborts a multipart upload on OSS (its parts are deleted) and forgets its checkpoint.
 * @param {{key: string, uploadId: string, id?: string}} upload a pendingUploads() entry, or key and uploadId
 */
export async function abortUpload(client, upload, opts = {}) {
  if (!upload || typeof upload.key !== 'string' || typeof upload.uploadId !== 'string') {
    throw new OssignError('InvalidArgument', 'abortUpload needs {key, uploadId}: an entry of pendingUploads()');
  }
  try {
    await sendSigned(client, { method: 'DELETE', key: upload.key, query: { uploadId: upload.uploadId } }, opts);
  } catch (err) {
    if (err.code !== 'NoSuchUpload') throw err;
  }
  const store = checkpointStore(opts.checkpoint);
  for (const cp of await store.list()) {
    if (cp.uploadId === upload.uploadId) await store.delete(cp.id);
  }
}
