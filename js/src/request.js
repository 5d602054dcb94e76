import { OssignError } from './errors.js';

/** Default validity of a presigned URL, in seconds (ali-oss's default). */
export const DEFAULT_EXPIRES = 1800;

/**
 * Builds the fast-path fields (wasm/fastpath.go) of a request.
 * @param {{method?: string, bucket: string, key: string, expires?: number, explain?: boolean,
 *   slashSafe?: boolean, headers?: object, query?: object, additionalHeaders?: string[],
 *   subResources?: string[]}} r
 */
export function requestFields(r) {
  return fieldsOf(r, entries(r.headers, 'headers'), entries(r.query, 'query'));
}

/** The fields of r with its headers and query as lists of names and values. */
function fieldsOf(r, headers, query) {
  const fields = [
    String(r.method ?? 'GET'), r.bucket ?? '', r.key ?? '',
    r.expires === undefined ? '' : String(expiresMs(r.expires)),
    r.explain ? '1' : '0',
    r.slashSafe === undefined ? '' : r.slashSafe ? '0' : '1',
    String(headers.length / 2),
  ];
  appendAll(fields, headers);
  fields.push(String(query.length / 2));
  appendAll(fields, query);
  appendNames(fields, r.additionalHeaders);
  appendNames(fields, r.subResources);
  return fields;
}

/** Appends a list's length and its names. */
function appendNames(fields, list) {
  if (list == null) {
    fields.push('0');
    return;
  }
  const names = list.map(String);
  fields.push(String(names.length));
  appendAll(fields, names);
}

function appendAll(fields, list) {
  for (let i = 0; i < list.length; i++) fields.push(list[i]);
}

/** The longest expiry the signer takes (V1; V4 stops at 7 days), in seconds. */
const MAX_EXPIRES = 100 * 365 * 86400;

function expiresMs(seconds) {
  if (typeof seconds !== 'number' || !(seconds >= 1 && seconds <= MAX_EXPIRES)) {
    throw new OssignError('InvalidExpiry', `expires must be a number of seconds from 1 (V4: up to 604800), not ${String(seconds)}`);
  }
  return Math.round(seconds * 1000);
}

/**
 * Flattens names and values from a plain object, a Map, a Headers or URLSearchParams, or any
 * iterable of [name, value]: [name, value, name, value, …]; null/undefined values are bare names.
 */
function entries(obj, what) {
  const out = [];
  if (obj == null) return out;
  if (typeof obj !== 'object') throw new OssignError('InvalidArgument', `${what} must be an object of names to values`);
  for (const [name, value] of Symbol.iterator in obj ? obj : Object.entries(obj)) {
    out.push(String(name), value == null ? '' : String(value));
  }
  return out;
}

/** The same names and values, each name once (the last value in the first place, as a Map keeps them). */
function uniqueEntries(obj, what) {
  const flat = entries(obj, what);
  const out = [];
  for (let i = 0; i < flat.length; i += 2) setEntry(out, flat[i], flat[i + 1]);
  return out;
}

/** Sets name's value in a list of names and values: in its place if it is there, else at the end. */
function setEntry(list, name, value) {
  value = value == null ? '' : String(value);
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] === name) {
      list[i + 1] = value;
      return;
    }
  }
  list.push(name, value);
}

/**
 * The fast-path fields (requestFields) of a presigned URL with ali-oss's signatureUrl options:
 * method, expires (s), Content-Type, Content-MD5, headers, response ({'content-disposition': …}
 * → response-content-disposition), process (x-oss-process), trafficLimit (x-oss-traffic-limit,
 * bit/s), subResource, versionId, queries, additionalHeaders, slashSafe, bucket, explain.
 */
export function presignFields(defaultBucket, key, opts = {}) {
  const headers = uniqueEntries(opts.headers, 'headers');
  if (opts['Content-Type'] !== undefined) setEntry(headers, 'Content-Type', opts['Content-Type']);
  if (opts['Content-MD5'] !== undefined) setEntry(headers, 'Content-MD5', opts['Content-MD5']);
  const query = uniqueEntries(opts.queries, 'queries');
  if (opts.response) {
    for (const [name, value] of Object.entries(opts.response)) setEntry(query, `response-${kebab(name)}`, value);
  }
  if (opts.process !== undefined) setEntry(query, 'x-oss-process', opts.process);
  if (opts.trafficLimit !== undefined) setEntry(query, 'x-oss-traffic-limit', opts.trafficLimit);
  if (opts.versionId !== undefined) setEntry(query, 'versionId', opts.versionId);
  const subResources = opts.subResource ? Object.keys(opts.subResource) : undefined;
  if (subResources) for (const name of subResources) setEntry(query, name, opts.subResource[name]);
  const r = {
    method: opts.method ?? 'GET',
    bucket: opts.bucket ?? defaultBucket,
    key,
    expires: opts.expires ?? DEFAULT_EXPIRES,
    explain: opts.explain,
    slashSafe: opts.slashSafe,
    additionalHeaders: opts.additionalHeaders,
    subResources,
  };
  return fieldsOf(r, headers, query);
}

/** contentDisposition or Content-Disposition → content-disposition. */
export function kebab(name) {
  return name.replace(/[A-Z]/g, (c, i) => (i === 0 ? '' : '-') + c.toLowerCase()).replace(/--/g, '-');
}

/** Reads a fast-path list of names and values starting at fields[i]: [count, name, value, …]. */
export function headersFrom(fields, i) {
  const headers = {};
  const n = Number(fields[i]);
  for (let j = 0; j < n; j++) headers[fields[i + 1 + 2 * j]] = fields[i + 2 + 2 * j];
  return { headers, next: i + 1 + 2 * n };
}
