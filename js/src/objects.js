import { OssignError } from './errors.js';
import { sendSigned } from './send.js';
import { parseXML } from './xml.js';
import { Download } from './download.js';
import { unquote, bodyForm, blobAs } from './bodies.js';
import { kebab } from './request.js';

/** What head and get report about an object, from the response headers the page may read. */
function objectInfo(key, headers) {
  const meta = {};
  for (const [name, value] of headers) {
    if (name.startsWith('x-oss-meta-')) meta[name.slice(11)] = value;
  }
  const modified = headers.get('last-modified');
  return {
    key,
    size: Number(headers.get('content-length') ?? NaN),
    contentType: headers.get('content-type') ?? null,
    etag: unquote(headers.get('etag')),
    lastModified: modified ? new Date(modified) : null,
    crc64: headers.get('x-oss-hash-crc64ecma') ?? null,
    meta,
  };
}

/**
 * GetObject: the body as a Blob (default), text, ArrayBuffer or ReadableStream, with download
 * progress; a dropped connection resumes by Range from the bytes already here (see download.js);
 * a whole object is checked against OSS's CRC-64 when the response carries one.
 */
export async function getObject(client, key, opts = {}) {
  const as = bodyForm(opts.as);
  const query = {};
  for (const [name, value] of Object.entries(opts.response ?? {})) query[`response-${kebab(name)}`] = value;
  if (opts.process !== undefined) query['x-oss-process'] = opts.process;
  if (opts.versionId !== undefined) query.versionId = opts.versionId;
  const send = (headers) => sendSigned(client, {
    method: 'GET', key, headers: { ...(opts.headers ?? {}), ...headers }, query, responseType: 'stream',
  }, opts);
  const download = new Download(send, {
    what: `GET ${key}`, range: opts.range, module: client.module, crc64: opts.crc64 !== false && opts.process === undefined,
    resumable: opts.process === undefined, onProgress: opts.onProgress, signal: opts.signal,
    retry: opts.retry ?? client.retry, timers: client.timers,
  });
  const reply = await download.start();
  const info = objectInfo(key, reply.headers);
  if (as === 'stream') return { ...info, status: reply.status, body: download.stream() };
  const blob = await download.blob();
  info.size = blob.size;
  return { ...info, status: reply.status, body: await blobAs(blob, as) };
}

/** HeadObject: size, type, ETag, modification time, CRC-64 and the user metadata the page may read. */
export async function headObject(client, key, opts = {}) {
  const reply = await sendSigned(client, { method: 'HEAD', key, query: opts.versionId === undefined ? undefined : { versionId: opts.versionId } }, opts);
  return objectInfo(key, reply.headers);
}

/** DeleteObject (OSS answers success for a key that does not exist). */
export async function deleteObject(client, key, opts = {}) {
  if (!key) throw new OssignError('InvalidObjectName', 'delete needs an object key');
  await sendSigned(client, { method: 'DELETE', key, query: opts.versionId === undefined ? undefined : { versionId: opts.versionId } }, opts);
  return { key };
}

/** A key or prefix of a listing sent with encoding-type=url, decoded (undefined stays undefined). */
export function decodeListedKey(s) {
  return s === undefined ? undefined : decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * ListObjectsV2 of the client's bucket: one page of objects (and common prefixes, with a
 * delimiter), keys URL-encoded on the wire so that any key survives XML.
 */
export async function listObjects(client, opts = {}) {
  const query = { 'list-type': '2', 'encoding-type': 'url' };
  const names = { prefix: 'prefix', delimiter: 'delimiter', continuationToken: 'continuation-token', startAfter: 'start-after', maxKeys: 'max-keys' };
  for (const [option, param] of Object.entries(names)) {
    if (opts[option] !== undefined && opts[option] !== null) query[param] = String(opts[option]);
  }
  const reply = await sendSigned(client, { method: 'GET', bucket: opts.bucket, query, responseType: 'text' }, opts);
  const root = parseXML(reply.body);
  const decode = decodeListedKey;
  return {
    objects: root.all('Contents').map((c) => ({
      key: decode(c.childText('Key')),
      size: Number(c.childText('Size')),
      etag: unquote(c.childText('ETag')),
      lastModified: new Date(c.childText('LastModified')),
      type: c.childText('Type') ?? null,
      storageClass: c.childText('StorageClass') ?? null,
    })),
    prefixes: root.all('CommonPrefixes').map((p) => decode(p.childText('Prefix'))),
    isTruncated: root.childText('IsTruncated') === 'true',
    nextContinuationToken: decode(root.childText('NextContinuationToken')) ?? null,
    keyCount: Number(root.childText('KeyCount') ?? 0),
  };
}
