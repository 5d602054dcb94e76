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
   * (default credentials: 'same-origin', cache: 'no-store'). */
  fetchOptions?: RequestInit;
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
  /** The wasm module's URL. Default: ossign.wasm next to the script or module. (Node's fetch
   * cannot read file: URLs: in Node pass wasmModule.) */
  wasmURL?: string | URL;
  /** The compiled module or its bytes, instead of fetching wasmURL. */
  wasmModule?: WebAssembly.Module | BufferSource;
  /** Retries of a failed credentials fetch: count (default 3) and backoff in ms. */
  retry?: { retries?: number; baseDelay?: number; maxDelay?: number };
  /** The local clock, ms since the epoch (default Date.now). For tests. */
  now?: () => number;
  /** Timer functions (default the global ones). For tests. */
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
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
  on(type: 'credentialschange', listener: (e: CredentialsChangeEvent) => void): this;
  on(type: 'credentialserror', listener: (e: CredentialsErrorEvent) => void): this;
  off(type: 'credentialschange' | 'credentialserror', listener: (e: Event) => void): this;
  close(): void;
}

export declare class OssignError extends Error {
  /** Stable code: InvalidObjectName, ExpiredCredentials, VendingFailed (unreachable or HTTP error),
   * VendingRejected (Code other than Success), LoadFailed, InvalidArgument, … */
  readonly code: string;
  /** HTTP status of a failed vending fetch. */
  readonly status?: number;
}

export declare function createClient(options: ClientOptions): Promise<Client>;
