// A fake OSS for the transfer tests: an in-memory bucket behind the transport interface
// (js/src/transport.js), with a request log and fault hooks. It does not check signatures
// (the emulator and Chromium tests do); it records what each attempt sent.

/** CRC-64/XZ (OSS's x-oss-hash-crc64ecma), bit by table, independent of the wasm module. */
const TABLE = (() => {
  const poly = 0xC96C5795D7870F42n;
  return Array.from({ length: 256 }, (_, n) => {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    return c;
  });
})();

export function crc64(bytes) {
  let crc = 0xFFFFFFFFFFFFFFFFn;
  for (const b of bytes) crc = TABLE[Number((crc ^ BigInt(b)) & 0xFFn)] ^ (crc >> 8n);
  return (crc ^ 0xFFFFFFFFFFFFFFFFn).toString();
}

function etagOf(bytes) {
  return `"${crc64(bytes).padStart(20, '0').slice(0, 16).toUpperCase()}${bytes.length}"`;
}

function xmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function reply(status, headers = {}, body = '') {
  const map = new Map(Object.entries({ 'x-oss-request-id': 'REQ' + Math.random().toString(16).slice(2, 10), ...headers }).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: map, body };
}

export function ossError(status, code, message, extra = {}) {
  const fields = Object.entries({ Code: code, Message: message, RequestId: 'ERRREQ', HostId: 'fake', ...extra })
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`).join('');
  return reply(status, { 'Content-Type': 'application/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`);
}

/** An in-memory bucket speaking enough of OSS for the transfer engine. */
export class FakeOSS {
  constructor() {
    this.objects = new Map();
    this.uploads = new Map();
    this.log = [];
    /**
     * (entry) => reply | 'network' | 'lost' | {cutAfter: n} | undefined: the first that answers
     * wins. 'network' fails before the request is handled, 'lost' after (its effect stays, its
     * answer is lost); {cutAfter: n} answers but drops the connection after n body bytes.
     */
    this.faults = [];
    /** OSS's clock for Initiated times, ms. */
    this.now = () => Date.now();
    this.inflight = 0;
    this.maxInflight = 0;
    this.nextUpload = 1;
    /** Answers with these headers hidden, as a CORS rule without ExposeHeader would. */
    this.hidden = new Set();
    this.transport = { send: (req) => this.send(req) };
  }

  async send(req) {
    const url = new URL(req.url);
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const query = Object.fromEntries(url.searchParams);
    const body = req.body == null ? undefined : new Uint8Array(await new Response(req.body).arrayBuffer());
    const entry = { method: req.method, bucket, key, query, headers: { ...req.headers }, size: body?.length ?? 0, body };
    this.log.push(entry);
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (req.signal?.aborted) throw req.signal.reason;
      let r;
      let cutAfter;
      let lost = false;
      const networkFailure = () => Object.assign(new Error('fake network failure'), { network: true, code: 'NetworkError' });
      for (const fault of this.faults) {
        r = fault(entry);
        if (r === 'network') throw networkFailure();
        if (r?.cutAfter !== undefined) {
          cutAfter = r.cutAfter;
          r = undefined;
        }
        if (r === 'lost') {
          lost = true;
          r = undefined;
        }
        if (r) break;
      }
      if (!r) {
        if (body) {
          req.onUploadProgress?.(Math.floor(body.length / 2));
          req.onUploadProgress?.(body.length);
        }
        r = this.handle(entry);
      }
      if (lost) throw networkFailure();
      for (const name of this.hidden) r.headers.delete(name.toLowerCase());
      if (req.responseType === 'blob') r.body = new Blob([r.body]);
      if (req.responseType === 'stream') r.body = bodyStream(r.body, cutAfter);
      return r;
    } finally {
      this.inflight--;
    }
  }

  handle({ method, key, query, headers, body }) {
    const q = (name) => Object.prototype.hasOwnProperty.call(query, name);
    if (method === 'GET' && key === '' && q('uploads')) return this.listUploads(query);
    if (method === 'POST' && q('uploads')) {
      const id = `UP${this.nextUpload++}`;
      this.uploads.set(id, { key, parts: new Map(), type: headers['Content-Type'], initiated: this.now() });
      return reply(200, {}, `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (q('uploadId')) {
      const up = this.uploads.get(query.uploadId);
      if (!up) return ossError(404, 'NoSuchUpload', 'The specified upload does not exist.');
      if (method === 'PUT') {
        up.parts.set(Number(query.partNumber), body);
        return reply(200, { ETag: etagOf(body), 'x-oss-hash-crc64ecma': crc64(body) });
      }
      if (method === 'GET') {
        const parts = [...up.parts].sort((a, b) => a[0] - b[0]).map(([n, data]) =>
          `<Part><PartNumber>${n}</PartNumber><ETag>${etagOf(data)}</ETag><HashCrc64ecma>${crc64(data)}</HashCrc64ecma><Size>${data.length}</Size></Part>`);
        return reply(200, {}, `<ListPartsResult><UploadId>${query.uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`);
      }
      if (method === 'DELETE') {
        this.uploads.delete(query.uploadId);
        return reply(204);
      }
      if (method === 'POST') {
        const listed = [...new TextDecoder().decode(body).matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag>/g)];
        const chunks = listed.map(([, n]) => up.parts.get(Number(n)));
        const data = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          data.set(c, at);
          at += c.length;
        }
        this.uploads.delete(query.uploadId);
        this.objects.set(key, { data, type: up.type });
        return reply(200, { 'x-oss-hash-crc64ecma': crc64(data) }, `<CompleteMultipartUploadResult><Key>${xmlEscape(key)}</Key><ETag>"MP-${listed.length}"</ETag></CompleteMultipartUploadResult>`);
      }
    }
    if (method === 'PUT') {
      this.objects.set(key, { data: body, type: headers['Content-Type'] });
      return reply(200, { ETag: etagOf(body), 'x-oss-hash-crc64ecma': crc64(body) });
    }
    if (method === 'GET' && key === '' && query['list-type'] === '2') return this.list(query);
    const obj = this.objects.get(key);
    if (method === 'DELETE') {
      this.objects.delete(key);
      return reply(204);
    }
    if (!obj) return method === 'HEAD' ? reply(404) : ossError(404, 'NoSuchKey', 'The specified key does not exist.');
    const meta = { 'Content-Type': obj.type, 'Content-Length': String(obj.data.length), ETag: etagOf(obj.data), 'x-oss-hash-crc64ecma': crc64(obj.data), 'Last-Modified': 'Sun, 29 Nov 2026 10:00:00 GMT' };
    const ifMatch = headerOf(headers, 'If-Match');
    if (ifMatch !== undefined && ifMatch !== meta.ETag) return ossError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');
    if (method === 'HEAD') return reply(200, meta);
    if (method !== 'GET') return ossError(405, 'MethodNotAllowed', method);
    // OSS's Range rules: bytes=a-b or bytes=a-; one that does not fit the object gets it all.
    const range = /^bytes=(\d+)-(\d*)$/.exec(headerOf(headers, 'Range') ?? '');
    const first = range ? Number(range[1]) : 0;
    const last = range && range[2] !== '' ? Math.min(Number(range[2]), obj.data.length - 1) : obj.data.length - 1;
    if (!range || first >= obj.data.length || last < first) return reply(200, meta, obj.data);
    const part = obj.data.subarray(first, last + 1);
    return reply(206, { ...meta, 'Content-Length': String(part.length), 'Content-Range': `bytes ${first}-${last}/${obj.data.length}` }, part);
  }

  listUploads(query) {
    const uploads = [...this.uploads].filter(([, up]) => up.key.startsWith(query.prefix ?? '')).sort(([a, x], [b, y]) => x.key.localeCompare(y.key) || a.localeCompare(b));
    const enc = (s) => encodeURIComponent(s);
    const entries = uploads.map(([id, up]) => `<Upload><Key>${enc(up.key)}</Key><UploadId>${id}</UploadId><Initiated>${new Date(up.initiated).toISOString()}</Initiated></Upload>`);
    return reply(200, {}, `<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>${entries.join('')}</ListMultipartUploadsResult>`);
  }

  list(query) {
    const prefix = query.prefix ?? '';
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const enc = (s) => encodeURIComponent(s);
    const contents = keys.map((k) => `<Contents><Key>${enc(k)}</Key><LastModified>2026-11-29T10:00:00.000Z</LastModified><ETag>"E"</ETag><Size>${this.objects.get(k).data.length}</Size><Type>Normal</Type></Contents>`);
    return reply(200, {}, `<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>${keys.length}</KeyCount>${contents.join('')}</ListBucketResult>`);
  }

  /** The log entries of one kind: 'part' (UploadPart), 'put', 'complete', 'abort', 'list-parts'. */
  requests(kind) {
    const kinds = {
      part: (e) => e.method === 'PUT' && 'partNumber' in e.query,
      put: (e) => e.method === 'PUT' && !('partNumber' in e.query),
      complete: (e) => e.method === 'POST' && 'uploadId' in e.query,
      abort: (e) => e.method === 'DELETE' && 'uploadId' in e.query,
      'list-parts': (e) => e.method === 'GET' && 'uploadId' in e.query,
    };
    return this.log.filter(kinds[kind]);
  }
}

/** A request header, whatever the case of its name. */
function headerOf(headers, name) {
  const found = Object.keys(headers ?? {}).find((h) => h.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : headers[found];
}

/** A response body as a stream, in 1 KiB chunks, that fails (as a dropped connection) after cutAfter bytes. */
function bodyStream(body, cutAfter) {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body ?? new Uint8Array(0);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (cutAfter !== undefined && at >= cutAfter) {
        controller.error(new TypeError('terminated'));
        return;
      }
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(at + 1024, bytes.length, cutAfter ?? Infinity);
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
}

/** Timers that record delays and run short ones at once (long ones, such as credential refreshes, never). */
export function instantTimers() {
  const delays = [];
  return {
    delays,
    setTimeout(fn, ms) {
      delays.push(ms);
      return ms <= 60_000 ? setTimeout(fn, 0) : undefined;
    },
    clearTimeout(id) {
      if (id !== undefined) clearTimeout(id);
    },
  };
}

/** Deterministic bytes. */
export function bytesOf(n, seed = 1) {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
