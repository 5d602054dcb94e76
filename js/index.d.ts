// Type definitions for ossign: browser-side signing for Alibaba Cloud OSS.

/** Signature algorithm: 'v4' (OSS4-HMAC-SHA256, default) or 'v1' (HMAC-SHA1). */
export type SignatureVersion = 'v1' | 'v4';

/**
 * A credentials response: the flat vending JSON (credentials-go URI format), a raw STS
 * AssumeRole response ({Credentials: {...}}), or ali-oss-style camelCase fields.
 */
export type CredentialsResponse =
  | {
      Code?: string;
      AccessKeyId: string;
      AccessKeySecret: string;
      SecurityToken?: string;
      /** RFC 3339 UTC, e.g. "2026-01-01T00:15:00Z" (a Date or epoch ms also works). */
      Expiration?: string | Date | number;
      Bucket?: string;
      Region?: string;
      Endpoint?: string;
      Prefix?: string;
    }
  | { Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string | Date | number } }
  | {
      accessKeyId: string;
      accessKeySecret: string;
      stsToken?: string;
      securityToken?: string;
      expiration?: string | Date | number;
    };

export interface ClientOptions {
  /**
   * Where credentials come from: the URL of a vending endpoint (GET, JSON), an async function
   * returning a credentials response, or a static credentials object (never refreshed).
   */
  credentials: string | URL | (() => Promise<CredentialsResponse> | CredentialsResponse) | CredentialsResponse;
  /** Options for the vending fetch: headers such as Authorization, credentials: 'include', …
   * (default credentials: 'same-origin', cache: 'no-store'); or a function giving them for each
   * fetch (a bearer token that rotates). */
  fetchOptions?: RequestInit | (() => RequestInit | Promise<RequestInit>);
  /** Bucket region id ("cn-hangzhou"; "oss-cn-hangzhou" also works). Defaults to the vending response's Region. */
  region?: string;
  /** Default bucket. Defaults to the vending response's Bucket. */
  bucket?: string;
  /** host[:port] with optional http(s)://: a regional endpoint, a custom domain (with cname), or an IP. */
  endpoint?: string;
  /** https (default) or, with false, http — when the endpoint names no scheme. */
  secure?: boolean;
  /** Put the bucket in the path instead of the host name. IP and localhost endpoints always are. */
  pathStyle?: boolean;
  /** The endpoint is a custom domain bound to the bucket. */
  cname?: boolean;
  /** Default 'v4'. */
  signatureVersion?: SignatureVersion;
  /** Keep '/' literal in URL paths (default true); false writes %2F. */
  slashSafe?: boolean;
  /** Refresh this many ms before expiry (0 or unset: 5 minutes); never earlier than 80% of the lifetime. */
  refreshMargin?: number;
  /** Added to the local clock when signing, in ms (see correctClock). */
  clockOffset?: number;
  /** The wasm module's URL. Default: ossign.wasm next to the script or module, which the package
   * finds by itself in every runtime (fetched in browsers and Deno, read from the file in Node and
   * Bun, imported as a module in workerd). */
  wasmURL?: string | URL;
  /** The compiled module, its bytes or a Response of them (from Cache Storage, say), or a promise
   * of any (e.g. a WebAssembly.compileStreaming started by an inline script in the page's head),
   * instead of fetching wasmURL. */
  wasmModule?: WebAssembly.Module | BufferSource | Response | Promise<WebAssembly.Module | BufferSource | Response>;
  /** Retries of a failed credentials fetch: count (default 3) and backoff in ms. */
  retry?: { retries?: number; baseDelay?: number; maxDelay?: number };
  /** The local clock, ms since the epoch (default Date.now). For tests. */
  now?: () => number;
  /** Timer functions (default the global ones). For tests. */
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
  /** Retries of every transfer request unless a call says otherwise (default {retries: 5, baseDelay: 300, maxDelay: 20000}). */
  transferRetry?: RetryOptions;
  /** How requests are sent (default: XMLHttpRequest where it exists, else fetch). For tests. */
  transport?: Transport;
}

/**
 * Retries of a request that got no response, 5xx or 429: jittered exponential backoff from
 * baseDelay (ms), doubling, at most maxDelay; false for none. Expired credentials and a wrong
 * clock are mended and retried at once, whatever this says.
 */
export type RetryOptions = false | { retries?: number; baseDelay?: number; maxDelay?: number };

/** Progress of a transfer: bytes so far. Events only go up; the last one has loaded === total. */
export interface TransferProgress {
  loaded: number;
  /** Undefined for a download until its size is known. */
  total: number | undefined;
}

/** What every transfer call takes. */
export interface TransferOptions {
  onProgress?: (progress: TransferProgress) => void;
  /** Cancels this transfer only; the promise rejects with signal.reason. */
  signal?: AbortSignal;
  retry?: RetryOptions;
}

/** A request body: a Blob or File (read again for every attempt), an ArrayBuffer, typed array or string. */
export type Body = Blob | ArrayBuffer | ArrayBufferView | string;

/** An upload's body: a Body, or a stream (web ReadableStream, Node.js Readable, any async
 * iterable of bytes), read into memory before the first attempt since every retry sends it again. */
export type UploadBody = Body | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface PutOptions extends TransferOptions {
  /** Default: the Blob's type, else one guessed from the key's extension, else application/octet-stream. Signed and sent exactly. */
  contentType?: string;
  /** User metadata, stored as x-oss-meta-<name>. */
  meta?: Record<string, string>;
  /** More headers to send and sign: Cache-Control, Content-Disposition, x-oss-storage-class, x-oss-forbid-overwrite, … */
  headers?: Record<string, string>;
  /** Compare the CRC-64 of the bytes with OSS's x-oss-hash-crc64ecma (default true; the bucket's CORS rule must expose it). */
  crc64?: boolean;
}

export interface PutResult {
  key: string;
  /** null when the bucket's CORS rule hides ETag. */
  etag: string | null;
  /** OSS's x-oss-hash-crc64ecma, decimal. */
  crc64: string | null;
  size: number;
  requestId: string | null;
}

/** Where resumable uploads keep their checkpoints (default: IndexedDB, or memory where there is none). */
export interface CheckpointStore {
  get(id: string): Promise<object | undefined>;
  put(checkpoint: { id: string } & Record<string, unknown>): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<object[]>;
}

export interface MultipartOptions extends PutOptions {
  /** Bytes per part (default 8 MiB; at least 100 KiB; raised so that there are at most 10,000 parts). */
  partSize?: number;
  /** Parts in flight at once (default 4). */
  parallel?: number;
  /**
   * Resumable: keep a checkpoint (upload id, part size, acknowledged parts), pick up this file's
   * earlier upload (same bucket, key, file name, size and lastModified) sending only the parts
   * OSS lacks, and keep the upload on OSS when cancelled or failed. Without it, a cancelled or
   * failed upload is aborted on OSS.
   */
  resume?: boolean;
  checkpoint?: CheckpointStore;
}

export interface MultipartResult extends PutResult {
  uploadId: string;
  partSize: number;
  /** Number of parts. */
  parts: number;
  /** Parts found on OSS from an earlier run, not sent again. */
  resumedParts: number;
}

export interface UploadOptions extends MultipartOptions {
  /** Files larger than this (bytes) go in parts (default 16 MiB). */
  multipartThreshold?: number;
}

/** A resumable upload with a checkpoint, as pendingUploads lists it. */
export interface PendingUpload {
  id: string;
  key: string;
  uploadId: string;
  /** The file's name, size, lastModified and type: pick the same file again to resume. */
  name: string;
  size: number;
  lastModified: number;
  type: string;
  partSize: number;
  partsUploaded: number;
  bytesUploaded: number;
  createdAt: Date;
}

/** What head, and get with it, report (from the response headers the page may read). */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string | null;
  etag: string | null;
  lastModified: Date | null;
  crc64: string | null;
  /** x-oss-meta-* the bucket's CORS rule exposes, by name without the prefix. */
  meta: Record<string, string>;
}

/**
 * Downloads (get, getWithURL) read the body as it arrives: when the connection drops, the rest
 * is asked for by Range from the bytes already received, on condition of the first answer's ETag
 * (If-Match), up to retry.retries times in all. A changed object fails with ObjectChanged;
 * progress goes on from where it was, in every `as` form.
 */
export interface GetOptions extends TransferOptions {
  /** Default 'blob'. A stream resumes the same way; an error (ObjectChanged, CRC64Mismatch, NetworkError) errors the stream. */
  as?: 'blob' | 'text' | 'arraybuffer' | 'arrayBuffer' | 'stream';
  /** [start, end] inclusive, [start], or 'bytes=…'. */
  range?: [number, number?] | string;
  /** Response header overrides, as in signatureUrl. */
  response?: Record<string, string>;
  /** x-oss-process. */
  process?: string;
  versionId?: string;
  headers?: Record<string, string>;
  /** Check a whole object (no range, no process) against x-oss-hash-crc64ecma when OSS sends it, as the bytes arrive (default true); a stream errors at its end on a mismatch. */
  crc64?: boolean;
}

export interface GetResult<T> extends ObjectInfo {
  status: number;
  body: T;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  continuationToken?: string;
  startAfter?: string;
  /** 1–1000 (OSS's default 100). */
  maxKeys?: number;
  bucket?: string;
  signal?: AbortSignal;
  retry?: RetryOptions;
}

export interface ListResult {
  objects: { key: string; size: number; etag: string | null; lastModified: Date; type: string | null; storageClass: string | null }[];
  /** Common prefixes ("folders") when a delimiter is given. */
  prefixes: string[];
  isTruncated: boolean;
  /** Pass as continuationToken for the next page. */
  nextContinuationToken: string | null;
  keyCount: number;
}

export interface PostObjectUploadOptions extends TransferOptions, Omit<PostObjectOptions, 'key' | 'keyPrefix' | 'anyKey'> {
  crc64?: boolean;
}

/** A URL signed elsewhere, or {url, method, headers} (presign's result), or {URL, Method, Headers} (the vending server's POST /sign). */
export type SignedTarget = string | URL | { url: string | URL; method?: string; headers?: Record<string, string> } | { URL: string; Method?: string; Headers?: Record<string, string> };

export interface URLTransferOptions extends TransferOptions {
  /** More headers to send (the target's own are always sent). */
  headers?: Record<string, string>;
  /** Called when OSS says the URL (or its token) expired: return a fresh target. */
  renew?: () => Promise<SignedTarget> | SignedTarget;
  timers?: ClientOptions['timers'];
  transport?: Transport;
  /**
   * Compare the CRC-64 of the bytes with x-oss-hash-crc64ecma (default true) when a client has
   * already loaded ossign.wasm in this page or worker (it is never loaded for that) and the
   * bucket's CORS rule exposes the header.
   */
  crc64?: boolean;
}

/** A transport sends one HTTP request (see js/src/transport.js). */
export interface Transport {
  send(request: {
    method: string; url: string; headers: Record<string, string>; body?: unknown;
    responseType?: 'text' | 'blob' | 'arraybuffer' | 'stream'; signal?: AbortSignal;
    onUploadProgress?: (loaded: number) => void; onDownloadProgress?: (loaded: number, total?: number) => void;
  }): Promise<{ status: number; headers: Map<string, string>; body: unknown }>;
}

/** Options of signatureUrl and presign; the names follow ali-oss. */
export interface SignatureUrlOptions {
  /** Default 'GET'. */
  method?: 'GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE';
  /** Validity in seconds (default 1800; V4 at most 604800). Never longer than the credentials. */
  expires?: number;
  /** Signed: whoever uses the URL must send exactly this Content-Type. */
  'Content-Type'?: string;
  'Content-MD5'?: string;
  /** Response header overrides: {'content-disposition': 'attachment'} → response-content-disposition. */
  response?: Record<string, string>;
  /** Image processing, x-oss-process. */
  process?: string;
  /** Bandwidth limit in bit/s, x-oss-traffic-limit. */
  trafficLimit?: number;
  /** Sub-resources (signed in V1 too), e.g. {versionId: '...'}. */
  subResource?: Record<string, string | null>;
  versionId?: string;
  /** Other query parameters; null means a bare name. */
  queries?: Record<string, string | number | null> | URLSearchParams | Map<string, string>;
  /** Headers whoever uses the URL must send (x-oss-meta-*, x-oss-storage-class, …). */
  headers?: Record<string, string> | Headers | Map<string, string>;
  /** V4: more headers to sign (host, range, cache-control, …). */
  additionalHeaders?: string[];
  slashSafe?: boolean;
  /** Bucket other than the client's default. */
  bucket?: string;
  /** Include the canonical request and string to sign (for diagnose). */
  explain?: boolean;
}

/** What was signed. The security token is shown as `<redacted>` (the signature was made with it). */
export interface Explanation {
  version: SignatureVersion;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export interface Presigned {
  url: string;
  method: string;
  /** Send these with the URL, exactly. */
  headers: Record<string, string>;
  /** When the URL stops working. */
  expiresAt: Date;
  /** True when the expiry was shortened to the credentials' expiry. */
  clamped: boolean;
  explanation?: Explanation;
}

export interface SignRequestOptions {
  method?: 'GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE';
  bucket?: string;
  key?: string;
  headers?: Record<string, string> | Headers | Map<string, string>;
  query?: Record<string, string | number | null> | URLSearchParams | Map<string, string>;
  additionalHeaders?: string[];
  /** V1: extra sub-resource names to sign. */
  subResources?: string[];
  explain?: boolean;
}

export interface SignedRequest {
  url: string;
  method: string;
  /** Every header to send, Authorization included. */
  headers: Record<string, string>;
  explanation?: Explanation;
}

export interface PostObjectOptions {
  /** Exactly one of key, keyPrefix, anyKey. */
  key?: string;
  keyPrefix?: string;
  anyKey?: boolean;
  bucket?: string;
  /** Policy validity in seconds (default 3600), never longer than the credentials. */
  expires?: number;
  contentLengthRange?: [number, number];
  /** One type (sent as a field) or the allowed list. */
  contentType?: string | string[];
  successActionStatus?: 200 | 201 | 204;
  /** More raw policy conditions. */
  conditions?: unknown[];
}

export interface PostObjectFields {
  /** POST the form here. */
  url: string;
  /** Form fields to send before the file (add "key" when using keyPrefix); the file goes last. */
  fields: Record<string, string>;
  expiresAt: Date;
}

export interface Diagnosis {
  compared: 'canonical request' | 'string to sign';
  summary: string;
  differences: { part: string; ours: string; theirs: string; hint: string }[];
}

export interface CredentialStatus {
  hasCredentials: boolean;
  /** false for credentials without an expiry (static ones): never refreshed by time, URLs not clamped. */
  expires: boolean;
  expired: boolean;
  /** ms since the epoch; 0 = never. */
  expiration: number;
  refreshAt: number;
  /** ms left; 0 for credentials without expiry. */
  remaining: number;
  refreshDue: boolean;
}

export interface CredentialsChangeEvent extends Event {
  detail: { expiration: Date | null; refreshAt: Date | null };
}

export interface CredentialsErrorEvent extends Event {
  /** An OssignError, or whatever a credentials function threw. */
  detail: { error: unknown };
}

export declare class Client {
  readonly bucket: string | undefined;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  /** The prefix the vending server scoped the credentials to. */
  readonly prefix: string | undefined;
  readonly signatureVersion: SignatureVersion;
  clockOffset: number;
  /** The signing clock: local time plus clockOffset, ms. */
  now(): number;
  /** Sets clockOffset from a server Date header (after RequestTimeTooSkewed). */
  correctClock(serverDate: string | Date): void;
  signatureUrl(key: string, options?: SignatureUrlOptions): string;
  presign(key: string, options?: SignatureUrlOptions): Presigned;
  asyncSignatureUrl(key: string, options?: SignatureUrlOptions): Promise<string>;
  signRequest(request?: SignRequestOptions): SignedRequest;
  postObjectFields(options: PostObjectOptions): PostObjectFields;
  diagnose(explanation: Explanation, stringToSign: string, canonicalRequest?: string): Diagnosis;
  credentialStatus(): CredentialStatus;
  refreshCredentials(): Promise<void>;
  /** PutObject: one signed PUT with byte-level progress, retries and a CRC-64 check. */
  put(key: string, body: UploadBody, options?: PutOptions): Promise<PutResult>;
  /**
   * Parallel, resumable multipart upload (InitiateMultipartUpload, UploadPart, CompleteMultipartUpload).
   * When InitiateMultipartUpload had to be sent again (an answer lost), the uploads the earlier
   * attempts started are found (ListMultipartUploads: needs oss:ListMultipartUploads) and aborted.
   */
  multipartUpload(key: string, file: UploadBody, options?: MultipartOptions): Promise<MultipartResult>;
  /** put below multipartThreshold, multipartUpload above. */
  upload(key: string, file: UploadBody, options?: UploadOptions): Promise<PutResult | MultipartResult>;
  /** Resumable uploads with a checkpoint in this client's bucket. */
  pendingUploads(options?: { checkpoint?: CheckpointStore }): Promise<PendingUpload[]>;
  /** Aborts a multipart upload on OSS (its parts are deleted) and forgets its checkpoint. */
  abortUpload(upload: { key: string; uploadId: string }, options?: { checkpoint?: CheckpointStore; signal?: AbortSignal; retry?: RetryOptions }): Promise<void>;
  get(key: string, options?: GetOptions & { as?: 'blob' }): Promise<GetResult<Blob>>;
  get(key: string, options: GetOptions & { as: 'text' }): Promise<GetResult<string>>;
  get(key: string, options: GetOptions & { as: 'arraybuffer' | 'arrayBuffer' }): Promise<GetResult<ArrayBuffer>>;
  get(key: string, options: GetOptions & { as: 'stream' }): Promise<GetResult<ReadableStream<Uint8Array>>>;
  head(key: string, options?: { versionId?: string; signal?: AbortSignal; retry?: RetryOptions }): Promise<ObjectInfo>;
  delete(key: string, options?: { versionId?: string; signal?: AbortSignal; retry?: RetryOptions }): Promise<{ key: string }>;
  /** One page of ListObjectsV2. */
  list(options?: ListOptions): Promise<ListResult>;
  /** PostObject with a policy signed for exactly key (policy options as postObjectFields). */
  postObject(key: string, file: Body, options?: PostObjectUploadOptions): Promise<PutResult>;
  /** The CRC-64 of a body as OSS computes it (x-oss-hash-crc64ecma), decimal; computed in the wasm module. */
  crc64(body: Body, options?: { signal?: AbortSignal }): Promise<string>;
  on(type: 'credentialschange', listener: (e: CredentialsChangeEvent) => void): this;
  on(type: 'credentialserror', listener: (e: CredentialsErrorEvent) => void): this;
  off(type: 'credentialschange' | 'credentialserror', listener: (e: Event) => void): this;
  close(): void;
}

export declare class OssignError extends Error {
  /** Stable code: InvalidObjectName, ExpiredCredentials, VendingFailed (unreachable or HTTP error),
   * VendingRejected (Code other than Success), LoadFailed, InvalidArgument; for transfers
   * OSS's own Code (NoSuchKey, AccessDenied, SignatureDoesNotMatch, …), NetworkError,
   * CORSBlocked and CORSHeaderHidden (the message names the CORS rule to add), CRC64Mismatch,
   * CheckpointFailed, …; Unsupported where Service Workers are missing (registerServiceWorker). */
  readonly code: string;
  /** HTTP status of a failed vending fetch or OSS request. */
  readonly status?: number;
  /** OSS's RequestId and detailed error code (EC). */
  readonly requestId?: string;
  readonly ec?: string;
  /** SignatureDoesNotMatch: OSS's string to sign and canonical request (tokens redacted), and what differs. */
  readonly stringToSign?: string;
  readonly canonicalRequest?: string;
  readonly diagnosis?: Diagnosis;
  /** RequestTimeTooSkewed: OSS's time. */
  readonly serverTime?: string;
  /** CRC64Mismatch: the part, OSS's CRC-64 and the one of the bytes here. */
  readonly partNumber?: number;
  readonly crc64?: string;
  readonly expectedCRC64?: string;
}

export declare function createClient(options: ClientOptions): Promise<Client>;

/**
 * Starts fetching, compiling and starting ossign.wasm now (once per page or worker), so that the
 * first createClient finds it ready; takes the wasmURL or wasmModule createClient would get.
 * Never rejects: createClient reports a failure. The script build calls it when evaluated,
 * unless its tag says data-preload="false".
 */
export declare function preload(options?: Pick<ClientOptions, 'wasmURL' | 'wasmModule'>): Promise<void>;

/** PUT to a URL signed elsewhere (no credentials, no wasm): progress, cancel, retries, renew on expiry. */
export declare function putWithURL(target: SignedTarget, body: UploadBody, options?: URLTransferOptions): Promise<Omit<PutResult, 'key'>>;

/** GET from a URL signed elsewhere. */
export declare function getWithURL(target: SignedTarget, options?: URLTransferOptions & { as?: GetOptions['as']; range?: GetOptions['range'] }): Promise<{ status: number; body: unknown; contentType: string | null; size?: number }>;

/** PostObject with a form signed elsewhere: {url, fields} (postObjectFields) or {URL, Fields, Key} (POST /sign). */
export declare function postWithForm(form: { url: string; fields: Record<string, string> } | { URL: string; Fields: Record<string, string>; Key?: string }, file: Body, options?: TransferOptions & { key?: string; transport?: Transport; timers?: ClientOptions['timers'] }): Promise<PutResult>;

/**
 * Options of ossign's Service Worker, ossign-sw.js. All but script, scope and token go into the
 * worker's script URL, so they survive the browser stopping and restarting it.
 */
export interface ServiceWorkerOptions {
  /** The worker's URL. Default: ossign-sw.js next to ossign.mjs (or ossign.min.js). */
  script?: string | URL;
  /** The pages the worker controls (default "/"). A scope above the script's folder needs the
   * header Service-Worker-Allowed on the script (or serve the script from the root). */
  scope?: string;
  /** Same-origin requests whose path starts with this are answered by the worker (default "/oss/"):
   * /oss/<key>?process=…&versionId=…&response-content-type=…&download[=name]. */
  prefix?: string;
  /** The vending URL the worker fetches credentials from, with the origin's cookies (default "/sts"). */
  credentials?: string;
  /** For a vending server that wants a bearer token: gives the current one. The worker asks the
   * page before each credentials fetch (by postMessage) and keeps it in memory only. */
  token?: () => string | Promise<string>;
  bucket?: string;
  region?: string;
  endpoint?: string;
  signatureVersion?: SignatureVersion;
  pathStyle?: boolean;
  cname?: boolean;
}

/** What the Service Worker controlling the page did since it (last) started. */
export interface ServiceWorkerStats {
  /** A random id, new after each restart of the worker. */
  instance: string;
  startedAt: number;
  /** Requests under the prefix it answered. */
  fetchEvents: number;
  signatures: number;
  /** Credentials installed since it started. */
  credentials: number;
  /** Where it took ossign.wasm from: its cache, or the network (the first start). */
  module: 'not loaded' | 'cache' | 'network';
}

/**
 * Registers ossign's Service Worker and resolves once it controls the page: from then on the
 * page's same-origin requests under the prefix (<img src="/oss/…">, <video>, links, CSS, fetch)
 * are signed and fetched by the worker. Loads no wasm in the page. Rejects with LoadFailed when
 * the worker cannot install, InvalidArgument for options it cannot take, Unsupported without
 * Service Workers (they need https:// or localhost).
 */
export declare function registerServiceWorker(options?: ServiceWorkerOptions): Promise<ServiceWorkerRegistration>;

/** Asks the Service Worker controlling the page what it did since it started. */
export declare function serviceWorkerStats(): Promise<ServiceWorkerStats>;

/** Makes the Service Worker forget its credentials and bearer token (call it at logout). */
export declare function forgetServiceWorkerCredentials(): Promise<void>;
