// "Why did OSS say SignatureDoesNotMatch?": OSS's error document, pasted or received, read into
// a readable error (code, message, request id) and, for a signature mismatch, compared with
// what the playground signed: client.diagnose names the part that differs and why, and the
// signed strings are shown line by line with the differing lines marked. Tokens are redacted.
import { el, byId, errorBox, redactToken } from './ui.js';

/** The fields of an OSS <Error> document, or an error saying the text is not one. */
export function parseOSSError(text) {
  const doc = new DOMParser().parseFromString(String(text).trim(), 'application/xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.nodeName !== 'Error') {
    throw Object.assign(new Error('This is not an OSS error document: paste the whole XML, from <?xml … (or <Error>) to </Error>.'), { code: 'NotAnOSSError' });
  }
  const field = (name) => [...root.children].find((c) => c.nodeName === name)?.textContent;
  return {
    code: field('Code') ?? 'UnknownError',
    message: field('Message') ?? '',
    requestId: field('RequestId'),
    ec: field('EC'),
    stringToSign: field('StringToSign'),
    canonicalRequest: field('CanonicalRequest'),
  };
}

/**
 * A readable error from an OSS error document's fields: with the diagnosis of client.diagnose
 * when OSS says SignatureDoesNotMatch and we know what we signed (explanation).
 */
export function explainedError(client, explanation, fields, status) {
  const err = { ...fields, status, message: redactToken(fields.message) };
  if (fields.code === 'SignatureDoesNotMatch' && explanation) {
    err.diagnosis = client.diagnose(explanation, fields.stringToSign ?? '', fields.canonicalRequest ?? '');
  }
  return err;
}

/**
 * Our signed string next to OSS's, line by line: equal lines once, a differing line as
 * "− ours" then "+ OSS". V4 compares the canonical requests when OSS sent one.
 */
export function comparisonView(explanation, fields) {
  const canonical = explanation.version === 'v4' && fields.canonicalRequest;
  const ours = redactToken(canonical ? explanation.canonicalRequest : explanation.stringToSign).split('\n');
  const theirs = redactToken(canonical ? fields.canonicalRequest : fields.stringToSign ?? '').replace(/\r\n/g, '\n').split('\n');
  const lines = [];
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if (ours[i] === theirs[i]) lines.push(el('span', { class: 'same' }, `  ${ours[i]}\n`));
    else {
      if (i < ours.length) lines.push(el('span', { class: 'ours' }, `− ${ours[i]}\n`));
      if (i < theirs.length) lines.push(el('span', { class: 'theirs' }, `+ ${theirs[i]}\n`));
    }
  }
  const what = canonical ? 'canonical request' : 'string to sign';
  return el('figure', { class: 'comparison' },
    el('figcaption', {}, `The ${what}, line by line: − what we signed, + what OSS computed`),
    el('pre', { tabindex: 0, 'aria-label': `The ${what} compared` }, lines));
}

/**
 * The paste box. lastSigned() returns the playground's last signature ({client, presigned}),
 * the one OSS's answer is compared with.
 */
export function initExplainer(lastSigned) {
  const box = byId('error-xml');
  const out = byId('explain-out');
  byId('explainer').addEventListener('submit', (e) => {
    e.preventDefault();
    out.replaceChildren();
    try {
      const fields = parseOSSError(box.value);
      const signed = lastSigned();
      if (fields.code === 'SignatureDoesNotMatch' && !signed) {
        out.append(el('p', { class: 'note' }, 'Sign the request in the playground first: the explainer compares OSS’s answer with what was signed there.'));
      }
      const explanation = signed?.presigned.explanation;
      out.append(errorBox(explainedError(signed?.client, explanation, fields)));
      if (fields.code === 'SignatureDoesNotMatch' && explanation) out.append(comparisonView(explanation, fields));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  });
}
