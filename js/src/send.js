import { responseError, explainNetworkFailure, redactError } from './osserror.js';
import { jitteredBackoff, retrySettings, retryableStatus, sleepFor } from './retry.js';

/** Codes that mean the credentials no longer work: new ones and a new signature may. */
const CREDENTIAL_CODES = new Set(['SecurityTokenExpired', 'InvalidAccessKeyId', 'InvalidSecurityToken']);

/** At most this many credential refreshes, clock corrections or URL renewals per request. */
const MAX_RENEWALS = 2;

/**
 * Sends one request, retrying what retrying can fix. Every attempt is prepared anew (signed, or
 * given a fresh URL) and sends its body again from the start (a Blob is re-read; never an
 * empty body):
 * - no response, 5xx, 429: jittered exponential backoff, up to retry.retries times; a request
 *   that never got a readable response ends as CORSBlocked when the endpoint is reachable;
 * - an OSS error that hooks.renew can mend (new credentials, a corrected clock, a new URL):
 *   at once, at most twice;
 * - anything else fails at once, as OSS's Code (hooks.explain may add to the error).
 * The reply tells how many times the request was sent (attempts): more than once means an
 * earlier attempt may have reached OSS and taken effect although its answer never arrived.
 * @param {{send: Function}} transport
 * @param {{method: string, body?: Blob|string, responseType?: string, cache?: RequestCache,
 *   notModified?: boolean, onUploadProgress?: Function, onDownloadProgress?: Function}} spec
 *   (notModified: a 304 is an answer, for requests with If-None-Match or If-Modified-Since)
 * @param {{signal?: AbortSignal, retry?: object|false, timers?: object, retryDefaults?: object}} opts
 * @param {{what: string, bucket?: string, prepare: () => Promise<{url: string, headers: object, body?: unknown}>,
 *   renew: (err: Error, prepared: object) => Promise<boolean>, explain?: (err: Error, prepared: object) => void}} hooks
 * @returns {Promise<{status: number, headers: Map<string, string>, body: unknown, attempts: number}>}
 */
export async function sendWithRetry(transport, spec, opts, hooks) {
  const retry = retrySettings(opts.retry, opts.retryDefaults);
  let failures = 0;
  let renewals = 0;
  let attempts = 0;
  const backoff = () => sleepFor(jitteredBackoff(failures++, retry), opts.signal, opts.timers);
  for (;;) {
    opts.signal?.throwIfAborted();
    const prepared = await hooks.prepare();
    let reply;
    attempts++;
    try {
      reply = await transport.send({
        method: spec.method, url: prepared.url, headers: prepared.headers, body: prepared.body ?? spec.body,
        responseType: spec.responseType, cache: spec.cache, signal: opts.signal,
        onUploadProgress: spec.onUploadProgress, onDownloadProgress: spec.onDownloadProgress,
      });
    } catch (err) {
      if (!err?.network) throw err;
      if (failures < retry.retries) {
        await backoff();
        continue;
      }
      throw await explainNetworkFailure(err, prepared.url, hooks.bucket, failures + 1);
    }
    if ((reply.status >= 200 && reply.status < 300) || (reply.status === 304 && spec.notModified)) return Object.assign(reply, { attempts });
    const err = await responseError(reply, hooks.what);
    if (renewals < MAX_RENEWALS && await hooks.renew(err, prepared)) {
      renewals++;
      continue;
    }
    if (retryableStatus(reply.status) && failures < retry.retries) {
      await backoff();
      continue;
    }
    hooks.explain?.(err, prepared);
    throw redactError(err);
  }
}

/**
 * Sends one request to OSS signed with an Authorization header (sendWithRetry's rules):
 * SecurityTokenExpired, InvalidAccessKeyId, InvalidSecurityToken, or AccessDenied while the
 * credentials have expired refresh the credentials (once for every request that saw the same
 * ones); RequestTimeTooSkewed sets the clock offset from the error's ServerTime;
 * SignatureDoesNotMatch carries the diagnosis. spec.sign, when given, signs an attempt instead
 * of the Authorization header (a PostObject form, a presigned URL): (request, nowMs) → {url,
 * headers, body}; spec.explanation(nowMs) then gives the explanation of that signature, if any.
 * @param {import('./client.js').Client} client
 * @param {{method: string, key?: string, bucket?: string, query?: object, headers?: object,
 *   body?: Blob|string, responseType?: string, onUploadProgress?: Function,
 *   onDownloadProgress?: Function, sign?: Function, explanation?: Function}} spec
 * @param {{signal?: AbortSignal, retry?: object|false}} [opts]
 */
export function sendSigned(client, spec, opts = {}) {
  const request = {
    method: spec.method, bucket: spec.bucket ?? client.bucket, key: spec.key ?? '',
    headers: spec.headers, query: spec.query,
  };
  const sign = spec.sign ?? ((r, at) => client.signAt(r, at));
  return sendWithRetry(client.transport, spec, { ...opts, retry: opts.retry ?? client.retry, timers: client.timers }, {
    what: `${spec.method} ${spec.key || request.bucket || '/'}`,
    bucket: request.bucket,
    async prepare() {
      await client.credentials.ready();
      const signedAt = client.now();
      return { ...sign(request, signedAt), signedAt, generation: client.credentials.generation };
    },
    async renew(err, prepared) {
      if (credentialsFailed(client, err, prepared.signedAt)) {
        // Requests that ran with the same credentials share one refresh.
        if (client.credentials.generation === prepared.generation) await client.credentials.refresh();
        return true;
      }
      if (err.code === 'RequestTimeTooSkewed' && err.serverTime) {
        client.correctClock(err.serverTime);
        return true;
      }
      return false;
    },
    explain(err, prepared) {
      const explanation = spec.sign ? spec.explanation : (at) => client.signAt({ ...request, explain: true }, at).explanation;
      if (err.code === 'SignatureDoesNotMatch' && explanation) explainSignature(client, err, () => explanation(prepared.signedAt));
    },
  });
}

/**
 * Sends one request to OSS through a presigned URL (sendSigned's rules: new credentials, a
 * corrected clock, the SignatureDoesNotMatch diagnosis), with the headers given sent unsigned
 * beside it (Range, If-None-Match, …). A GET through a URL needs no CORS preflight.
 * @param {import('./client.js').Client} client
 * @param {{method: string, key: string, options?: object, headers?: object, responseType?: string,
 *   cache?: RequestCache, notModified?: boolean, signingTime?: (nowMs: number) => number,
 *   onSigned?: () => void}} spec options: signatureUrl's (process, response, versionId, …);
 *   signingTime: the time to sign at, from the current one (default: the current one)
 * @param {{signal?: AbortSignal, retry?: object|false}} [opts]
 */
export function sendPresigned(client, spec, opts = {}) {
  const presignAt = (nowMs, explain) => client.presignAt(spec.key, { ...spec.options, method: spec.method, explain }, spec.signingTime ? spec.signingTime(nowMs) : nowMs);
  return sendSigned(client, {
    ...spec,
    sign(request, nowMs) {
      const { url, headers } = presignAt(nowMs, false);
      spec.onSigned?.();
      return { url, headers: { ...headers, ...spec.headers } };
    },
    explanation: (nowMs) => presignAt(nowMs, true).explanation,
  }, opts);
}

/** Whether err says the credentials stopped working, and new ones can be had. */
function credentialsFailed(client, err, signedAt) {
  if (!client.credentials.refreshable) return false;
  return CREDENTIAL_CODES.has(err.code) || (err.code === 'AccessDenied' && client.credentials.expiredAt(signedAt));
}

/** Adds the SignatureDoesNotMatch diagnosis: the request signed again (explanationOf), with its explanation. */
function explainSignature(client, err, explanationOf) {
  if (!err.stringToSign) return;
  try {
    const explanation = explanationOf();
    const diagnosis = client.diagnose(explanation, err.stringToSign, err.canonicalRequest ?? '');
    err.diagnosis = diagnosis;
    err.message += `. ${diagnosis.summary}`;
  } catch (cause) {
    err.diagnosis = { summary: `no diagnosis: ${cause.message}`, differences: [] };
  }
}
