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
import { SEED, CASES, randomCase, caseClientOptions, caseURLOptions, rng, pick, text, randomKey, NAME_CHARS } from './cases.mjs';

const OSS = createRequire(import.meta.url)('ali-oss');

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

async function ours(c, version) {
  const client = await ossign.createClient({ wasmModule, now: () => c.now, ...caseClientOptions(c, version) });
  try {
    return client.signatureUrl(c.key, caseURLOptions(c, version));
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
      const c = randomCase(i, version);
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
