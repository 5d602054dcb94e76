import { OssignError } from './errors.js';
import { loadModule } from './wasm.js';
import { CredentialManager, credentialSource } from './credentials.js';
import { presignFields, requestFields, headersFrom } from './request.js';
import { postPolicy } from './post.js';
import { defaultTransport } from './transport.js';
import { retrySettings, TRANSFER_RETRY } from './retry.js';
import { putObject } from './put.js';
import { multipartUpload, pendingUploads, abortUpload } from './multipart.js';
import { getObject, headObject, deleteObject, listObjects } from './objects.js';
import { postObject } from './form-upload.js';
import { toBlob, uploadBlob } from './bodies.js';
import { crc64OfBlob } from './crc64.js';
import { redactToken } from './osserror.js';

// Operations of the wasm fast path (wasm/fastpath.go).
const OP_PRESIGN = 1;
const OP_SIGN_HEADERS = 2;
const OP_POST_CONDITIONS = 3;
const OP_SIGN_POST = 4;

/**
 * Where the module comes from: options.wasmModule, options.wasmURL, or else the entry's own
 * way of finding it (defaultSource: a URL to fetch, or the module read or imported by the runtime).
 */
export function moduleSource(options = {}, defaultSource) {
  if (options.wasmModule || options.wasmURL) return { wasmURL: options.wasmURL, wasmModule: options.wasmModule };
  return defaultSource();
}

/**
 * Starts loading the module (once per page or worker) without waiting for it: createClient
 * then finds it loaded, or on its way. The promise never rejects (createClient reports a
 * failure, and a later call tries again).
 */
export function preloadWith(options, defaultSource) {
  return loadModule(() => moduleSource(options, defaultSource)).then(() => {}, () => {});
}

/**
 * Creates a client: loads the module (once per page or worker) while it fetches the first
 * credentials, then validates the configuration. Bucket, region and endpoint default to what
 * the vending response names.
 * @param {object} options see index.d.ts
 * @param {() => {wasmURL?: URL|string, wasmModule?: Promise<WebAssembly.Module>|WebAssembly.Module}} defaultSource
 *   where ossign.wasm is when options say nothing (the entry's runtime decides)
 */
export async function createClientWith(options = {}, defaultSource) {
  const loading = loadModule(() => moduleSource(options, defaultSource));
  let module;
  let client;
  let serverDate; // the first vending response's Date, before the client exists
  const source = credentialSource(options.credentials, options.fetchOptions, (date) => {
    if (client) client.observeServerDate(date);
    else serverDate = date;
  });
  let id;
  let pending; // the first response, fetched before the client exists, installed by the first refresh
  const credentials = new CredentialManager({
    acquire: async () => {
      const r = pending ?? (await source.acquire());
      pending = undefined;
      return r;
    },
    refreshable: source.refreshable,
    install: (response, nowMs) => module.call('setCredentials', id, normalize(response), nowMs),
    now: () => client.now(),
    retry: options.retry,
    timers: options.timers,
  });
  [module, pending] = await Promise.all([loading, credentials.fetch()]);
  const vended = pending?.Credentials ? {} : pending ?? {};
  const config = {
    region: options.region ?? vended.Region,
    bucket: options.bucket ?? vended.Bucket,
    endpoint: options.endpoint ?? vended.Endpoint,
    prefix: vended.Prefix,
  };
  ({ id } = module.call('newClient', {
    region: config.region ?? '',
    endpoint: config.endpoint ?? '',
    secure: options.secure ?? true,
    pathStyle: Boolean(options.pathStyle),
    cname: Boolean(options.cname),
    signatureVersion: options.signatureVersion ?? 'v4',
    slashSafe: options.slashSafe ?? true,
    refreshMargin: options.refreshMargin ?? 0,
  }));
  client = new Client(module, id, config, options);
  client.credentials = credentials;
  if (serverDate !== undefined) client.observeServerDate(serverDate);
  try {
    await client.credentials.refresh();
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}

/** Dates and epoch numbers in an expiration become RFC 3339 strings for the wasm. */
function normalize(response) {
  const r = response?.Credentials ?? response;
  for (const name of ['Expiration', 'expiration']) {
    const v = r?.[name];
    if (v instanceof Date || typeof v === 'number') return { ...r, [name]: new Date(v).toISOString() };
  }
  return response;
}

/** A signing client; see index.d.ts for the documented API. */
export class Client {
  constructor(module, id, config, options) {
    this.module = module;
    this.id = id;
    this.bucket = config.bucket;
    this.region = config.region;
    this.endpoint = config.endpoint;
    this.prefix = config.prefix;
    this.signatureVersion = options.signatureVersion ?? 'v4';
    this.clockOffset = options.clockOffset ?? 0;
    this.clockPinned = options.clockOffset !== undefined;
    this.clock = options.now ?? Date.now;
    this.transport = options.transport ?? defaultTransport();
    this.retry = retrySettings(options.transferRetry, TRANSFER_RETRY);
    this.timers = options.timers ?? globalThis;
  }

  /** The signing clock: the local clock corrected by clockOffset (ms). */
  now() {
    const t = this.clock() + this.clockOffset;
    if (!Number.isFinite(t)) throw new OssignError('InvalidArgument', 'the clock must give milliseconds since the epoch: check the now and clockOffset options');
    return t;
  }

  /** Corrects the clock from a server time (OSS's ServerTime after RequestTimeTooSkewed, or a Date header). */
  correctClock(serverDate) {
    const server = new Date(serverDate).getTime();
    if (Number.isNaN(server)) throw new OssignError('InvalidArgument', `not a date: ${serverDate}`);
    this.clockOffset = server - this.clock();
  }

  /**
   * A vending response's Date: when the local clock is more than a minute off it (a wrong
   * computer clock would make fresh credentials look expired), signing follows the server's.
   * A clockOffset given as an option is kept.
   */
  observeServerDate(serverMs) {
    if (!this.clockPinned && Math.abs(serverMs - this.now()) > SKEW_TOLERANCE) this.correctClock(serverMs);
  }

  /** Presigned URL, synchronously (ali-oss's signatureUrl options). */
  signatureUrl(key, opts) {
    this.credentials.poke();
    return this.module.presignURL(this.id, this.now(), presignFields(this.bucket, key, opts));
  }

  /** Presigned URL with the headers to send, its expiry and whether it was clamped. */
  presign(key, opts = {}) {
    this.credentials.poke();
    return this.presignAt(key, opts, this.now());
  }

  /** presign at a given signing time (ms). */
  presignAt(key, opts, nowMs) {
    const out = this.module.sign(OP_PRESIGN, this.id, nowMs, presignFields(this.bucket, key, opts));
    return { url: out[0], method: out[1], ...headersAndExplanation(out), expiresAt: new Date(Number(out[2])), clamped: out[3] === '1' };
  }

  /** Like signatureUrl, after refreshing the credentials when a refresh is due. */
  async asyncSignatureUrl(key, opts) {
    await this.credentials.ready({ awaitDue: true });
    return this.signatureUrl(key, opts);
  }

  /** Signs a request with an Authorization header: {url, method, headers}. */
  signRequest(request = {}) {
    this.credentials.poke();
    return this.signAt(request, this.now());
  }

  /** signRequest at a given signing time (ms). */
  signAt({ method = 'GET', bucket = this.bucket, key = '', headers, query, additionalHeaders, subResources, explain } = {}, nowMs) {
    const out = this.module.sign(OP_SIGN_HEADERS, this.id, nowMs, requestFields({ method, bucket, key, headers, query, additionalHeaders, subResources, explain }));
    return { url: out[0], method: out[1], ...headersAndExplanation(out) };
  }

  /** Form fields for a browser PostObject upload: {url, fields}. */
  postObjectFields(opts = {}) {
    this.credentials.poke();
    return this.postFormAt(opts, this.now());
  }

  /** postObjectFields at a given signing time (ms). */
  postFormAt(opts, now) {
    const bucket = opts.bucket ?? this.bucket ?? '';
    const conditions = Object.entries(headersFrom(this.module.sign(OP_POST_CONDITIONS, this.id, now, []), 0).headers);
    const { policy, extraFields, expiresAt } = postPolicy(bucket, opts, conditions, now, this.credentials.expiration);
    const form = this.module.sign(OP_SIGN_POST, this.id, now, [bucket, policy]);
    return { url: form[0], fields: { ...headersFrom(form, 1).headers, ...extraFields }, expiresAt };
  }

  /** Uploads body with one PUT: progress, cancel, retries, CRC-64 check. */
  put(key, body, opts) {
    return putObject(this, key, body, opts);
  }

  /** Uploads file in parts, in parallel, resumable: see index.d.ts. */
  multipartUpload(key, file, opts) {
    return multipartUpload(this, key, file, opts);
  }

  /** put below opts.multipartThreshold (default 16 MiB), multipartUpload above. */
  async upload(key, file, opts = {}) {
    const threshold = opts.multipartThreshold ?? MULTIPART_THRESHOLD;
    const blob = await uploadBlob(file);
    return blob.size > threshold ? this.multipartUpload(key, blob, opts) : this.put(key, blob, opts);
  }

  /** The resumable uploads with a checkpoint for this client's bucket. */
  pendingUploads(opts) {
    return pendingUploads(this, opts);
  }

  /** Aborts a pending multipart upload on OSS and forgets its checkpoint. */
  abortUpload(upload, opts) {
    return abortUpload(this, upload, opts);
  }

  /** Downloads an object: see index.d.ts. */
  get(key, opts) {
    return getObject(this, key, opts);
  }

  /** An object's size, type, ETag, CRC-64 and metadata. */
  head(key, opts) {
    return headObject(this, key, opts);
  }

  /** Deletes an object. */
  delete(key, opts) {
    return deleteObject(this, key, opts);
  }

  /** One page of ListObjectsV2. */
  list(opts) {
    return listObjects(this, opts);
  }

  /** Uploads file with a PostObject form signed for exactly key. */
  postObject(key, file, opts) {
    return postObject(this, key, file, opts);
  }

  /** The CRC-64 of a body as OSS computes it (x-oss-hash-crc64ecma), decimal. */
  async crc64(body, opts = {}) {
    return String(await crc64OfBlob(this.module, toBlob(body), opts.signal));
  }

  /** Explains a SignatureDoesNotMatch from OSS's StringToSign / CanonicalRequest. */
  diagnose(explanation, stringToSign, canonicalRequest = '') {
    if (!explanation || typeof explanation.stringToSign !== 'string') {
      throw new OssignError('InvalidArgument', 'diagnose needs the explanation of a signature: sign with explain: true');
    }
    // Explanations carry no token: OSS's strings lose theirs too, so that both compare alike.
    return this.module.call('diagnose', explanation, redactToken(String(stringToSign ?? '')), redactToken(String(canonicalRequest ?? '')));
  }

  /** The credentials' state: {hasCredentials, expired, expiration, refreshAt, remaining, refreshDue}. */
  credentialStatus() {
    return this.module.call('credentialStatus', this.id, this.now());
  }

  /** Fetches new credentials now. */
  refreshCredentials() {
    return this.credentials.refresh();
  }

  /** Listens for 'credentialschange' or 'credentialserror'. */
  on(type, listener) {
    this.credentials.addEventListener(type, listener);
    return this;
  }

  /** Stops listening. */
  off(type, listener) {
    this.credentials.removeEventListener(type, listener);
    return this;
  }

  /** Forgets the credentials and stops refreshing. */
  close() {
    this.credentials?.close();
    this.module.call('closeClient', this.id);
  }
}

/** upload() sends files larger than this (bytes) in parts. */
const MULTIPART_THRESHOLD = 16 << 20;

/** observeServerDate leaves the clock alone within this much of the server's (ms). */
const SKEW_TOLERANCE = 60000;

/**
 * The headers of a signing result and, when asked, its explanation, with the security token
 * redacted (explanations get pasted into issues; the signature still tells them apart).
 */
function headersAndExplanation(out) {
  const { headers, next } = headersFrom(out, 4);
  if (out.length <= next) return { headers };
  const [version, canonicalRequest, stringToSign, signature] = out.slice(next);
  return { headers, explanation: { version, canonicalRequest: redactToken(canonicalRequest), stringToSign: redactToken(stringToSign), signature } };
}
