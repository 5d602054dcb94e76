// The wasm module, loaded in Node through the ESM build, signs the spec's vectors
// (shared/spec/oss-signing.md §6): the same bytes as the Go signer and the official SDKs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ossign, staticClient } from './helpers.mjs';
import { ak, hangzhou, v4QueryCases, v4QueryOptions, v1Q2, v4H1 } from './cases.mjs';

for (const c of v4QueryCases) {
  test(c.id, async () => {
    const client = await staticClient({ ...hangzhou, credentials: c.creds }, c.unix * 1000);
    try {
      const p = client.presign('1234+-/123/1.txt', v4QueryOptions(c));
      const url = new URL(p.url);
      assert.equal(url.pathname, '/1234%2B-/123/1.txt');
      assert.equal(url.searchParams.get('x-oss-signature'), c.signature, 'stage: signature');
      assert.equal(url.searchParams.get('x-oss-expires'), '599');
      assert.equal(p.explanation.signature, c.signature);
      assert.equal(p.headers['Content-Type'], 'application/octet-stream', 'the headers to send include the signed type');
      assert.equal(p.expiresAt.getTime(), (c.unix + 599) * 1000);
    } finally {
      client.close();
    }
  });
}

test('V1-Q2 with security token', async () => {
  const client = await staticClient(v1Q2.options, v1Q2.now);
  try {
    assert.equal(client.signatureUrl(v1Q2.key, v1Q2.opts), v1Q2.url);
  } finally {
    client.close();
  }
});

test('V4-H1 header form', async () => {
  const client = await staticClient(v4H1.options, v4H1.now);
  try {
    const r = client.signRequest(v4H1.request);
    assert.equal(r.headers.Authorization, v4H1.authorization);
    assert.equal(r.headers['x-oss-date'], '20231216T162057Z');
  } finally {
    client.close();
  }
});

test('PostObject-V4', async () => {
  const client = await staticClient({ region: 'cn-hangzhou', bucket: 'examplebucket', credentials: ak }, Date.UTC(2023, 11, 3, 12, 12, 12));
  try {
    const form = client.postObjectFields({ keyPrefix: 'users/42/', contentLengthRange: [1, 1024], expires: 2868 });
    const policy = JSON.parse(Buffer.from(form.fields.policy, 'base64').toString());
    assert.equal(policy.expiration, '2023-12-03T13:00:00.000Z');
    assert.deepEqual(policy.conditions.slice(0, 4), [
      { bucket: 'examplebucket' },
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'ak/20231203/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20231203T121212Z' },
    ]);
    assert.equal(form.fields['x-oss-credential'], 'ak/20231203/cn-hangzhou/oss/aliyun_v4_request');
    assert.match(form.fields['x-oss-signature'], /^[0-9a-f]{64}$/);
    assert.equal(form.url, 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
  } finally {
    client.close();
  }
});

test('errors carry a code and no secret', async () => {
  const secret = 'SECRET-never-in-messages';
  const client = await staticClient({ ...hangzhou, credentials: { AccessKeyId: 'STS.x', AccessKeySecret: secret, SecurityToken: 'tok', Expiration: '2023-12-17T03:00:00Z' } }, 1702781677 * 1000);
  try {
    assert.throws(() => client.signatureUrl('/leading-slash'), (e) => e instanceof ossign.OssignError && e.code === 'InvalidObjectName' && !e.message.includes(secret));
    assert.throws(() => client.signatureUrl('k', { method: 'PATCH' }), { code: 'InvalidMethod' });
    assert.throws(() => client.signatureUrl('k', { expires: 604801 }), { code: 'InvalidExpiry' });
    const p = client.presign('k', { expires: 3600 });
    assert.equal(p.clamped, true, 'clamped to the token expiry');
    assert.equal(p.expiresAt.toISOString(), '2023-12-17T03:00:00.000Z');
  } finally {
    client.close();
  }
  await assert.rejects(
    ossign.createClient({ wasmModule: (await import('./helpers.mjs')).wasmModule, region: 'CN', credentials: ak }),
    { code: 'InvalidRegion' },
  );
});

test('clients sharing the module keep their credentials apart', async () => {
  const now = 1702781677 * 1000;
  const a = await staticClient({ ...hangzhou, credentials: { AccessKeyId: 'ak-a', AccessKeySecret: 'sk-a' } }, now);
  const b = await staticClient({ ...hangzhou, credentials: { AccessKeyId: 'ak-b', AccessKeySecret: 'sk-b' } }, now);
  try {
    assert.match(a.signatureUrl('k'), /x-oss-credential=ak-a%2F/);
    assert.match(b.signatureUrl('k'), /x-oss-credential=ak-b%2F/);
    b.close();
    assert.throws(() => b.signatureUrl('k'), { code: 'ClientClosed' });
    assert.match(a.signatureUrl('k'), /x-oss-credential=ak-a%2F/);
  } finally {
    a.close();
  }
});

test('the syscall/js path signs what the fast path signs, NUL included', async () => {
  const client = await staticClient({ ...hangzhou, credentials: ak }, 1702781677 * 1000);
  try {
    const fields = ['PUT', 'bucket', 'a b+c', '60000', '1', '', '1', 'Content-Type', 'text/plain', '1', 'versionId', 'v', '0', '0'];
    assert.deepEqual(client.module.signSlow(1, client.id, 1702781677000, fields), client.module.sign(1, client.id, 1702781677000, fields));
    const url = new URL(client.signatureUrl('a\0b'));
    assert.equal(url.pathname, '/a%00b');
    assert.match(url.searchParams.get('x-oss-signature'), /^[0-9a-f]{64}$/);
  } finally {
    client.close();
  }
});

test('secure: false signs for http', async () => {
  const client = await staticClient({ region: 'cn-hangzhou', bucket: 'examplebucket', secure: false, credentials: ak }, 1702781677 * 1000);
  try {
    assert.match(client.signatureUrl('k'), /^http:\/\/examplebucket\.oss-cn-hangzhou\.aliyuncs\.com\/k\?/);
  } finally {
    client.close();
  }
});

test('a wrong argument is an error, and the module keeps working', async () => {
  const client = await staticClient({ ...hangzhou, credentials: ak }, 1702781677 * 1000);
  try {
    assert.throws(() => client.diagnose(undefined, 'x'), { code: 'InvalidArgument' });
    assert.throws(() => client.module.call('setCredentials', client.id, ak, 'not a number'), { code: 'InvalidArgument' });
    assert.throws(() => client.signatureUrl('k', { expires: 0 }), { code: 'InvalidExpiry' });
    assert.throws(() => client.signatureUrl('k', { expires: -1 }), { code: 'InvalidExpiry' });
    assert.match(client.signatureUrl('k'), /x-oss-signature=/);
  } finally {
    client.close();
  }
});

test('headers and queries may be Headers, Map or URLSearchParams', async () => {
  const client = await staticClient({ ...hangzhou, credentials: ak }, 1702781677 * 1000);
  try {
    const plain = client.signRequest({ key: 'k', headers: { 'Content-Type': 'text/plain', 'x-oss-meta-a': '1' }, query: { versionId: 'v' } });
    const fromHeaders = client.signRequest({ key: 'k', headers: new Headers({ 'Content-Type': 'text/plain', 'x-oss-meta-a': '1' }), query: new URLSearchParams({ versionId: 'v' }) });
    assert.equal(fromHeaders.headers.Authorization, plain.headers.Authorization);
    const viaMap = client.signatureUrl('k', { headers: new Map([['Content-Type', 'text/plain']]) });
    assert.equal(viaMap, client.signatureUrl('k', { 'Content-Type': 'text/plain' }));
  } finally {
    client.close();
  }
});

test('static STS credentials without an expiry sign, are never clamped, and say so', async () => {
  const now = Date.UTC(2026, 10, 29);
  const client = await staticClient({ ...hangzhou, credentials: { accessKeyId: 'STS.ak', accessKeySecret: 'sk', stsToken: 'tok' } }, now);
  try {
    const p = client.presign('k', { expires: 7 * 86400 });
    assert.equal(p.clamped, false);
    assert.equal(p.expiresAt.getTime(), now + 7 * 86400 * 1000);
    assert.equal(new URL(p.url).searchParams.get('x-oss-security-token'), 'tok');
    const status = client.credentialStatus();
    assert.deepEqual({ expires: status.expires, expiration: status.expiration, refreshDue: status.refreshDue, expired: status.expired },
      { expires: false, expiration: 0, refreshDue: false, expired: false });
  } finally {
    client.close();
  }
});

test('keys a browser cannot address are refused before any request, with the way out', async () => {
  const client = await staticClient({ ...hangzhou, credentials: ak }, Date.UTC(2026, 10, 29));
  const slashSafeOff = await staticClient({ ...hangzhou, credentials: ak, slashSafe: false }, Date.UTC(2026, 10, 29));
  try {
    for (const key of ['a/./b.txt', 'a/../b.txt', 'a/..', './x']) {
      assert.throws(() => client.presign(key), (err) => err.code === 'InvalidObjectName' && /slashSafe: false/.test(err.message), key);
      assert.throws(() => client.signRequest({ key }), { code: 'InvalidObjectName' }, key);
      assert.ok(new URL(slashSafeOff.presign(key).url).pathname.includes('%2F'), `${key} is addressable with slashSafe: false`);
      assert.ok(client.presign(key, { slashSafe: false }).url, 'per call as well');
    }
    for (const key of ['.', '..']) {
      assert.throws(() => slashSafeOff.presign(key), (err) => err.code === 'InvalidObjectName' && !/slashSafe/.test(err.message), key);
    }
    for (const key of ['a..b', '...', 'a/.hidden', '.../x', 'a/b.']) assert.ok(client.presign(key).url, key);
  } finally {
    client.close();
    slashSafeOff.close();
  }
});

test('explanations show the security token as <redacted>, and diagnose still compares', async () => {
  const token = 'CAIS+secret/token==';
  const client = await staticClient({ ...hangzhou, credentials: { ...ak, SecurityToken: token, Expiration: '2030-01-01T00:00:00Z' } }, Date.UTC(2026, 10, 29));
  try {
    for (const signed of [client.presign('k', { explain: true }), client.signRequest({ key: 'k', explain: true })]) {
      const x = signed.explanation;
      assert.ok(!JSON.stringify(x).includes(token) && !JSON.stringify(x).includes(encodeURIComponent(token)), 'no token');
      assert.match(x.canonicalRequest, /security-token[:=]<redacted>/);
      const theirs = x.canonicalRequest.replace('<redacted>', token);
      const same = client.diagnose(x, x.stringToSign, theirs);
      assert.equal(same.differences.length, 0, 'OSS\'s strings, token included, match the redacted explanation');
    }
  } finally {
    client.close();
  }
});
