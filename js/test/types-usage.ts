// Compiled by package.test.mjs with tsc --strict: the documented API type-checks as the README
// uses it, and misuses are errors.
import { createClient, preload, putWithURL, getWithURL, postWithForm, OssignError, registerServiceWorker, serviceWorkerStats, forgetServiceWorkerCredentials } from '../index';
import type { PendingUpload, TransferProgress, CheckpointStore } from '../index';

export async function usage(file: File, bar: { value: number }): Promise<void> {
  void preload();
  await preload({ wasmURL: '/static/ossign.wasm' });
  const client = await createClient({ credentials: '/sts', transferRetry: { retries: 3 } });
  const stop = new AbortController();
  const onProgress = ({ loaded, total }: TransferProgress) => (bar.value = loaded / (total ?? 1));
  const up = await client.upload(`${client.prefix}${file.name}`, file, { resume: true, signal: stop.signal, onProgress });
  const etag: string | null = up.etag;
  const multi = await client.multipartUpload('k', file, { partSize: 8 << 20, parallel: 4, crc64: false });
  const resumed: number = multi.resumedParts;
  const pending: PendingUpload[] = await client.pendingUploads();
  if (pending[0]) await client.abortUpload(pending[0]);
  const text: string = (await client.get('k', { as: 'text' })).body;
  const blob: Blob = (await client.get('k')).body;
  const buf: ArrayBuffer = (await client.get('k', { as: 'arraybuffer', range: [0, 99] })).body;
  const stream: ReadableStream<Uint8Array> = (await client.get('k', { as: 'stream' })).body;
  const page = await client.list({ prefix: 'users/', delimiter: '/', maxKeys: 100 });
  const next: string | null = page.nextContinuationToken;
  const size: number = (await client.head('k')).size;
  await client.delete('k');
  await client.postObject('k', file, { contentLengthRange: [1, 1 << 20] });
  await client.put('k', 'text', { contentType: 'text/plain', meta: { owner: 'me' }, retry: false });
  const signed = client.presign('k', { method: 'PUT', 'Content-Type': 'image/png' });
  await putWithURL(signed, file, { renew: () => client.presign('k', { method: 'PUT' }), onProgress });
  await putWithURL({ URL: 'https://b.oss-cn-hangzhou.aliyuncs.com/k', Headers: { 'Content-Type': 'image/png' } }, file);
  await getWithURL('https://b.oss-cn-hangzhou.aliyuncs.com/k?sig', { as: 'text' });
  await postWithForm(client.postObjectFields({ key: 'k' }), file, { onProgress });
  const store: CheckpointStore = { get: async () => undefined, put: async () => {}, delete: async () => {}, list: async () => [] };
  await client.multipartUpload('k', file, { resume: true, checkpoint: store });
  try {
    await client.put('k', file);
  } catch (err) {
    if (err instanceof OssignError && err.code === 'CRC64Mismatch') console.log(err.partNumber, err.requestId, err.diagnosis?.summary);
  }
  void [etag, resumed, text, blob, buf, stream, next, size];

  // The server recipe: a long-term AccessKey, no expiry; uploads from streams.
  const server = await createClient({ region: 'cn-hangzhou', bucket: 'examplebucket', credentials: { accessKeyId: 'id', accessKeySecret: 'secret' } });
  const { url, headers, expiresAt } = server.presign('users/42/avatar.png', { method: 'PUT', 'Content-Type': 'image/png', expires: 600 });
  void [url, headers, expiresAt];
  await server.put('k', stream);
  await server.multipartUpload('k', (async function* () { yield new Uint8Array(1); })());
  // @ts-expect-error a stream of strings is not a body
  await server.put('k', (async function* () { yield 'text'; })());

  // @ts-expect-error a key is required
  await client.put(file);
  // @ts-expect-error as is one of the listed forms
  await client.get('k', { as: 'json' });
  // @ts-expect-error progress events carry numbers
  client.put('k', file, { onProgress: (p: { loaded: string }) => p });
}

export async function serviceWorkerUsage(jwt: () => string): Promise<void> {
  const registration: ServiceWorkerRegistration = await registerServiceWorker({ script: '/ossign-sw.js', scope: '/', credentials: '/sts', prefix: '/oss/' });
  await registerServiceWorker({ credentials: '/api/sts', token: jwt, signatureVersion: 'v1' });
  await createClient({ credentials: '/sts', fetchOptions: async () => ({ headers: { Authorization: `Bearer ${jwt()}` } }) });
  const { signatures, module } = await serviceWorkerStats();
  const fromCache: boolean = module === 'cache';
  await forgetServiceWorkerCredentials();
  void [registration, signatures, fromCache];

  // @ts-expect-error the token is a function, asked before each credentials fetch
  await registerServiceWorker({ token: 'eyJ…' });
  // @ts-expect-error signature versions are v1 and v4
  await registerServiceWorker({ signatureVersion: 'v2' });
}
