// Transfers that pick up where a lost answer left them, with the fake OSS (fakeoss.mjs):
// downloads resume by Range from the bytes already here (every `as` form, the stream too), guard
// against the object changing with If-Match and check the whole object's CRC-64; a retried
// InitiateMultipartUpload leaves no upload behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ossign, fakeClient, nthFails, FAKE_NOW } from './helpers.mjs';
import { reply, bytesOf, crc64 } from './fakeoss.mjs';

const KIB = 1024;

/** The bytes of a download's body in any form. */
async function bytesOfBody(body) {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** A fault that cuts the first n GETs of key after cut(i) body bytes (i from 0). */
function cutGets(key, n, cut) {
  let seen = 0;
  return (e) => (e.method === 'GET' && e.key === key && seen < n ? { cutAfter: cut(seen++) } : undefined);
}

for (const as of ['blob', 'text', 'arraybuffer', 'stream']) {
  test(`get as ${as}: a dropped connection resumes by Range with If-Match, progress goes on, the CRC-64 is checked`, async () => {
    const { oss, client } = await fakeClient();
    const data = as === 'text' ? new TextEncoder().encode('x'.repeat(40 * KIB)) : bytesOf(40 * KIB, 3);
    await client.put('big.bin', data);
    oss.faults.push(cutGets('big.bin', 2, (i) => [10 * KIB, 5 * KIB][i]));
    const events = [];
    const got = await client.get('big.bin', { as, onProgress: (e) => events.push(e) });
    const body = as === 'text' ? new TextEncoder().encode(got.body) : await bytesOfBody(got.body);
    assert.deepEqual(body, data, 'the bytes, once each');
    assert.equal(got.crc64, crc64(data));
    const gets = oss.log.filter((e) => e.method === 'GET');
    assert.deepEqual(gets.map((e) => e.headers.Range), [undefined, `bytes=${10 * KIB}-`, `bytes=${15 * KIB}-`]);
    assert.deepEqual(gets.map((e) => e.headers['If-Match']), [undefined, got.etag && `"${got.etag}"`, got.etag && `"${got.etag}"`]);
    for (let i = 1; i < events.length; i++) assert.ok(events[i].loaded > events[i - 1].loaded, 'progress only goes up');
    assert.deepEqual(events.at(-1), { loaded: data.length, total: data.length });
    client.close();
  });
}

test('get: a resumed download whose bytes went wrong fails the CRC-64 check, in a stream too', async () => {
  const { oss, client } = await fakeClient();
  const data = bytesOf(20 * KIB, 4);
  await client.put('crc.bin', data);
  oss.faults.push(cutGets('crc.bin', 1, () => 8 * KIB));
  // The second answer carries other bytes (a faulty proxy): the whole object's CRC cannot match.
  let gets = 0;
  oss.faults.push((e) => (e.method === 'GET' && ++gets === 2 ? reply(206, { ETag: e.headers['If-Match'], 'Content-Length': String(12 * KIB) }, bytesOf(12 * KIB, 9)) : undefined));
  await assert.rejects(client.get('crc.bin'), { code: 'CRC64Mismatch' });
  gets = 0;
  oss.faults.splice(0, 1, cutGets('crc.bin', 1, () => 8 * KIB));
  const { body } = await client.get('crc.bin', { as: 'stream' });
  await assert.rejects(bytesOfBody(body), { code: 'CRC64Mismatch' });
  client.close();
});

test('get: the object replaced between attempts is ObjectChanged (OSS answered 412), not a mix of two versions', async () => {
  const { oss, client } = await fakeClient();
  await client.put('changing.bin', bytesOf(30 * KIB, 1));
  oss.faults.push((e) => {
    if (e.method !== 'GET') return undefined;
    if (!e.headers.Range) return { cutAfter: 12 * KIB };
    oss.objects.set('changing.bin', { data: bytesOf(30 * KIB, 2), type: 'application/octet-stream' }); // replaced meanwhile
    return undefined;
  });
  await assert.rejects(client.get('changing.bin'), (err) => err.code === 'ObjectChanged' && err.cause?.code === 'PreconditionFailed' && /download it again/.test(err.message));
  client.close();
});

test('get with a range resumes within it; retries are bounded; an image process is not resumed', async () => {
  const { oss, client } = await fakeClient();
  const data = bytesOf(50 * KIB, 5);
  await client.put('r.bin', data);
  oss.faults.push(cutGets('r.bin', 1, () => 3 * KIB));
  const part = await client.get('r.bin', { range: [10 * KIB, 20 * KIB - 1], as: 'arraybuffer' });
  assert.deepEqual(new Uint8Array(part.body), data.subarray(10 * KIB, 20 * KIB));
  assert.equal(oss.log.at(-1).headers.Range, `bytes=${13 * KIB}-${20 * KIB - 1}`);

  oss.faults.push(cutGets('r.bin', 100, () => 1 * KIB));
  const before = oss.log.length;
  await assert.rejects(client.get('r.bin', { retry: { retries: 3, baseDelay: 1, maxDelay: 2 } }), { code: 'NetworkError' });
  assert.deepEqual(oss.log.slice(before).map((e) => e.headers.Range), [undefined, 'bytes=1024-', 'bytes=2048-', 'bytes=3072-'], 'three resumes, each from the bytes here');
  oss.faults.length = 0;

  oss.faults.push(cutGets('r.bin', 1, () => 1 * KIB));
  await assert.rejects(client.get('r.bin', { process: 'image/info' }), { code: 'NetworkError' });
  client.close();
});

test('getWithURL resumes too, and keeps a renewed URL for the resumed request', async () => {
  const { oss, client } = await fakeClient();
  const data = bytesOf(30 * KIB, 6);
  await client.put('u.bin', data);
  oss.faults.push((e) => (e.query.v === 'old' ? reply(403, {}, '<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>') : undefined));
  oss.faults.push(cutGets('u.bin', 1, () => 7 * KIB));
  const got = await ossign.getWithURL('http://127.0.0.1:9/bucket/u.bin?v=old', {
    transport: oss.transport, as: 'arraybuffer', renew: async () => 'http://127.0.0.1:9/bucket/u.bin?v=new',
  });
  assert.deepEqual(new Uint8Array(got.body), data);
  assert.deepEqual(oss.log.filter((e) => e.method === 'GET').map((e) => [e.query.v, e.headers.Range]), [['old', undefined], ['new', undefined], ['new', `bytes=${7 * KIB}-`]]);
  client.close();
});

test('a retried InitiateMultipartUpload: the upload its lost answer started is aborted, others of the key are not', async () => {
  const { oss, client } = await fakeClient();
  // An upload of the same key begun an hour ago, by another client: not ours to abort.
  oss.uploads.set('EARLIER', { key: 'same.bin', parts: new Map(), initiated: FAKE_NOW - 3600_000 });
  let clock = FAKE_NOW;
  oss.now = () => (clock += 5);
  oss.faults.push(nthFails(1, (e) => (e.method === 'POST' && 'uploads' in e.query ? 'lost' : undefined)));
  const res = await client.multipartUpload('same.bin', bytesOf(250 * KIB, 2), { partSize: 100 * KIB });
  assert.equal(res.parts, 3);
  assert.deepEqual([...oss.uploads.keys()], ['EARLIER'], 'the lost attempt\'s upload is gone, the earlier one stays');
  const listed = oss.log.filter((e) => e.method === 'GET' && 'uploads' in e.query);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].query.prefix, 'same.bin');
  assert.equal(oss.requests('abort').length, 1);

  const before = oss.log.length;
  await client.multipartUpload('plain.bin', bytesOf(150 * KIB, 3), { partSize: 100 * KIB });
  assert.ok(!oss.log.slice(before).some((e) => e.method === 'GET' && 'uploads' in e.query), 'an Initiate answered at once lists nothing');
  client.close();
});
