import { OssignError } from './errors.js';

// Small conversions shared by the transfers: request bodies, response bodies, Range headers,
// ETags.

/**
 * A body as a Blob: Blobs and Files as they are, ArrayBuffers, typed arrays and strings
 * wrapped once (every attempt then re-reads the same bytes).
 */
export function toBlob(body) {
  if (body instanceof Blob) return body;
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new Blob([body]);
  throw new OssignError('InvalidArgument', 'the body must be a Blob, File, ArrayBuffer, typed array, string or (for uploads) a stream');
}

/**
 * An upload's body as a Blob: what toBlob takes, or a stream (a web ReadableStream, a Node.js
 * Readable or any async iterable of bytes) read to its end first, since every attempt must
 * send the same bytes again and a stream gives them once. For large files pass a Blob backed
 * by the file instead (Node's fs.openAsBlob, Bun.file): its parts are read when sent.
 */
export async function uploadBlob(body) {
  if (body && typeof body.getReader === 'function') return new Response(body).blob();
  if (body && typeof body[Symbol.asyncIterator] === 'function' && !(body instanceof Blob)) {
    const chunks = [];
    for await (const chunk of body) chunks.push(chunk);
    return new Blob(chunks);
  }
  return toBlob(body);
}

/** The forms a downloaded body can be given in. */
const BODY_FORMS = ['blob', 'text', 'arraybuffer', 'arrayBuffer', 'stream'];

/** Checks an `as` option and returns it (default 'blob'). */
export function bodyForm(as = 'blob') {
  if (!BODY_FORMS.includes(as)) throw new OssignError('InvalidArgument', `as must be one of ${BODY_FORMS.join(', ')}, not ${String(as)}`);
  return as;
}

/** A downloaded Blob in the form a caller asked for. */
export function blobAs(blob, as) {
  if (as === 'text') return blob.text();
  if (as === 'arraybuffer' || as === 'arrayBuffer') return blob.arrayBuffer();
  return blob;
}

/** The Range header of a range option: [start, end] (inclusive), [start], or 'bytes=…'. */
export function rangeHeader(range) {
  if (typeof range === 'string') return range.startsWith('bytes=') ? range : `bytes=${range}`;
  if (Array.isArray(range) && Number.isInteger(range[0]) && range[0] >= 0 &&
      (range[1] === undefined || (Number.isInteger(range[1]) && range[1] >= range[0]))) {
    return `bytes=${range[0]}-${range[1] ?? ''}`;
  }
  throw new OssignError('InvalidArgument', 'range must be [start, end] (inclusive byte offsets), [start], or "bytes=start-end"');
}

/** An ETag without its quotes, or null. */
export function unquote(etag) {
  return etag == null ? null : etag.replace(/^"|"$/g, '');
}
