// The transfer engine's decisions with a fake OSS (fakeoss.mjs) and instant timers: retries and
// backoff, re-signing with refreshed credentials or a corrected clock, errors that fail at once,
// CRC-64 checks, multipart parallelism, cancel, resume, progress, and transfers through URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ossign, fakeClient, nthFails, FAKE_NOW } from './helpers.mjs';
import { FakeOSS, ossError, reply, instantTimers, bytesOf, crc64 } from './fakeoss.mjs';

const NOW = FAKE_NOW;
const KIB = 1024;

function tokenOf(entry) {
  return entry.headers['x-oss-security-token'];
}

test('put retries 503 and lost connections with backoff, re-signing and re-sending the whole body', async () => {
  const { oss, timers, client } = await fakeClient();
  const data = bytesOf(3000);
  let calls = 0;
  oss.faults.push(() => {
    calls++;
    if (calls === 1) return ossError(503, 'ServiceUnavailable', 'busy');
    if (calls === 2) return 'network';
    if (calls === 3) return reply(429);
    return undefined;
  });
  const events = [];
  const result = await client.put('a/b.bin', data, { onProgress: (e) => events.push(e) });
  assert.equal(result.size, 3000);
  assert.equal(result.crc64, crc64(data));
  const puts = oss.requests('put');
  assert.equal(puts.length, 4);
  assert.ok(puts.every((p) => p.size === 3000), 'every attempt sent every byte');
  assert.deepEqual(new Set(puts.map((p) => p.headers.Authorization)).size, 1, 'same clock, same credentials: same signature');
  const backoffs = timers.delays.filter((d) => d <= 60_000);
  assert.equal(backoffs.length, 3);
  backoffs.forEach((d, i) => assert.ok(d >= 150 * 2 ** i && d <= 300 * 2 ** i, `delay ${i} = ${d} within [half, full] of ${300 * 2 ** i}`));
  assert.deepEqual(events.at(-1), { loaded: 3000, total: 3000 });
  for (let i = 1; i < events.length; i++) assert.ok(events[i].loaded > events[i - 1].loaded, 'progress only goes up');
  assert.equal(oss.objects.get('a/b.bin').type, 'application/octet-stream');
  client.close();
});

test('retries are bounded: the last network error is reported', async () => {
  const { oss, client } = await fakeClient();
  oss.faults.push(() => 'network');
  await assert.rejects(client.put('k', 'x', { retry: { retries: 2 } }), { code: 'NetworkError' });
  assert.equal(oss.requests('put').length, 3);
  client.close();
});

test('an expired token is refreshed once and the request re-signed with the new one', async () => {
  const { oss, vended, client } = await fakeClient();
  oss.faults.push((e) => (tokenOf(e) === 'token-1' ? ossError(403, 'SecurityTokenExpired', 'The security token you provided has expired.') : undefined));
  await Promise.all([client.put('one', 'x'), client.put('two', 'y')]);
  assert.deepEqual(vended, ['token-1', 'token-2'], 'two requests that saw the same expired token share one refresh');
  assert.deepEqual(oss.requests('put').map(tokenOf).sort(), ['token-1', 'token-1', 'token-2', 'token-2']);
  client.close();
});

test('RequestTimeTooSkewed sets the clock from ServerTime and the retry is signed at server time', async () => {
  const { oss, client } = await fakeClient();
  const serverTime = new Date(NOW - 20 * 60_000);
  oss.faults.push((e) => (e.headers['x-oss-date'] === '20261129T100000Z'
    ? ossError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { RequestTime: '20261129T100000Z', ServerTime: serverTime.toISOString() })
    : undefined));
  await client.put('skewed', 'x');
  const dates = oss.requests('put').map((e) => e.headers['x-oss-date']);
  assert.deepEqual(dates, ['20261129T100000Z', '20261129T094000Z']);
  assert.equal(client.clockOffset, -20 * 60_000);
  client.close();
});

test('errors retrying cannot fix fail at once with OSS code, status and request id', async () => {
  const { oss, client } = await fakeClient();
  oss.faults.push(() => ossError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.', { EC: '0003-00000001' }));
  await assert.rejects(client.put('denied', 'x'), (err) => {
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.status, 403);
    assert.equal(err.requestId, 'ERRREQ');
    assert.equal(err.ec, '0003-00000001');
    assert.match(err.message, /PUT denied: OSS answered HTTP 403 AccessDenied/);
    return true;
  });
  assert.equal(oss.requests('put').length, 1);
  client.close();
});

test('SignatureDoesNotMatch carries the diagnosis, without the token', async () => {
  const { oss, client } = await fakeClient();
  oss.faults.push(() => ossError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', {
    StringToSign: 'OSS4-HMAC-SHA256\n20261129T100000Z\n20261129/cn-hangzhou/oss/aliyun_v4_request\n0000',
    CanonicalRequest: 'PUT\n/bucket/sig\n\ncontent-type:text/html\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20261129T100000Z\nx-oss-security-token:token-1\n\n\nUNSIGNED-PAYLOAD',
  }));
  await assert.rejects(client.put('sig', 'x', { contentType: 'text/plain' }), (err) => {
    assert.equal(err.code, 'SignatureDoesNotMatch');
    assert.ok(err.diagnosis.differences.length > 0, 'the diagnosis names what differs');
    assert.ok(err.diagnosis.differences.some((d) => /content-type/i.test(d.ours + d.theirs + d.part)));
    assert.doesNotMatch(JSON.stringify({ ...err, message: err.message }), /token-1/);
    return true;
  });
  client.close();
});

test('a CRC-64 that differs fails the upload and names the part; a hidden one names the CORS rule', async () => {
  const { oss, client } = await fakeClient();
  oss.faults.push((e) => (e.key === 'corrupt' ? reply(200, { ETag: '"E"', 'x-oss-hash-crc64ecma': '12345' }) : undefined));
  await assert.rejects(client.put('corrupt', 'data'), { code: 'CRC64Mismatch', crc64: '12345' });
  oss.hidden.add('x-oss-hash-crc64ecma');
  await assert.rejects(client.put('hidden', 'data'), (err) => err.code === 'CORSHeaderHidden' && /ExposeHeader ETag, x-oss-request-id, x-oss-hash-crc64ecma/.test(err.message));
  const ok = await client.put('unchecked', 'data', { crc64: false });
  assert.equal(ok.crc64, null);
  client.close();
});

test('multipart: parts in parallel, monotonic progress ending at the size, the object assembled in order', async () => {
  const { oss, client } = await fakeClient();
  const data = bytesOf(5 * 100 * KIB + 123);
  const events = [];
  const result = await client.multipartUpload('big.bin', new Blob([data], { type: 'application/x-test' }), { partSize: 100 * KIB, parallel: 2, onProgress: (e) => events.push(e.loaded) });
  assert.equal(result.parts, 6);
  assert.equal(result.crc64, crc64(data), 'the parts combine into the object CRC');
  assert.deepEqual(oss.objects.get('big.bin').data, data);
  assert.equal(oss.objects.get('big.bin').type, 'application/x-test');
  assert.ok(oss.maxInflight <= 2, `at most 2 requests at once (saw ${oss.maxInflight})`);
  assert.deepEqual(oss.requests('part').map((p) => p.size).sort((a, b) => a - b), [123, ...Array(5).fill(100 * KIB)]);
  assert.equal(events.at(-1), data.length);
  for (let i = 1; i < events.length; i++) assert.ok(events[i] > events[i - 1]);
  assert.equal(oss.uploads.size, 0);
  client.close();
});

test('multipart: a part that fails for good stops the others and aborts the upload', async () => {
  const { oss, client } = await fakeClient();
  oss.faults.push((e) => (e.query.partNumber === '2' ? ossError(403, 'AccessDenied', 'no') : undefined));
  await assert.rejects(client.multipartUpload('fail.bin', bytesOf(400 * KIB), { partSize: 100 * KIB }), { code: 'AccessDenied' });
  assert.equal(oss.requests('abort').length, 1);
  assert.equal(oss.uploads.size, 0, 'no open upload is left');
  assert.ok(!oss.objects.has('fail.bin'));
  client.close();
});

test('multipart: cancel rejects with the reason, aborts the upload and leaves other uploads alone', async () => {
  const { oss, client } = await fakeClient();
  const controller = new AbortController();
  oss.faults.push((e) => {
    if (e.key === 'cancel.bin' && e.query.partNumber === '2') controller.abort(new Error('user cancelled'));
  });
  const other = client.multipartUpload('other.bin', bytesOf(300 * KIB, 2), { partSize: 100 * KIB });
  await assert.rejects(client.multipartUpload('cancel.bin', bytesOf(500 * KIB), { partSize: 100 * KIB, signal: controller.signal }), { message: 'user cancelled' });
  assert.equal((await other).parts, 3);
  assert.ok(!oss.objects.has('cancel.bin'));
  assert.ok(oss.objects.has('other.bin'));
  assert.equal(oss.uploads.size, 0);
  client.close();
});

test('resume: a failed resumable upload keeps its checkpoint; the next run sends only the missing parts', async () => {
  const { oss, client } = await fakeClient();
  const file = new File([bytesOf(5 * 100 * KIB, 3)], 'movie.bin', { lastModified: NOW });
  let failing = true;
  oss.faults.push((e) => (failing && e.query.partNumber === '4' ? ossError(403, 'AccessDenied', 'not now') : undefined));
  await assert.rejects(client.multipartUpload('resume.bin', file, { partSize: 100 * KIB, parallel: 1, resume: true }), { code: 'AccessDenied' });
  assert.equal(oss.uploads.size, 1, 'a resumable upload stays open');
  const pending = await client.pendingUploads();
  assert.equal(pending.length, 1);
  assert.equal(pending[0].name, 'movie.bin');
  assert.equal(pending[0].partsUploaded, 3);
  assert.equal(pending[0].bytesUploaded, 300 * KIB);

  failing = false;
  const sentBefore = oss.requests('part').length;
  const events = [];
  const result = await client.multipartUpload('resume.bin', file, { partSize: 100 * KIB, resume: true, onProgress: (e) => events.push(e.loaded) });
  assert.equal(result.resumedParts, 3);
  assert.deepEqual(oss.requests('part').slice(sentBefore).map((e) => e.query.partNumber).sort(), ['4', '5']);
  assert.equal(events[0] >= 300 * KIB, true, 'progress starts from what was already uploaded');
  assert.deepEqual(oss.objects.get('resume.bin').data, new Uint8Array(await file.arrayBuffer()));
  assert.deepEqual(await client.pendingUploads(), [], 'the checkpoint is gone once complete');
  client.close();
});

test('resume: parts OSS has but the checkpoint lost are kept when their CRC-64 matches; others are sent again', async () => {
  const { oss, client } = await fakeClient();
  const file = new File([bytesOf(4 * 100 * KIB, 4)], 'lost.bin', { lastModified: NOW });
  const saved = [];
  const store = {
    map: new Map(),
    async get(id) { return this.map.get(id); },
    async put(cp) { saved.push(cp.parts.length); this.map.set(cp.id, { ...cp, parts: cp.parts.slice(0, 1) }); }, // loses all but the first part
    async delete(id) { this.map.delete(id); },
    async list() { return [...this.map.values()]; },
  };
  oss.faults.push((e) => (e.query.partNumber === '4' && saved.length < 5 ? ossError(403, 'AccessDenied', 'later') : undefined));
  await assert.rejects(client.multipartUpload('lost.bin', file, { partSize: 100 * KIB, parallel: 1, resume: true, checkpoint: store }));
  const up = [...oss.uploads.values()][0];
  up.parts.set(2, bytesOf(100 * KIB, 99)); // part 2 on OSS no longer matches the file
  const before = oss.requests('part').length;
  await client.multipartUpload('lost.bin', file, { partSize: 100 * KIB, resume: true, checkpoint: store });
  assert.deepEqual(oss.requests('part').slice(before).map((e) => e.query.partNumber).sort(), ['2', '4']);
  assert.deepEqual(oss.objects.get('lost.bin').data, new Uint8Array(await file.arrayBuffer()));
  client.close();
});

test('a lost CompleteMultipartUpload answer: the retry finds the upload gone and the object ours', async () => {
  const { oss, client } = await fakeClient();
  const data = bytesOf(200 * KIB + 5);
  let completes = 0;
  oss.faults.push((e) => {
    if (e.method !== 'POST' || !('uploadId' in e.query) || ++completes > 1) return undefined;
    oss.handle(e); // OSS completes it, then the connection drops
    return 'network';
  });
  const result = await client.multipartUpload('lost-answer.bin', data, { partSize: 100 * KIB });
  assert.equal(result.crc64, crc64(data));
  assert.equal(oss.requests('complete').length, 2);
  client.close();
});

test('a bucket that hides ETag fails a multipart upload with the CORS rule to add', async () => {
  const { oss, client } = await fakeClient();
  oss.hidden.add('ETag');
  await assert.rejects(client.multipartUpload('etag.bin', bytesOf(200 * KIB), { partSize: 100 * KIB }), (err) =>
    err.code === 'CORSHeaderHidden' && /ETag header/.test(err.message) && /ExposeHeader ETag/.test(err.message));
  assert.equal(oss.uploads.size, 0);
  client.close();
});

test('upload picks put below the threshold and multipart above', async () => {
  const { oss, client } = await fakeClient();
  await client.upload('small', bytesOf(1000), { multipartThreshold: 150 * KIB });
  await client.upload('large', bytesOf(300 * KIB), { multipartThreshold: 150 * KIB, partSize: 100 * KIB });
  assert.deepEqual(oss.requests('put').map((e) => e.key), ['small']);
  assert.equal(oss.requests('part').length, 3);
  client.close();
});

test('server bodies: a Buffer, a Node Readable, an async iterable, a web stream and a file-backed Blob upload their bytes; other values are refused', async () => {
  const { Readable } = await import('node:stream');
  const { openAsBlob } = await import('node:fs');
  const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { oss, client } = await fakeClient();
  const data = bytesOf(300 * KIB + 7);
  const dir = await mkdtemp(join(tmpdir(), 'ossign-bodies-'));
  try {
    await writeFile(join(dir, 'file.bin'), data);
    const chunks = [data.subarray(0, 1000), data.subarray(1000)];
    const bodies = {
      buffer: () => Buffer.from(data),
      'node readable': () => Readable.from(chunks),
      'async generator': () => (async function* () { yield* chunks; })(),
      'web stream': () => new Blob([data]).stream(),
      'fs.openAsBlob': () => openAsBlob(join(dir, 'file.bin')),
    };
    for (const [name, body] of Object.entries(bodies)) {
      const result = await client.put(`put/${name}`, await body());
      assert.equal(result.size, data.length, name);
      assert.deepEqual(oss.objects.get(`put/${name}`).data, data, `${name}: put`);
      const parts = await client.multipartUpload(`multipart/${name}`, await body(), { partSize: 100 * KIB });
      assert.equal(parts.parts, 4, name);
      assert.deepEqual(oss.objects.get(`multipart/${name}`).data, data, `${name}: multipartUpload`);
    }
    for (const bad of [42, { not: 'a body' }, null]) {
      await assert.rejects(client.put('bad', bad), { code: 'InvalidArgument' }, String(bad));
    }
    assert.equal(oss.objects.has('bad'), false);
  } finally {
    client.close();
    await rm(dir, { recursive: true });
  }
});

test('get, head, list and delete', async () => {
  const { oss, client } = await fakeClient();
  await client.put('dir/a b+c.txt', 'hello', { contentType: 'text/plain', meta: { owner: 'me' } });
  await client.put('dir/中.txt', 'world');
  const got = await client.get('dir/a b+c.txt', { as: 'text' });
  assert.equal(got.body, 'hello');
  assert.equal(got.contentType, 'text/plain');
  assert.equal(got.crc64, crc64(new TextEncoder().encode('hello')));
  const head = await client.head('dir/中.txt');
  assert.equal(head.size, 5);
  assert.equal(head.contentType, 'text/plain', 'the type comes from the extension');
  const listing = await client.list({ prefix: 'dir/' });
  assert.deepEqual(listing.objects.map((o) => o.key), ['dir/a b+c.txt', 'dir/中.txt']);
  assert.equal(oss.log.at(-1).query['encoding-type'], 'url');
  await client.delete('dir/中.txt');
  await assert.rejects(client.head('dir/中.txt'), { code: 'NoSuchKey', status: 404 });
  oss.faults.push((e) => (e.method === 'GET' && e.key === 'dir/a b+c.txt' ? reply(200, { 'x-oss-hash-crc64ecma': '1' }, 'hellO') : undefined));
  await assert.rejects(client.get('dir/a b+c.txt'), { code: 'CRC64Mismatch' });
  assert.equal((await client.get('dir/a b+c.txt', { range: [0, 2], as: 'text' })).body, 'hellO', 'a range is not checked against the whole object\'s CRC');
  client.close();
});

test('putWithURL needs no client: retries, renews an expired URL, sends the signed headers', async () => {
  const oss = new FakeOSS();
  const timers = instantTimers();
  let renewed = 0;
  oss.faults.push(nthFails(1, () => ossError(503, 'ServiceUnavailable', 'busy')));
  oss.faults.push((e) => (e.query.v === 'old' ? ossError(403, 'AccessDenied', 'Request has expired.') : undefined));
  const target = { URL: 'http://127.0.0.1:9/bucket/users/1/x.png?v=old', Method: 'PUT', Headers: { 'Content-Type': 'image/png', 'Content-Length': '4' } };
  const result = await ossign.putWithURL(target, new Uint8Array([1, 2, 3, 4]), {
    transport: oss.transport, timers, renew: async () => { renewed++; return { ...target, URL: target.URL.replace('old', 'new') }; },
  });
  assert.equal(result.size, 4);
  assert.equal(renewed, 1);
  const puts = oss.requests('put');
  assert.deepEqual(puts.map((e) => e.query.v), ['old', 'old', 'new']);
  assert.equal(puts[2].headers['Content-Type'], 'image/png');
  assert.equal(oss.objects.get('users/1/x.png').type, 'image/png');
  const down = await ossign.getWithURL('http://127.0.0.1:9/bucket/users/1/x.png?v=new', { transport: oss.transport, as: 'arraybuffer' });
  assert.deepEqual(new Uint8Array(down.body), new Uint8Array([1, 2, 3, 4]));
});
