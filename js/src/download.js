import { OssignError } from './errors.js';
import { jitteredBackoff, retrySettings, sleepFor } from './retry.js';
import { crc64OfBytes, checkCRC64 } from './crc64.js';
import { ProgressTracker } from './progress.js';
import { rangeHeader } from './bodies.js';

// Downloads that survive a lost connection: the body is read as it arrives, and when the
// connection drops, the rest is asked for with a Range from the bytes already here, guarded by
// If-Match on the first answer's ETag (OSS answers 412 if the object changed meanwhile). The
// whole object's CRC-64 is checked as the bytes go by, when OSS sends one and a module is at
// hand. Every `as` form, the stream too, resumes and reports progress.

/**
 * One download. request(headers) sends one GET with these extra headers (retrying what
 * sendWithRetry retries) and resolves to the reply with a ReadableStream body.
 */
export class Download {
  /**
   * @param {(headers: object) => Promise<{status: number, headers: Map<string, string>, body: ReadableStream}>} request
   * @param {{what: string, range?: unknown, module?: object, crc64?: boolean, resumable?: boolean,
   *   onProgress?: Function, signal?: AbortSignal, retry?: object|false, timers?: object}} opts
   *   module: the wasm module for the CRC-64 check (none: no check); resumable: false when a
   *   response cannot be resumed by Range (image processing)
   */
  constructor(request, opts) {
    this.request = request;
    this.opts = opts;
    this.retry = retrySettings(opts.retry);
    this.failures = 0;
    this.received = 0;
    this.crc = 0n;
  }

  /** Sends the first request; resolves to its reply (status and headers) once it answers. */
  async start() {
    const asked = this.opts.range === undefined ? undefined : rangeHeader(this.opts.range);
    const reply = await this.request(asked === undefined ? {} : { Range: asked });
    this.reply = reply;
    const h = reply.headers;
    this.etag = h.get('etag');
    this.lastModified = h.get('last-modified');
    const length = Number(h.get('content-length'));
    this.length = h.has('content-length') && Number.isFinite(length) ? length : undefined;
    // Where this body starts in the object, and where it ends (inclusive; undefined: the end).
    [this.first, this.last] = reply.status === 206 ? spanOf(asked, h.get('content-range')) : [0, undefined];
    const encoded = (h.get('content-encoding') ?? 'identity') !== 'identity';
    this.resumable = this.opts.resumable !== false && !encoded && this.first !== undefined && Boolean(this.etag || this.lastModified);
    this.expectedCRC = asked === undefined && reply.status === 200 && this.opts.crc64 !== false && this.opts.module ? h.get('x-oss-hash-crc64ecma') ?? undefined : undefined;
    this.progress = new ProgressTracker(this.length, this.opts.onProgress);
    this.reader = readerOf(reply.body);
    return reply;
  }

  /** The next chunk of the body, or undefined at its end (after the CRC-64 check). */
  async next() {
    for (;;) {
      let read;
      try {
        read = await this.reader.read();
      } catch (err) {
        if (this.opts.signal?.aborted) throw this.opts.signal.reason;
        await this.resume(err);
        continue;
      }
      if (read.done) return this.finish();
      let chunk = read.value;
      if (this.skip) {
        const dropped = Math.min(this.skip, chunk.length);
        this.skip -= dropped;
        chunk = chunk.subarray(dropped);
        if (!chunk.length) continue;
      }
      this.received += chunk.length;
      // More bytes than Content-Length: a decoded body, whose offsets are not the object's.
      if (this.length !== undefined && this.received > this.length) this.resumable = false;
      if (this.expectedCRC !== undefined) this.crc = crc64OfBytes(this.opts.module, this.crc, chunk);
      this.progress.update(0, this.received);
      return chunk;
    }
  }

  /** The whole body, chunk by chunk, as a Blob. */
  async blob() {
    const chunks = [];
    for (let chunk = await this.next(); chunk; chunk = await this.next()) chunks.push(chunk);
    return new Blob(chunks);
  }

  /** The body as a ReadableStream that resumes like next(); cancelling it stops the download. */
  stream() {
    return new ReadableStream({
      pull: async (controller) => {
        try {
          const chunk = await this.next();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        } catch (err) {
          controller.error(err);
        }
      },
      cancel: (reason) => this.reader.cancel(reason).catch(() => {}),
    });
  }

  /**
   * Ends the body with the CRC-64 check. A body whose length is not its Content-Length was
   * decoded on the way (the object is stored with a Content-Encoding the page may not see):
   * OSS's CRC-64 is that of the stored bytes, so it is not compared.
   */
  finish() {
    const decoded = this.length !== undefined && this.received !== this.length;
    if (this.expectedCRC !== undefined && !decoded) {
      checkCRC64(this.expectedCRC, this.crc, this.opts.what, { requestId: this.reply.headers.get('x-oss-request-id') ?? undefined });
    }
    if (this.progress.total === undefined || decoded) this.progress.total = this.received;
    this.progress.finish(0, this.received);
    return undefined;
  }

  /**
   * Asks for the rest of the body after the connection dropped (err): with backoff, at most
   * retry.retries times in all, from the next byte, on condition that the object is still the
   * one the first answer described.
   */
  async resume(err) {
    const cause = err?.network ? err : new OssignError('NetworkError', `${this.opts.what}: the connection dropped while the body arrived`, { cause: err, network: true });
    if (!this.resumable || this.failures >= this.retry.retries) throw cause;
    await sleepFor(jitteredBackoff(this.failures++, this.retry), this.opts.signal, this.opts.timers);
    const at = this.first + this.received;
    const headers = { Range: `bytes=${at}-${this.last ?? ''}` };
    if (this.etag) headers['If-Match'] = this.etag;
    else headers['If-Unmodified-Since'] = this.lastModified;
    let reply;
    try {
      reply = await this.request(headers);
    } catch (e) {
      if (e.code === 'PreconditionFailed') {
        throw new OssignError('ObjectChanged', `${this.opts.what}: the object changed while it was downloading (it no longer has ETag ${this.etag ?? `and Last-Modified ${this.lastModified}`}); download it again`, { cause: e, status: 412 });
      }
      throw e;
    }
    const etag = reply.headers.get('etag');
    if (this.etag && etag && etag !== this.etag) {
      throw new OssignError('ObjectChanged', `${this.opts.what}: the object changed while it was downloading (ETag ${this.etag}, now ${etag}); download it again`);
    }
    this.reader.cancel().catch(() => {});
    this.reader = readerOf(reply.body);
    // A server that ignored the Range sends the whole object again: skip what is here.
    this.skip = reply.status === 206 ? 0 : at;
  }
}

/** A reader of a response body: a stream, or any body a custom transport gave whole. */
function readerOf(body) {
  const stream = typeof body?.getReader === 'function' ? body : new Blob(body == null ? [] : [body]).stream();
  return stream.getReader();
}

/**
 * The first and last byte (inclusive; last undefined: to the end) of a 206 answer to Range
 * asked: from the Range when it names a start, else from Content-Range when the page may read
 * it, else unknown (first undefined: the download cannot resume).
 */
function spanOf(asked, contentRange) {
  const fromRange = /^bytes=(\d+)-(\d*)$/.exec(asked ?? '');
  if (fromRange) return [Number(fromRange[1]), fromRange[2] === '' ? undefined : Number(fromRange[2])];
  const fromContent = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  if (fromContent) return [Number(fromContent[1]), Number(fromContent[2])];
  return [undefined, undefined];
}
