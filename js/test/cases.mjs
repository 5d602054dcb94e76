// Signing cases shared by the Node tests and the runtime tests (js/runtimetest, which signs them
// in Node, Deno, Bun and workerd and compares the bytes): the spec's vectors
// (shared/spec/oss-signing.md §6) and seeded random presigned-URL cases, reproducible from
// (SEED, index). The ali-oss test compares the seeded cases with ali-oss in Node.

export const SEED = 20261123;
export const CASES = 500;

export const ak = { AccessKeyId: 'ak', AccessKeySecret: 'sk' };
export const hangzhou = { region: 'cn-hangzhou', endpoint: 'http://oss-cn-hangzhou.aliyuncs.com', bucket: 'bucket' };
export const v4Queries = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': null, '|param2': null, param2: null };
export const v4Headers = { 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value' };

/** The spec's V4 presigned-URL vectors (V4-Q1…3). */
export const v4QueryCases = [
  { id: 'V4-Q1', unix: 1702781677, creds: ak, signature: 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe' },
  { id: 'V4-Q2', unix: 1702785388, creds: { ...ak, SecurityToken: 'token', Expiration: '2030-01-01T00:00:00Z' }, signature: '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5' },
  { id: 'V4-Q3', unix: 1702783809, creds: ak, additionalHeaders: ['ZAbc', 'abc'], signature: '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7' },
];

/** The presign options of the V4-Q vectors. */
export function v4QueryOptions(c) {
  return {
    method: 'PUT', expires: 599, queries: v4Queries, headers: v4Headers,
    'Content-Type': 'application/octet-stream', additionalHeaders: c.additionalHeaders, explain: true,
  };
}

/** V1-Q2: a V1 URL with a security token. */
export const v1Q2 = {
  options: { ...hangzhou, signatureVersion: 'v1', credentials: { ...ak, SecurityToken: 'token', Expiration: '2030-01-01T00:00:00Z' } },
  now: (1699808204 - 900) * 1000, key: 'key+123', opts: { expires: 900, subResource: { versionId: 'versionId' } },
  url: 'http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?Expires=1699808204&OSSAccessKeyId=ak&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId',
};

/** V4-H1: the Authorization-header form. */
export const v4H1 = {
  options: { ...hangzhou, credentials: ak }, now: 1702743657 * 1000,
  request: { method: 'PUT', key: '1234+-/123/1.txt', query: v4Queries, headers: { ...v4Headers, 'content-type': 'text/plain', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' } },
  authorization: 'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
};

/** mulberry32: a small seeded PRNG, so every case is reproducible from (SEED, index). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded pick from list. */
export const pick = (r, list) => list[Math.floor(r() * list.length)];
/** Seeded text of min to max characters from alphabet. */
export const text = (r, alphabet, min, max) => Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => pick(r, alphabet)).join('');
const KEY_CHARS = [...'abcXYZ019-_.~ +%?#=&;:@!\'()*/', '中', '文', 'é', '😀'];
const VALUE_CHARS = [...'abcXYZ019-_.~ +%?#=&;:/,', 'é', '中'];
export const NAME_CHARS = [...'abcdefxyz0189-'];

/** A seeded object key that both ossign and ali-oss sign (see alioss.test.mjs's exclusions). */
export function randomKey(r, version) {
  for (;;) {
    const k = text(r, KEY_CHARS, 1, 24);
    const dotSegment = k.split('/').some((s) => s === '.' || s === '..');
    if (!k.startsWith('/') && !(version === 'v1' && k.startsWith('?')) && !dotSegment) return k;
  }
}

/**
 * The seeded case i of a signature version: key, time, expiry, method, token, and the options
 * ali-oss signs alike (see alioss.test.mjs for the divergences left out on purpose).
 */
export function randomCase(i, version) {
  const r = rng(SEED + i);
  const c = {
    key: randomKey(r, version),
    now: Date.UTC(2024, 0, 1) + Math.floor(r() * 365 * 86400) * 1000,
    expires: 1 + Math.floor(r() * 86400),
    method: pick(r, ['GET', 'PUT', 'HEAD', 'DELETE', 'POST']),
    token: r() < 0.5 ? `tok+/=${text(r, NAME_CHARS, 4, 12)}` : undefined,
    contentType: r() < 0.5 ? pick(r, ['text/plain', 'image/png', 'application/octet-stream; charset=utf-8']) : undefined,
  };
  if (version === 'v1') {
    c.subResource = r() < 0.5 ? { versionId: text(r, VALUE_CHARS, 1, 12) } : undefined;
    c.process = r() < 0.3 ? `image/resize,w_${Math.floor(r() * 500)}` : undefined;
    c.response = r() < 0.3 ? { 'content-disposition': `attachment; filename="${text(r, VALUE_CHARS, 1, 8)}"` } : undefined;
    c.trafficLimit = r() < 0.2 ? 819200 * (1 + Math.floor(r() * 10)) : undefined;
  } else {
    c.queries = {};
    for (let n = Math.floor(r() * 4); n > 0; n--) c.queries[text(r, NAME_CHARS, 1, 8)] = r() < 0.3 ? null : text(r, VALUE_CHARS, 1, 12);
    c.headers = {};
    for (let n = Math.floor(r() * 3); n > 0; n--) c.headers[`x-oss-meta-${text(r, NAME_CHARS, 1, 6)}`] = text(r, [...'abc 019-_.'], 1, 10).trim() || 'v';
    if (c.contentType) c.headers['Content-Type'] = c.contentType;
  }
  return c;
}

/** The createClient options of a seeded case (without the module and the clock). */
export function caseClientOptions(c, version) {
  return {
    region: 'oss-cn-hangzhou', bucket: 'examplebucket', signatureVersion: version,
    credentials: { AccessKeyId: 'ak', AccessKeySecret: 'sk', SecurityToken: c.token, Expiration: c.token ? '2100-01-01T00:00:00Z' : undefined },
  };
}

/** The signatureUrl options of a seeded case. */
export function caseURLOptions(c, version) {
  if (version === 'v1') {
    return { method: c.method, expires: c.expires, 'Content-Type': c.contentType, subResource: c.subResource, process: c.process, response: c.response, trafficLimit: c.trafficLimit };
  }
  return { method: c.method, expires: c.expires, headers: c.headers, queries: c.queries };
}
