// Differential test against ali-oss 6.23 (the npm package) with the clock pinned: seeded random
// presigned URLs, V1 and V4, must carry the same signature, path and query parameters (compared
// as decoded path plus parsed query maps: the parameters' order differs, which OSS ignores).
//
// Known ali-oss divergences, excluded on purpose (shared/spec/oss-signing.md §9):
//   - empty query values: ali-oss signs `name=` for '' but a bare `name` for null (the official
//     Go SDK's form); empty values are passed to ali-oss as null.
//   - ali-oss sorts V4 query names with localeCompare, the Go SDK byte-wise; they agree only when
//     names use [0-9a-z-], so generated V4 names do.
//   - ali-oss V1 signatureUrl has no general query option: V1 cases use its subResource,
//     response, process and trafficLimit options, all signed.
//   - ali-oss strips a leading '/' from V1 keys (invalid for ossign, not generated) and refuses
//     keys starting with '?' in signatureUrl (valid OSS keys; not generated for V1).
//   - keys with "." or ".." path segments, which browsers rewrite, ossign refuses (not generated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ossign, wasmModule } from './helpers.mjs';

const OSS = createRequire(import.meta.url)('ali-oss');
const CASES = 500;
const SEED = 20261123;

/** mulberry32: a small seeded PRNG, so every case is reproducible from (SEED, index). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const text = (r, alphabet, min, max) => Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => pick(r, alphabet)).join('');
const KEY_CHARS = [...'abcXYZ019-_.~ +%?#=&;:@!\'()*/', '中', '文', 'é', '😀'];
const VALUE_CHARS = [...'abcXYZ019-_.~ +%?#=&;:/,', 'é', '中'];
const NAME_CHARS = [...'abcdefxyz0189-'];

function randomKey(r, version) {
  for (;;) {
    const k = text(r, KEY_CHARS, 1, 24);
    const dotSegment = k.split('/').some((s) => s === '.' || s === '..');
    if (!k.startsWith('/') && !(version === 'v1' && k.startsWith('?')) && !dotSegment) return k;
  }
}

/** Runs fn with Date pinned to ms, as ali-oss reads the clock inside its signing calls. */
async function atTime(ms, fn) {
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [ms]));
    }
    static now() {
      return ms;
    }
  }
  globalThis.Date = FixedDate;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

function normalized(u) {
  const url = new URL(u);
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return { origin: url.origin, path: decodeURIComponent(url.pathname), query };
}

function randomCase(r, version) {
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
    for (let i = Math.floor(r() * 4); i > 0; i--) c.queries[text(r, NAME_CHARS, 1, 8)] = r() < 0.3 ? null : text(r, VALUE_CHARS, 1, 12);
    c.headers = {};
    for (let i = Math.floor(r() * 3); i > 0; i--) c.headers[`x-oss-meta-${text(r, NAME_CHARS, 1, 6)}`] = text(r, [...'abc 019-_.'], 1, 10).trim() || 'v';
    if (c.contentType) c.headers['Content-Type'] = c.contentType;
  }
  return c;
}

async function ours(c, version) {
  const client = await ossign.createClient({
    wasmModule, region: 'oss-cn-hangzhou', bucket: 'examplebucket', signatureVersion: version, now: () => c.now,
    credentials: { AccessKeyId: 'ak', AccessKeySecret: 'sk', SecurityToken: c.token, Expiration: c.token ? '2100-01-01T00:00:00Z' : undefined },
  });
  try {
    if (version === 'v1') {
      return client.signatureUrl(c.key, { method: c.method, expires: c.expires, 'Content-Type': c.contentType, subResource: c.subResource, process: c.process, response: c.response, trafficLimit: c.trafficLimit });
    }
    return client.signatureUrl(c.key, { method: c.method, expires: c.expires, headers: c.headers, queries: c.queries });
  } finally {
    client.close();
  }
}

/** An ali-oss client; its advice to configure refreshSTSToken (a warning per client) is muted. */
function aliClient(options) {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return new OSS({ accessKeyId: 'ak', accessKeySecret: 'sk', region: 'oss-cn-hangzhou', bucket: 'examplebucket', secure: true, ...options });
  } finally {
    console.warn = warn;
  }
}

function theirs(c, version) {
  const client = aliClient({ stsToken: c.token });
  return atTime(c.now, () => {
    if (version === 'v1') {
      const opts = { method: c.method, expires: c.expires, subResource: c.subResource, process: c.process, response: c.response, trafficLimit: c.trafficLimit };
      if (c.contentType) opts['Content-Type'] = c.contentType;
      return client.signatureUrl(c.key, opts);
    }
    return client.signatureUrlV4(c.method, c.expires, { headers: c.headers, queries: c.queries }, c.key);
  });
}

for (const version of ['v1', 'v4']) {
  test(`ali-oss ${version} presigned URLs: same signature, path and parameters (${CASES} seeded cases)`, async () => {
    let failures = 0;
    for (let i = 0; i < CASES && failures < 3; i++) {
      const c = randomCase(rng(SEED + i), version);
      const [a, b] = [normalized(await ours(c, version)), normalized(await theirs(c, version))];
      try {
        assert.match(a.query.Signature ?? a.query['x-oss-signature'], /^[\w+/=]{20,}$/, 'a signed URL');
        assert.deepEqual(a, b);
      } catch (err) {
        failures++;
        err.message = `${version} case ${i} (seed ${SEED + i}) ${JSON.stringify(c)}\n${err.message}`;
        if (failures === 1) throw err;
      }
    }
  });
}

test('clients kept through credential rotations and UTC days sign V4 URLs as ali-oss', async () => {
  const r = rng(SEED - 1);
  const midnight = Date.UTC(2024, 1, 29);
  const moments = [midnight - 1000, midnight, midnight + 43200e3, midnight + 86400e3 - 1, midnight + 86400e3, midnight - 172800e3];
  let now = midnight;
  const clients = [];
  for (const region of ['oss-cn-hangzhou', 'oss-ap-southeast-1']) {
    const entry = { region, serial: 0 };
    entry.credentials = async () => {
      entry.serial++;
      entry.current = { AccessKeyId: `STS.${region}.${entry.serial}`, AccessKeySecret: text(r, NAME_CHARS, 8, 30), SecurityToken: `tok+/=${entry.serial}`, Expiration: '2100-01-01T00:00:00Z' };
      return entry.current;
    };
    entry.client = await ossign.createClient({ wasmModule, region, bucket: 'examplebucket', now: () => now, credentials: entry.credentials });
    clients.push(entry);
  }
  try {
    for (let i = 0; i < 80; i++) {
      const entry = pick(r, clients);
      if (r() < 0.2) await entry.client.refreshCredentials();
      now = pick(r, moments);
      const key = randomKey(r, 'v4');
      const ours = normalized(entry.client.signatureUrl(key, { method: 'GET', expires: 600 }));
      const c = entry.current;
      const ali = aliClient({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, region: entry.region });
      const theirs = normalized(await atTime(now, () => ali.signatureUrlV4('GET', 600, {}, key)));
      assert.deepEqual(ours, theirs, `step ${i}: ${entry.region}, credentials #${entry.serial}, ${new Date(now).toISOString()}, key ${JSON.stringify(key)}`);
    }
    assert.ok(clients.every((e) => e.serial > 3), 'both clients rotated their credentials');
  } finally {
    for (const e of clients) e.client.close();
  }
});
