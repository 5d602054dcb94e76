// The Service Worker build's pure parts, in Node: its configuration in the script URL, how a
// request under the prefix maps to a signed GET, the responses it gives the page, and the
// bearer-token hand-over (fake clients and timers). The worker itself runs in Chromium
// (js/browsertest/sw_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerScriptURL, readWorkerConfig } from '../src/sw-config.js';
import { routeOf, attachment, forwardedHeaders, isConditional } from '../src/sw-route.js';
import { objectResponse, errorResponse } from '../src/sw-response.js';
import { TokenSource, MESSAGE } from '../src/sw-token.js';
import { OssignError } from '../src/errors.js';

test('the script URL carries the options in a fixed order, and the worker reads them back', () => {
  const url = workerScriptURL('https://app.example/ossign-sw.js', { prefix: '/files/', credentials: '/api/sts?app=1', pathStyle: true, bucket: undefined, cname: false });
  assert.equal(url.href, 'https://app.example/ossign-sw.js?credentials=%2Fapi%2Fsts%3Fapp%3D1&prefix=%2Ffiles%2F&pathStyle=1');
  const config = readWorkerConfig(url);
  assert.deepEqual(config, {
    credentials: 'https://app.example/api/sts?app=1', prefix: '/files/', auth: 'cookie',
    client: { bucket: undefined, region: undefined, endpoint: undefined, signatureVersion: undefined, pathStyle: true, cname: false },
  });
  assert.equal(readWorkerConfig(new URL('https://app.example/ossign-sw.js')).prefix, '/oss/', 'default prefix');
  assert.equal(readWorkerConfig(new URL('https://app.example/ossign-sw.js')).credentials, 'https://app.example/sts', 'default vending URL');
});

test('bad worker options are refused with InvalidArgument', () => {
  const cases = {
    'unknown option': '?prefx=/oss/',
    'prefix without its trailing slash': '?prefix=/oss',
    'the whole site': '?prefix=/',
    'prefix with a query': '?prefix=/oss%3Fa/',
    'unknown auth': '?auth=basic',
  };
  for (const [name, query] of Object.entries(cases)) {
    assert.throws(() => readWorkerConfig(new URL(`https://app.example/ossign-sw.js${query}`)), (e) => e.code === 'InvalidArgument', name);
  }
  assert.throws(() => workerScriptURL('https://app.example/ossign-sw.js', { prefx: '/oss/' }), (e) => e.code === 'InvalidArgument');
});

test('a request under the prefix names an object and signatureUrl options', () => {
  const cases = [
    { name: 'plain key', url: '/oss/users/42/a.jpg', want: { key: 'users/42/a.jpg', options: {} } },
    { name: 'percent-encoded key, + kept', url: '/oss/users/42/%E4%B8%AD%20a+b.jpg', want: { key: 'users/42/中 a+b.jpg', options: {} } },
    { name: 'encoded slash', url: '/oss/a%2Fb', want: { key: 'a/b', options: {} } },
    { name: 'process', url: '/oss/a.jpg?process=image/resize,w_200', want: { key: 'a.jpg', options: { process: 'image/resize,w_200' } } },
    { name: 'x-oss-process', url: '/oss/a.jpg?x-oss-process=image/format,webp', want: { key: 'a.jpg', options: { process: 'image/format,webp' } } },
    { name: 'versionId', url: '/oss/a.jpg?versionId=CAEQ%2B1', want: { key: 'a.jpg', options: { versionId: 'CAEQ+1' } } },
    { name: 'response overrides', url: '/oss/r.pdf?response-content-type=application/pdf&response-cache-control=no-cache',
      want: { key: 'r.pdf', options: { response: { 'content-type': 'application/pdf', 'cache-control': 'no-cache' } } } },
    { name: 'download: the key\'s name', url: '/oss/users/42/r.pdf?download',
      want: { key: 'users/42/r.pdf', options: { response: { 'content-disposition': 'attachment; filename="r.pdf"; filename*=UTF-8\'\'r.pdf' } } } },
    { name: 'download=name', url: '/oss/r.pdf?download=Q1%20%E6%8A%A5%E5%91%8A.pdf',
      want: { key: 'r.pdf', options: { response: { 'content-disposition': 'attachment; filename="Q1 __.pdf"; filename*=UTF-8\'\'Q1%20%E6%8A%A5%E5%91%8A.pdf' } } } },
    { name: 'response-content-disposition wins over download', url: '/oss/r.pdf?download&response-content-disposition=inline',
      want: { key: 'r.pdf', options: { response: { 'content-disposition': 'inline' } } } },
  ];
  for (const c of cases) assert.deepEqual(routeOf(`https://app.example${c.url}`, '/oss/'), c.want, c.name);
});

test('requests the worker cannot map are refused before signing', () => {
  const cases = [
    { name: 'no key', url: '/oss/', code: 'InvalidObjectName' },
    { name: 'broken percent-encoding', url: '/oss/a%E4.jpg', code: 'InvalidObjectName' },
    { name: 'unknown parameter (a typo)', url: '/oss/a.jpg?proces=image/resize,w_1', code: 'InvalidArgument' },
    { name: 'not an override OSS has', url: '/oss/a.jpg?response-x-foo=1', code: 'InvalidArgument' },
  ];
  for (const c of cases) assert.throws(() => routeOf(`https://app.example${c.url}`, '/oss/'), (e) => e.code === c.code, c.name);
});

test('attachment names a file as RFC 6266 says: an ASCII fallback and the exact UTF-8 name', () => {
  assert.equal(attachment('a "b" 100%.txt'), 'attachment; filename="a _b_ 100_.txt"; filename*=UTF-8\'\'a%20%22b%22%20100%25.txt');
  assert.equal(attachment("it's (1).txt"), 'attachment; filename="it\'s (1).txt"; filename*=UTF-8\'\'it%27s%20%281%29.txt');
});

test('Range and the conditions go on to OSS, nothing else', () => {
  const headers = new Headers({ Range: 'bytes=0-', 'If-None-Match': '"e"', Cookie: 'session=1', Accept: 'image/*' });
  assert.deepEqual(forwardedHeaders(headers), { range: 'bytes=0-', 'if-none-match': '"e"' });
  assert.equal(isConditional(headers), true);
  assert.equal(isConditional(new Headers({ Range: 'bytes=0-' })), false);
});

/** A page's request as the worker sees it (mode navigate cannot be constructed in Node). */
function pageRequest(mode, headers = {}, method = 'GET') {
  return { method, mode, headers: new Headers(headers) };
}

test('an object response: OSS\'s status and headers, the disposition asked for, Accept-Ranges', async () => {
  const route = { options: { response: { 'content-disposition': 'attachment; filename="r.pdf"' } } };
  const reply = { status: 206, headers: new Map([['content-type', 'application/pdf'], ['content-range', 'bytes 0-2/10'], ['content-length', '3']]), body: new Blob(['abc']).stream() };
  const res = objectResponse(reply, route, pageRequest('no-cors', { Range: 'bytes=0-2' }));
  assert.equal(res.status, 206);
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="r.pdf"', 'kept even when CORS hides it');
  assert.equal(res.headers.get('accept-ranges'), 'bytes');
  assert.equal(res.headers.get('content-range'), 'bytes 0-2/10');
  assert.equal(await res.text(), 'abc');
  const processed = objectResponse({ status: 200, headers: new Map(), body: null }, { options: { process: 'image/resize,w_1' } }, pageRequest('navigate'));
  assert.equal(processed.headers.get('accept-ranges'), null, 'a processed image has no byte ranges');
  assert.equal(objectResponse({ status: 304, headers: new Map([['etag', '"e"']]), body: null }, { options: {} }, pageRequest('same-origin')).status, 304);
  const gzipped = objectResponse({ status: 200, headers: new Map([['content-encoding', 'gzip'], ['content-length', '5']]), body: null }, { options: {} }, pageRequest('navigate'));
  assert.equal(gzipped.headers.get('content-length'), null, 'the encoded length does not describe the decoded body');
});

test('the fetched response goes to the page as it is where nothing needs adding', () => {
  const fetched = new Response('png');
  const reply = (status, headers = {}) => ({ status, headers: new Map(Object.entries(headers)), body: fetched.body, response: fetched });
  const plain = { options: {} };
  const download = { options: { response: { 'content-disposition': 'attachment' } } };
  const cases = [
    { name: '<img>', reply: reply(200), route: plain, request: pageRequest('no-cors'), asIs: true },
    { name: 'fetch()', reply: reply(200), route: plain, request: pageRequest('cors'), asIs: true },
    { name: 'fetch() with If-None-Match', reply: reply(304), route: plain, request: pageRequest('cors', { 'If-None-Match': '"e"' }), asIs: true },
    { name: 'the disposition asked for is readable', reply: reply(200, { 'content-disposition': 'attachment' }), route: download, request: pageRequest('cors'), asIs: true },
    { name: 'a navigation keeps the page\'s URL', reply: reply(200), route: plain, request: pageRequest('navigate'), asIs: false },
    { name: 'same-origin mode cannot take a CORS response', reply: reply(200), route: plain, request: pageRequest('same-origin'), asIs: false },
    { name: 'a range for a media element', reply: reply(206), route: plain, request: pageRequest('no-cors', { Range: 'bytes=0-' }), asIs: false },
    { name: 'the disposition CORS hides', reply: reply(200), route: download, request: pageRequest('cors'), asIs: false },
  ];
  for (const c of cases) assert.equal(objectResponse(c.reply, c.route, c.request) === fetched, c.asIs, c.name);
});

test('an error response carries OSS\'s code and request id, and a status that fits', async () => {
  const cases = [
    { name: 'OSS refused', err: new OssignError('AccessDenied', 'GET a: OSS answered HTTP 403 AccessDenied', { status: 403, requestId: 'RID', ec: '0003-00000001' }), status: 403 },
    { name: 'bad request URL', err: new OssignError('InvalidArgument', 'unknown query parameter'), status: 400 },
    { name: 'vending said who are you', err: new OssignError('VendingFailed', 'HTTP 401', { status: 401 }), status: 401 },
    { name: 'vending broken', err: new OssignError('VendingFailed', 'HTTP 500', { status: 500 }), status: 502 },
    { name: 'OSS unreachable', err: new OssignError('NetworkError', 'no response'), status: 502 },
    { name: 'not ossign\'s', err: new TypeError('boom <x>'), status: 500 },
  ];
  for (const c of cases) {
    const res = errorResponse(c.err, 'GET');
    assert.equal(res.status, c.status, c.name);
    assert.equal(res.headers.get('x-oss-error-code'), c.err.code ?? 'InternalError', c.name);
    assert.equal(res.headers.get('x-oss-request-id'), c.err.requestId ?? null, c.name);
    assert.match(await res.text(), new RegExp(`<Code>${c.err.code ?? 'InternalError'}</Code>`), c.name);
  }
  const head = errorResponse(cases[0].err, 'HEAD');
  assert.equal(head.headers.get('x-oss-ec'), '0003-00000001');
  assert.equal(await head.text(), '', 'no body for HEAD');
  assert.match(await errorResponse(new TypeError('a <b> & c'), 'GET').text(), /<Message>a &lt;b&gt; &amp; c<\/Message>/);
});

/** Fake worker clients: pages that answer a token request (or not) through the source. */
function fakeClients(source, answers) {
  return {
    asked: 0,
    async matchAll() {
      return answers.map((answer) => ({
        postMessage: (m) => {
          assert.equal(m.type, MESSAGE.tokenRequest);
          this.asked++;
          if (answer !== undefined) queueMicrotask(() => source.offer(answer()));
        },
      }));
    },
  };
}

/** Timers that fire at once (the wait for an answer is over when the test needs it). */
const instantTimers = { setTimeout: (fn) => setTimeout(fn, 0), clearTimeout };

test('bearer token: the page asked before each fetch, the last token kept when none answers', async () => {
  const source = new TokenSource(undefined, instantTimers);
  let token = 'jwt-1';
  source.clients = fakeClients(source, [() => token]);
  assert.equal(await source.current(), 'jwt-1');
  token = 'jwt-2';
  assert.equal(await source.current(), 'jwt-2', 'a rotated token');
  source.clients = fakeClients(source, [undefined]);
  assert.equal(await source.current(), 'jwt-2', 'a page that does not answer: the last token');
  source.forget();
  await assert.rejects(source.current(), (e) => e.code === 'VendingFailed' && e.status === 401);
  source.clients = fakeClients(source, []);
  source.offer('pushed');
  assert.equal(await source.current(), 'pushed', 'no page open: the token a page pushed');
  source.offer('');
  assert.equal(source.token, 'pushed', 'an empty token is ignored');
});
