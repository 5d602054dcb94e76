// putWithURL and getWithURL check CRC-64s with a wasm module a client has already loaded, and
// never load it for that. Its own file: node --test runs it in a fresh process, where no client
// has loaded the module yet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ossign, fakeClient } from './helpers.mjs';
import { FakeOSS, bytesOf, crc64 } from './fakeoss.mjs';

const URL = 'http://127.0.0.1:9/bucket/users/1/f.bin';

/** A fake OSS whose answers claim CRC-64 1 for every upload and download (a corrupting proxy). */
function lyingOSS() {
  const oss = new FakeOSS();
  oss.faults.push((e) => {
    const r = oss.handle(e);
    if (r.headers.has('x-oss-hash-crc64ecma')) r.headers.set('x-oss-hash-crc64ecma', '1');
    return r;
  });
  return oss;
}

test('without a loaded module the URL transfers work unchecked and load nothing; with one they check', async () => {
  const data = bytesOf(9000, 7);
  const lying = lyingOSS();
  const put = await ossign.putWithURL(URL, data, { transport: lying.transport });
  assert.equal(put.crc64, '1', 'not checked: no module is loaded');
  const got = await ossign.getWithURL(URL, { transport: lying.transport, as: 'arraybuffer' });
  assert.deepEqual(new Uint8Array(got.body), data);
  assert.equal(performance.getEntriesByName('ossign:load').length, 0, 'the transfers did not load ossign.wasm');

  const { client } = await fakeClient(); // a client loads the module
  assert.equal(performance.getEntriesByName('ossign:load').length, 1);
  await assert.rejects(ossign.putWithURL(URL, data, { transport: lying.transport }), { code: 'CRC64Mismatch' });
  await assert.rejects(ossign.getWithURL(URL, { transport: lying.transport }), { code: 'CRC64Mismatch' });
  const stream = await ossign.getWithURL(URL, { transport: lying.transport, as: 'stream' });
  await assert.rejects(new Response(stream.body).arrayBuffer(), { code: 'CRC64Mismatch' });
  assert.equal((await ossign.putWithURL(URL, data, { transport: lying.transport, crc64: false })).crc64, '1', 'crc64: false skips the check');

  const honest = new FakeOSS();
  assert.equal((await ossign.putWithURL(URL, data, { transport: honest.transport })).crc64, crc64(data));
  const back = await ossign.getWithURL(URL, { transport: honest.transport, as: 'arraybuffer' });
  assert.deepEqual(new Uint8Array(back.body), data);
  const hidden = new FakeOSS();
  hidden.hidden.add('x-oss-hash-crc64ecma');
  assert.equal((await ossign.putWithURL(URL, data, { transport: hidden.transport })).crc64, null, 'a CRC the bucket hides is not checked');
  client.close();
});
