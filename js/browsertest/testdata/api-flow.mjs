// One pass over the whole transfer API against a bucket, the same in a page and in a worker.
import { makeFile, sha256 } from './transfer-helpers.mjs';

/**
 * Uploads with put, multipartUpload (resumable: IndexedDB checkpoints) and postObject, then
 * reads back with get (whole, range, text), head and list, deletes, and reports what it saw.
 */
export async function apiFlow(ossign, options, prefix) {
  const client = await ossign.createClient(options);
  const small = makeFile(5000, 31, 'small.txt');
  const large = makeFile(350 << 10, 32, 'large.bin');
  const key = (name) => `${prefix}${name}`;
  const put = await client.put(key('a b+c.txt'), small, { contentType: 'text/plain', meta: { owner: 'tester' } });
  const multi = await client.multipartUpload(key('large.bin'), large, { partSize: 100 << 10, resume: true });
  const pendingAfter = (await client.pendingUploads()).length;
  const post = await client.postObject(key('form.bin'), small, { contentLengthRange: [1, 10000] });
  const whole = await client.get(key('large.bin'));
  const range = await client.get(key('large.bin'), { range: [100, 199], as: 'arraybuffer' });
  const text = await client.get(key('a b+c.txt'), { as: 'text' });
  const head = await client.head(key('a b+c.txt'));
  const listed = await client.list({ prefix });
  await client.delete(key('form.bin'));
  const afterDelete = await client.list({ prefix });
  const missing = await client.head(key('form.bin')).then(() => 'found', (err) => err.code);
  const expectedRange = new Uint8Array(await large.slice(100, 200).arrayBuffer());
  client.close();
  return {
    putCRC: put.crc64 !== null, multipartParts: multi.parts, pendingAfter, postSize: post.size,
    wholeSame: (await sha256(whole.body)) === (await sha256(large)),
    rangeSame: new Uint8Array(range.body).every((b, i) => b === expectedRange[i]) && range.body.byteLength === 100,
    textSame: text.body === (await small.text()), headSize: head.size, headType: head.contentType,
    listed: listed.objects.map((o) => o.key), afterDelete: afterDelete.objects.map((o) => o.key), missing,
  };
}
