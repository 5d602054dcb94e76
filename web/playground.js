// The signer playground: method, key, expiry, V1/V4, Content-Type, response overrides,
// x-oss-process, traffic limit, extra headers and the signing time → the presigned URL, the
// headers to send with it, the canonical request and the string to sign (presign with
// explain: true). Send tries the URL; an OSS error is explained in place.
import { createClient } from '/dist/ossign.mjs';
import { el, byId, errorBox, busy, copyText, formatTime, redactToken } from './ui.js';
import { parseOSSError, explainedError, comparisonView } from './explainer.js';

/** Methods whose request carries the body box's text. */
const WITH_BODY = new Set(['PUT', 'POST']);
/** How much of a successful answer is shown. */
const SHOWN_BODY = 2000;

/**
 * @param {import('/dist/index.d.ts').Client} main the page's client: its clock is "now"
 * @returns {{lastSigned: () => ({client, presigned} | undefined)}}
 */
export function initPlayground(main) {
  const form = byId('playground');
  const out = byId('playground-out');
  const submit = form.querySelector('button[type=submit]');
  form.elements.key.value = `${main.prefix ?? ''}hello.txt`;
  let pinned; // the signing time while one signature is made, ms
  const clients = {}; // by signature version: clients whose clock is the playground's
  let last;

  const clientFor = (version) => (clients[version] ??= createClient({
    credentials: '/sts', signatureVersion: version, clockOffset: 0, now: () => pinned ?? main.now(),
  }).catch((err) => {
    delete clients[version];
    throw err;
  }));

  byId('sign-now').addEventListener('click', () => {
    form.elements.signAt.value = new Date(main.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    last = undefined;
    out.replaceChildren();
    busy(submit, out, async () => {
      const input = readForm(form);
      const client = await clientFor(input.version);
      const at = input.at ?? main.now();
      pinned = at;
      let presigned;
      try {
        presigned = client.presign(input.key, input.opts);
      } finally {
        pinned = undefined;
      }
      last = { client, presigned };
      out.replaceChildren(...resultView(last, at, main.now()));
    });
  });
  return { lastSigned: () => last };
}

/** The form's inputs as presign arguments; bad input throws an error naming the field. */
function readForm(form) {
  const f = form.elements;
  const opts = { method: f.method.value, expires: Number(f.expires.value), explain: true };
  const text = (name) => f[name].value.trim();
  if (text('contentType')) opts['Content-Type'] = text('contentType');
  const response = nameValueLines(f.response.value, 'Response overrides', (name) => name.replace(/^response-/i, ''));
  if (Object.keys(response).length) opts.response = response;
  if (text('process')) opts.process = text('process');
  if (text('trafficLimit')) opts.trafficLimit = Number(text('trafficLimit'));
  const headers = nameValueLines(f.headers.value, 'Extra headers');
  if (Object.keys(headers).length) opts.headers = headers;
  return { key: f.key.value, version: f.version.value, at: signingTime(text('signAt')), opts };
}

/** "name: value" lines (blank lines skipped) as an object. */
function nameValueLines(text, what, rename = (name) => name) {
  const out = {};
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const at = line.indexOf(':');
    if (at <= 0) throw inputError(`${what}, line ${i + 1}: write one "name: value" per line`);
    out[rename(line.slice(0, at).trim())] = line.slice(at + 1).trim();
  });
  return out;
}

/** The "sign at" time in ms, or undefined for now. */
function signingTime(text) {
  if (!text) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw inputError(`Sign at: "${text}" is not a time: write one such as 2026-05-01T10:00:00Z, or leave it empty for now`);
  return ms;
}

function inputError(message) {
  return Object.assign(new Error(message), { code: 'InvalidInput' });
}

/** The signed URL, its expiry, the headers to send (editable), Send, and the signed strings. */
function resultView(signed, at, now) {
  const { presigned } = signed;
  const x = presigned.explanation;
  const note = el('span', { class: 'note', role: 'status' });
  const headers = el('textarea', { id: 'pg-headers', rows: Math.max(2, Object.keys(presigned.headers).length + 1), spellcheck: 'false' },
    Object.entries(presigned.headers).map(([k, v]) => `${k}: ${v}`).join('\n'));
  const body = el('textarea', { id: 'pg-body', rows: 2 }, 'hello from the ossign playground\n');
  const sendOut = el('div', { id: 'pg-send-out', 'aria-live': 'polite' });
  const send = el('button', { type: 'button', id: 'pg-send' }, `Send this ${presigned.method}`);
  send.addEventListener('click', () => busy(send, sendOut, () => sendSigned(signed, headers.value, WITH_BODY.has(presigned.method) ? body.value : undefined, sendOut)));
  const expired = presigned.expiresAt.getTime() <= now ? ' — already expired' : '';
  return [
    el('p', {}, `Signed ${x.version.toUpperCase()} at ${new Date(at).toISOString()}; valid until ${formatTime(presigned.expiresAt)}`,
      presigned.clamped ? ' (shortened to the credentials’ expiry)' : '', expired, '.'),
    el('h3', {}, 'URL'),
    el('div', { class: 'url' }, el('code', { id: 'pg-url' }, presigned.url)),
    el('div', { class: 'actions' }, el('button', { type: 'button', onclick: () => copyText(presigned.url, note) }, 'Copy URL'), note),
    el('label', { for: 'pg-headers' }, 'Headers to send with it, exactly (edit them to see what OSS says when they differ from the signed ones)'),
    headers,
    WITH_BODY.has(presigned.method) ? [el('label', { for: 'pg-body' }, 'Body to send'), body] : null,
    el('div', { class: 'actions' }, send),
    sendOut,
    el('h3', {}, 'Canonical request'),
    el('pre', { id: 'pg-canonical', tabindex: 0 }, x.canonicalRequest ? redactToken(x.canonicalRequest) : '(V1 has none: it signs the string to sign directly)'),
    el('h3', {}, 'String to sign'),
    el('pre', { id: 'pg-string-to-sign', tabindex: 0 }, redactToken(x.stringToSign)),
    el('p', {}, 'Signature: ', el('code', { id: 'pg-signature' }, x.signature)),
  ].flat();
}

/** Sends the signed request with the headers given; shows OSS's answer, explained if an error. */
async function sendSigned({ client, presigned }, headerText, body, out) {
  out.replaceChildren(el('p', {}, 'Sending…'));
  const headers = nameValueLines(headerText, 'Headers to send');
  let res;
  try {
    res = await fetch(presigned.url, { method: presigned.method, headers, body });
  } catch (cause) {
    throw Object.assign(new Error(`no readable answer (${cause.message}): the endpoint is unreachable, or the bucket's CORS rule refuses this page or one of these headers`), { code: 'NetworkError' });
  }
  const text = presigned.method === 'HEAD' ? '' : await res.text();
  if (res.ok) {
    out.replaceChildren(el('p', { class: 'ok' }, `HTTP ${res.status} ${res.statusText}: OSS accepted the signature.`),
      text ? el('pre', { tabindex: 0 }, text.slice(0, SHOWN_BODY)) : null);
    return;
  }
  let fields;
  try {
    fields = parseOSSError(text);
  } catch {
    fields = { code: `HTTP${res.status}`, message: `OSS answered HTTP ${res.status} without an error document${presigned.method === 'HEAD' ? ' (a HEAD answer has no body)' : ''}`, requestId: res.headers.get('x-oss-request-id') ?? undefined };
  }
  out.replaceChildren(errorBox(explainedError(client, presigned.explanation, fields, res.status)));
  if (fields.code === 'SignatureDoesNotMatch') out.append(comparisonView(presigned.explanation, fields));
}
