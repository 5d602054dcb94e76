// What every runtime runs (js/runtimetest): sign the spec's vectors and the seeded cases of
// the Node tests (cases.mjs), then, against the emulator, put and get 5 MiB and, when asked,
// a 20 MiB multipart upload. The Go test compares the signatures byte for byte across runtimes
// and checks the transfers against the emulator's copy of the objects.
import { CASES, randomCase, caseClientOptions, caseURLOptions, v4QueryCases, v4QueryOptions, hangzhou, v1Q2, v4H1 } from './cases.mjs';

/**
 * @param {object} ossign the package, as the runtime imported it
 * @param {{endpoint?: string, region?: string, bucket?: string, accessKeyId?: string,
 *   accessKeySecret?: string, prefix?: string, putBytes?: number, multipartBytes?: number}} env
 */
export async function conformance(ossign, env) {
  const started = Date.now();
  const result = { signatures: await signatures(ossign) };
  if (env.endpoint) result.transfers = await transfers(ossign, env);
  result.ms = Date.now() - started;
  return result;
}

/** A client with a pinned clock: signs at clock.now. */
async function pinned(ossign, options, clock) {
  return ossign.createClient({ ...options, now: () => clock.now });
}

async function signatures(ossign) {
  const out = {};
  const clock = { now: 0 };
  for (const c of v4QueryCases) {
    clock.now = c.unix * 1000;
    const client = await pinned(ossign, { ...hangzhou, credentials: c.creds }, clock);
    const p = client.presign('1234+-/123/1.txt', v4QueryOptions(c));
    out[c.id] = { url: p.url, headers: p.headers, expiresAt: p.expiresAt.toISOString(), signature: p.explanation.signature };
    client.close();
  }
  clock.now = v1Q2.now;
  let client = await pinned(ossign, v1Q2.options, clock);
  out['V1-Q2'] = { url: client.signatureUrl(v1Q2.key, v1Q2.opts) };
  client.close();
  clock.now = v4H1.now;
  client = await pinned(ossign, v4H1.options, clock);
  out['V4-H1'] = client.signRequest(v4H1.request);
  client.close();
  for (const version of ['v1', 'v4']) {
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(i, version);
      clock.now = c.now;
      client = await pinned(ossign, caseClientOptions(c, version), clock);
      out[`${version}-url-${i}`] = client.signatureUrl(c.key, caseURLOptions(c, version));
      if (version === 'v4') out[`v4-header-${i}`] = client.signRequest({ method: c.method, key: c.key, headers: c.headers, query: c.queries });
      client.close();
    }
  }
  return out;
}

/** Seeded bytes (xorshift32), the same in every runtime. */
function seededBytes(size, seed) {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

async function sha256(data) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The progress events of a transfer: how many, the last, and whether they only went up. */
function progressLog() {
  const log = { events: 0, last: undefined, total: undefined, monotonic: true };
  return {
    log,
    onProgress: ({ loaded, total }) => {
      if (log.last !== undefined && loaded < log.last) log.monotonic = false;
      log.events++;
      log.last = loaded;
      log.total = total;
    },
  };
}

async function transfers(ossign, env) {
  const client = await ossign.createClient({
    region: env.region, bucket: env.bucket, endpoint: env.endpoint,
    credentials: { accessKeyId: env.accessKeyId, accessKeySecret: env.accessKeySecret },
  });
  const out = {};
  try {
    const body = seededBytes(env.putBytes, 19);
    const up = progressLog();
    const put = await client.put(`${env.prefix}put.bin`, body, { onProgress: up.onProgress });
    const down = progressLog();
    const got = await client.get(`${env.prefix}put.bin`, { as: 'arraybuffer', onProgress: down.onProgress });
    out.put = { etag: put.etag, crc64: put.crc64, size: put.size, sha256: await sha256(body), progress: up.log };
    out.get = { size: got.body.byteLength, sha256: await sha256(got.body), progress: down.log };

    const streamed = new Blob([body.subarray(0, 100000)]).stream();
    const fromStream = await client.put(`${env.prefix}stream.bin`, streamed);
    out.stream = { size: fromStream.size, sha256: await sha256(body.subarray(0, 100000)) };

    if (env.multipartBytes) {
      const big = seededBytes(env.multipartBytes, 23);
      const parts = progressLog();
      const mp = await client.multipartUpload(`${env.prefix}multipart.bin`, new Blob([big]), { onProgress: parts.onProgress });
      out.multipart = { size: mp.size, parts: mp.parts, crc64: mp.crc64, sha256: await sha256(big), progress: parts.log };
    }
  } finally {
    client.close();
  }
  return out;
}
