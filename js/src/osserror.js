import { OssignError } from './errors.js';
import { parseXML } from './xml.js';
import { bodyText, shownURL } from './transport.js';

/**
 * Turns an OSS error response into an OssignError with OSS's Code, its message, the HTTP
 * status, RequestId, EC, and what else the document says (ServerTime for a skewed clock,
 * StringToSign and CanonicalRequest for SignatureDoesNotMatch: pass the error through
 * redactError before it leaves ossign).
 * @param {{status: number, headers: Map<string, string>, body: unknown}} reply
 * @param {string} what the operation, for the message ("PUT users/42/a.jpg")
 */
export async function responseError(reply, what) {
  const fields = errorFields(await bodyText(reply.body).catch(() => ''), reply.headers);
  const requestId = fields.RequestId || reply.headers.get('x-oss-request-id') || undefined;
  const code = fields.Code || statusCode(reply.status);
  const detail = fields.Message ? `: ${fields.Message}` : '';
  const ids = requestId ? ` (request id ${requestId})` : '';
  return new OssignError(code, redactToken(`${what}: OSS answered HTTP ${reply.status} ${code}${detail}${ids}`), {
    status: reply.status,
    requestId,
    ec: fields.EC || reply.headers.get('x-oss-ec') || undefined,
    hostId: fields.HostId || undefined,
    serverTime: fields.ServerTime || undefined,
    stringToSign: fields.StringToSign,
    canonicalRequest: fields.CanonicalRequest,
  });
}

/** The child elements of an <Error> document (or of x-oss-err, a HEAD's base64 document). */
function errorFields(text, headers) {
  if (!text && headers.has('x-oss-err')) {
    try {
      text = new TextDecoder().decode(Uint8Array.from(atob(headers.get('x-oss-err')), (c) => c.charCodeAt(0)));
    } catch {
      text = '';
    }
  }
  const fields = {};
  if (!text.trimStart().startsWith('<')) return fields;
  try {
    const root = parseXML(text);
    if (root.name === 'Error') for (const c of root.children) fields[c.name] = c.text;
  } catch {
    // not OSS's document (a proxy's page): the status speaks
  }
  return fields;
}

/** A code for an error without a readable document (HEAD, or a proxy's answer). */
function statusCode(status) {
  return { 403: 'AccessDenied', 404: 'NoSuchKey', 412: 'PreconditionFailed', 416: 'InvalidRange', 429: 'TooManyRequests', 503: 'ServiceUnavailable' }[status] ?? 'UnknownError';
}

/** Replaces security tokens in a canonical request, string to sign or URL. */
export function redactToken(s) {
  return s.replace(/((?:x-oss-)?security-token[:=])[^\n&]*/gi, '$1<redacted>');
}

/**
 * Removes security tokens from what an OSS error carries (the server's string to sign and
 * canonical request, the diagnosis) before it reaches the caller.
 */
export function redactError(err) {
  for (const name of ['stringToSign', 'canonicalRequest', 'message']) {
    if (typeof err[name] === 'string') err[name] = redactToken(err[name]);
  }
  for (const d of err.diagnosis?.differences ?? []) {
    if (/security-token/i.test(d.part)) Object.assign(d, { ours: '<redacted>', theirs: '<redacted>' });
    else Object.assign(d, { ours: redactToken(d.ours), theirs: redactToken(d.theirs) });
  }
  return err;
}

/**
 * The CORS rule a bucket needs for this page, in the words of OSS's console.
 * @param {string} bucket
 */
function corsRule(bucket) {
  const origin = globalThis.location?.origin ?? '<your page origin>';
  return `add a CORS rule to bucket ${bucket}: AllowedOrigin ${origin}, AllowedMethod GET, PUT, POST, DELETE, HEAD, ` +
    'AllowedHeader *, ExposeHeader ETag, x-oss-request-id, x-oss-hash-crc64ecma';
}

/** The header a response must let the page read, or a CORSHeaderHidden error naming the rule. */
export function requireHeader(reply, name, what, bucket) {
  const value = reply.headers.get(name.toLowerCase());
  if (value != null) return value;
  throw new OssignError('CORSHeaderHidden',
    `${what}: OSS answered HTTP ${reply.status} but the browser hides its ${name} header, which ossign needs: ` +
    `the bucket's CORS rule does not expose it. ${corsRule(bucket)}`, { status: reply.status, requestId: reply.headers.get('x-oss-request-id') ?? undefined });
}

/**
 * After a request kept failing without a response: when a simple no-CORS request reaches the
 * same origin, the server is up and the browser is refusing the responses by CORS, so the error
 * becomes CORSBlocked naming the rule to add. Elsewhere (Node, same origin) err is returned.
 */
export async function explainNetworkFailure(err, url, bucket, attempts) {
  const origin = new URL(url).origin;
  const page = globalThis.location?.origin;
  if (!page || page === origin) return err;
  try {
    await fetch(`${origin}/`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
  } catch {
    return err;
  }
  return new OssignError('CORSBlocked',
    `${shownURL(url)}: the browser got no readable response in ${attempts} attempt(s), yet ${origin} is reachable: ` +
    `the bucket's CORS rule most likely refuses this page (or its preflight). ${corsRule(bucket)}`, { cause: err });
}
