// ali-oss 6.23 and ossign against `ossign emulate`: configured with the lines its banner prints
// (evaluated as printed), and ali-oss also with the printed OSS endpoint http://127.0.0.1:PORT
// itself, to which it sends Host <bucket>.oss-<region>.aliyuncs.com. The banner's ali-oss line
// uses http://localhost:PORT with sldEnable because ali-oss refuses signatureUrl for an IP
// endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ossign, wasmModule } from './helpers.mjs';

const OSS = createRequire(import.meta.url)('ali-oss');
const root = new URL('../../', import.meta.url).pathname;
// An 8×4 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAECAIAAAA8r+mnAAAAHUlEQVR4nGJhYGiQY2DARCwMNgxYAekSgAAAAP//neoCF+JqK+8AAAAASUVORK5CYII=', 'base64');

let dir;
let emulator;
/** The banner's "name: value" lines. */
const banner = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ossign-emulate-'));
  execFileSync('go', ['build', '-o', join(dir, 'ossign'), './cmd/ossign'], { cwd: root, stdio: 'inherit' });
  emulator = spawn(join(dir, 'ossign'), ['emulate', '-bucket', 'photos', '-data', join(dir, 'data'), '-log-level', 'error'], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: emulator.stdout })) {
    if (line.startsWith('Press Ctrl-C')) break;
    const at = line.indexOf(':');
    if (at > 0) banner[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
});

after(() => {
  emulator?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Evaluates a printed line, `new OSS({…})` or `createClient({…})`, with its names bound. */
function evaluate(line, names) {
  return new Function(...Object.keys(names), `return ${line};`)(...Object.values(names));
}

/** The ali-oss clients: the banner's line, and one on the printed OSS endpoint (an IP). */
const aliClients = {
  'the banner line': () => {
    assert.match(banner['ali-oss (Node)'], /^new OSS\(\{ region: "oss-cn-hangzhou", endpoint: "http:\/\/localhost:\d+", sldEnable: true/);
    return evaluate(banner['ali-oss (Node)'], { OSS });
  },
  'the printed OSS endpoint': () => new OSS({
    region: 'oss-cn-hangzhou', endpoint: banner['OSS endpoint'].split(' ')[0], bucket: 'photos',
    accessKeyId: banner.AccessKeyId, accessKeySecret: banner.AccessKeySecret,
  }),
};

/** The width and height in a PNG's IHDR chunk. */
function pngSize(buf) {
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

for (const [via, aliClient] of Object.entries(aliClients)) {
  test(`ali-oss with ${via}: put, copy, ACL, append, deleteMulti`, async () => {
    const client = aliClient();
    assert.match(banner['OSS endpoint'], /^http:\/\/127\.0\.0\.1:\d+ /);
    const put = await client.put('docs/a b+c.txt', Buffer.from('hello from ali-oss'));
    assert.equal(put.res.status, 200);
    assert.equal((await client.get('docs/a b+c.txt')).content.toString(), 'hello from ali-oss');
    assert.equal((await client.head('docs/a b+c.txt')).res.headers['content-type'], 'text/plain', "OSS's default type for .txt");

    const copied = await client.copy('docs/copy.txt', 'docs/a b+c.txt', { meta: { by: 'ali-oss' } });
    assert.equal(copied.res.status, 200);
    assert.ok(copied.data.etag);
    const head = await client.head('docs/copy.txt');
    assert.equal(head.meta.by, 'ali-oss', 'meta makes ali-oss send REPLACE');

    assert.equal((await client.getACL('docs/copy.txt')).acl, 'default');
    await client.putACL('docs/copy.txt', 'public-read');
    assert.equal((await client.getACL('docs/copy.txt')).acl, 'public-read');
    const anonymous = await fetch(`${banner['OSS endpoint'].split(' ')[0]}/photos/docs/copy.txt`);
    assert.equal(anonymous.status, 200, 'anyone may read a public-read object');
    assert.equal(await anonymous.text(), 'hello from ali-oss');

    let appended = await client.append('logs/app.log', Buffer.from('one\n'));
    appended = await client.append('logs/app.log', Buffer.from('two\n'), { position: appended.nextAppendPosition });
    assert.equal(appended.nextAppendPosition, '8');
    assert.equal((await client.get('logs/app.log')).content.toString(), 'one\ntwo\n');

    const removed = await client.deleteMulti(['docs/a b+c.txt', 'docs/copy.txt', 'logs/app.log']);
    assert.deepEqual(removed.deleted.map((d) => d.Key).sort(), ['docs/a b+c.txt', 'docs/copy.txt', 'logs/app.log']);
    const left = await client.listV2({ prefix: 'docs/' });
    assert.equal(left.keyCount, 0);
  });

  test(`ali-oss with ${via}: multipartUpload and listUploads`, async () => {
    const client = aliClient();
    const data = Buffer.alloc(300 * 1024, 'abcdefgh');
    const done = await client.multipartUpload('big/file.bin', data, { partSize: 100 * 1024 });
    assert.equal(done.res.status, 200);
    assert.ok((await client.get('big/file.bin')).content.equals(data));

    const first = await client.initMultipartUpload('big/unfinished-1.bin');
    const second = await client.initMultipartUpload('big/unfinished-2.bin');
    const page = await client.listUploads({ prefix: 'big/', 'max-uploads': 1 });
    assert.equal(page.uploads.length, 1);
    assert.equal(page.uploads[0].uploadId, first.uploadId);
    assert.equal(page.isTruncated, true);
    const rest = await client.listUploads({ prefix: 'big/', 'key-marker': page.nextKeyMarker, 'upload-id-marker': page.nextUploadIdMarker });
    assert.deepEqual(rest.uploads.map((u) => u.uploadId), [second.uploadId]);
    await client.abortMultipartUpload('big/unfinished-1.bin', first.uploadId);
    await client.abortMultipartUpload('big/unfinished-2.bin', second.uploadId);
  });
}

/** Temporary credentials from the emulator's STS, through ali-oss's STS client (trusting the printed CA). */
async function stsCredentials() {
  const urllib = createRequire(createRequire(import.meta.url).resolve('ali-oss'))('urllib');
  const agent = new Agent({ ca: readFileSync(banner['CA certificate']) });
  const sts = new OSS.STS({
    accessKeyId: banner.AccessKeyId, accessKeySecret: banner.AccessKeySecret, endpoint: banner['STS endpoint'].split(' ')[0],
    urllib: { request: (url, params) => urllib.request(url, { ...params, httpsAgent: agent }) },
  });
  const { credentials } = await sts.assumeRole(banner['role ARN'], '', 900, 'form-upload');
  return { accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret, stsToken: credentials.SecurityToken };
}

// OSS's JavaScript form-upload sample: a policy with only content-length-range, signed by
// ali-oss (calculatePostSignature, V1; signPostObjectPolicyV4 with the conditions V4 needs),
// and a form that also sends success_action_status, which no condition names.
for (const version of ['V1', 'V4']) {
  for (const who of ['root', 'STS']) {
    test(`ali-oss form upload, ${version}, ${who} credentials: fields the policy does not name are accepted`, async () => {
      const creds = who === 'root' ? { accessKeyId: banner.AccessKeyId, accessKeySecret: banner.AccessKeySecret } : await stsCredentials();
      const client = new OSS({ region: 'oss-cn-hangzhou', bucket: 'photos', ...creds });
      const key = `forms/${version}-${who}.txt`;
      const conditions = [['content-length-range', 0, 1048576000]];
      const fields = { key, success_action_status: '200' };
      const now = new Date();
      const expiration = new Date(now.getTime() + 3600_000).toISOString();
      if (creds.stsToken) fields['x-oss-security-token'] = creds.stsToken;
      if (version === 'V1') {
        const signed = client.calculatePostSignature({ expiration, conditions });
        Object.assign(fields, { policy: signed.policy, OSSAccessKeyId: signed.OSSAccessKeyId, signature: signed.Signature });
      } else {
        const date = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
        Object.assign(fields, { 'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-credential': `${creds.accessKeyId}/${date.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`, 'x-oss-date': date });
        for (const name of ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-security-token']) {
          if (fields[name]) conditions.push({ [name]: fields[name] });
        }
        const policy = { expiration, conditions };
        fields.policy = Buffer.from(JSON.stringify(policy)).toString('base64');
        fields['x-oss-signature'] = client.signPostObjectPolicyV4(policy, now);
      }
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob(['hello from a form']), 'hello.txt');
      const res = await fetch(`${banner['OSS endpoint'].split(' ')[0]}/photos`, { method: 'POST', body: form });
      assert.equal(res.status, 200, await res.text());
      const back = new OSS({ region: 'oss-cn-hangzhou', bucket: 'photos', endpoint: banner['OSS endpoint'].split(' ')[0], accessKeyId: banner.AccessKeyId, accessKeySecret: banner.AccessKeySecret });
      assert.equal((await back.get(key)).content.toString(), 'hello from a form');
    });
  }
}

test('ali-oss signatureUrl with process (the banner line): image/info and a thumbnail', async () => {
  const client = aliClients['the banner line']();
  await client.put('img/pic.png', PNG);
  const info = await (await fetch(client.signatureUrl('img/pic.png', { process: 'image/info' }))).json();
  assert.deepEqual(info.ImageWidth, { value: '8' });
  assert.deepEqual(info.ImageHeight, { value: '4' });
  assert.deepEqual(info.Format, { value: 'png' });
  const thumb = await fetch(client.signatureUrl('img/pic.png', { process: 'image/resize,w_4' }));
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/png');
  assert.deepEqual(pngSize(Buffer.from(await thumb.arrayBuffer())), [4, 2]);
});

test('ossign with the printed createClient options', async () => {
  assert.match(banner['ossign (JS)'], /^createClient\(\{ region: "cn-hangzhou"/);
  const client = await evaluate(banner['ossign (JS)'], { createClient: (options) => ossign.createClient({ wasmModule, ...options }) });
  try {
    const { url, headers } = client.presign('ossign/hello.txt', { method: 'PUT', 'Content-Type': 'text/plain' });
    const put = await fetch(url, { method: 'PUT', headers, body: 'hello from ossign' });
    assert.equal(put.status, 200, await put.text());
    const get = await fetch(client.signatureUrl('ossign/hello.txt'));
    assert.equal(await get.text(), 'hello from ossign');
    const thumb = await fetch(client.signatureUrl('ossign/hello.txt', { process: 'image/info' }));
    assert.equal(thumb.status, 400, 'a text object is no image');
  } finally {
    client.close();
  }
});
