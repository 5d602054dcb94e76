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
  const headers = entries(r.headers, 'headers');
  const query = entries(r.query, 'query');
  const fields = [
    String(r.method ?? 'GET'), r.bucket ?? '', r.key ?? '',
    r.expires === undefined ? '' : String(expiresMs(r.expires)),
    r.explain ? '1' : '0',
    r.slashSafe === undefined ? '' : r.slashSafe ? '0' : '1',
    String(headers.length / 2), ...headers,
    String(query.length / 2), ...query,
  ];
  for (const list of [r.additionalHeaders, r.subResources]) {
    const names = (list ?? []).map(String);
    fields.push(String(names.length), ...names);
  }
  return fields;
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
  if (obj == null) return [];
  if (typeof obj !== 'object') throw new OssignError('InvalidArgument', `${what} must be an object of names to values`);
  const out = [];
  for (const [name, value] of Symbol.iterator in obj ? obj : Object.entries(obj)) {
    out.push(String(name), value == null ? '' : String(value));
  }
  return out;
}

/** The same names and values as a Map, so more can be added. */
function mapOf(obj, what) {
  const flat = entries(obj, what);
  const map = new Map();
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

/**
 * Maps ali-oss's signatureUrl options onto a request: method, expires (s), Content-Type,
 * Content-MD5, headers, response ({'content-disposition': …} → response-content-disposition),
 * process (x-oss-process), trafficLimit (x-oss-traffic-limit, bit/s), subResource, versionId,
 * queries, additionalHeaders, slashSafe, bucket, explain.
 */
export function presignRequest(defaultBucket, key, opts = {}) {
  const headers = mapOf(opts.headers, 'headers');
  for (const name of ['Content-Type', 'Content-MD5']) {
    if (opts[name] !== undefined) headers.set(name, opts[name]);
  }
  const query = mapOf(opts.queries, 'queries');
  for (const [name, value] of Object.entries(opts.response ?? {})) {
    query.set(`response-${kebab(name)}`, value);
  }
  if (opts.process !== undefined) query.set('x-oss-process', opts.process);
  if (opts.trafficLimit !== undefined) query.set('x-oss-traffic-limit', opts.trafficLimit);
  if (opts.versionId !== undefined) query.set('versionId', opts.versionId);
  const subResource = opts.subResource ?? {};
  for (const [name, value] of Object.entries(subResource)) query.set(name, value);
  return {
    method: opts.method ?? 'GET',
    bucket: opts.bucket ?? defaultBucket,
    key,
    expires: opts.expires ?? DEFAULT_EXPIRES,
    explain: opts.explain,
    slashSafe: opts.slashSafe,
    headers,
    query,
    additionalHeaders: opts.additionalHeaders,
    subResources: Object.keys(subResource),
  };
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
