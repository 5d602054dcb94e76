import { escapeXML } from './xml.js';

// The Service Worker's answers to the page: OSS's response as the element needs it (status,
// headers, the body streamed), or an HTTP error carrying OSS's code and request id.

/** HTTP status of the worker's own errors (those OSS did not answer), by code. */
const STATUS_OF_CODE = {
  InvalidObjectName: 400,
  InvalidArgument: 400,
  InvalidExpiry: 400,
  MethodNotAllowed: 405,
  NetworkError: 502,
  CORSBlocked: 502,
  LoadFailed: 503,
  ExpiredCredentials: 503,
};

/**
 * The page's response to an object request, from OSS's reply. Where the browser allows it and
 * nothing needs adding, the fetched Response as it is (the browser then streams it to the page
 * without the worker's JavaScript: ~10% faster for a page of thumbnails). Otherwise a new
 * Response: OSS's status, the headers the bucket's CORS rule lets the worker read, the body as
 * a stream (none for HEAD and 304), and what the worker knows without reading it: the
 * Content-Disposition it asked OSS for (a download keeps its name even when CORS hides the
 * header) and Accept-Ranges for objects (OSS serves byte ranges of every object, processed
 * images aside). Navigations (links, downloads) always get a new Response: a document's URL
 * must stay the page's, not the signed one.
 * @param {{status: number, headers: Map<string, string>, body: ReadableStream|null, response?: Response}} reply
 * @param {{options: {process?: string, response?: object}}} route
 * @param {Request} request the page's request
 */
export function objectResponse(reply, route, request) {
  const disposition = route.options.response?.['content-disposition'];
  const ranged = reply.status === 206 || request.headers.has('range');
  const asIs = reply.response && (request.mode === 'no-cors' || request.mode === 'cors') && !ranged &&
    (disposition === undefined || reply.headers.has('content-disposition'));
  if (asIs) return reply.response;
  const headers = new Headers([...reply.headers]);
  if (disposition !== undefined && !headers.has('content-disposition')) headers.set('content-disposition', disposition);
  if (route.options.process === undefined && (reply.status === 200 || reply.status === 206) && !headers.has('accept-ranges')) headers.set('accept-ranges', 'bytes');
  if (headers.has('content-encoding')) headers.delete('content-length'); // fetch decoded the body: the length was the encoded one
  const body = request.method === 'HEAD' || reply.status === 304 ? null : reply.body;
  return new Response(body, { status: reply.status, headers });
}

/**
 * An error as an HTTP response: OSS's status (or one fitting ossign's code), the code in
 * x-oss-error-code, OSS's request id in x-oss-request-id and its detailed code in x-oss-ec,
 * and an OSS-style XML error document (no body for HEAD). Messages hold no secret (ossign's
 * errors never do; OSS's have their tokens redacted).
 * @param {Error & {code?: string, status?: number, requestId?: string, ec?: string}} err
 * @param {string} method
 */
export function errorResponse(err, method) {
  const code = err.code ?? 'InternalError';
  const status = errorStatus(err, code);
  const headers = { 'content-type': 'application/xml', 'cache-control': 'no-store', 'x-oss-error-code': code };
  if (err.requestId) headers['x-oss-request-id'] = err.requestId;
  if (err.ec) headers['x-oss-ec'] = err.ec;
  if (status === 405) headers.allow = 'GET, HEAD';
  const fields = [['Code', code], ['Message', err.message], ['RequestId', err.requestId], ['EC', err.ec]];
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    fields.filter(([, v]) => v).map(([name, v]) => `<${name}>${escapeXML(v)}</${name}>`).join('') + '</Error>\n';
  return new Response(method === 'HEAD' ? null : xml, { status, headers });
}

function errorStatus(err, code) {
  if (code === 'VendingFailed') return err.status === 401 || err.status === 403 ? err.status : 502;
  if (err.status >= 400 && err.status <= 599) return err.status;
  return STATUS_OF_CODE[code] ?? 500;
}
