// The smoke demo: get a token, sign, PUT a file, GET it back through a signed URL.
import { createClient } from '/dist/ossign.mjs';

const $ = (id) => document.getElementById(id);
let client;

function show(list, entries) {
  $(list).replaceChildren(...entries.flatMap(([name, value]) => {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = name;
    dd.textContent = value;
    return [dt, dd];
  }));
}

function status(text, kind = '') {
  $('status').textContent = text;
  $('status').className = kind;
}

async function getToken() {
  status('Fetching credentials…');
  $('token').disabled = true;
  $('roundtrip').disabled = true;
  try {
    client?.close();
    client = undefined;
    client = await createClient({ credentials: '/sts' });
  } finally {
    $('token').disabled = false;
  }
  const s = client.credentialStatus();
  show('creds', [
    ['bucket', client.bucket],
    ['region', client.region],
    ['endpoint', client.endpoint],
    ['your prefix', client.prefix],
    ['expires', new Date(s.expiration).toISOString()],
  ]);
  $('roundtrip').disabled = false;
  status('Credentials ready.', 'ok');
}

async function roundTrip() {
  const file = $('file').files[0] ?? new File([`hello from ossign at ${new Date().toISOString()}\n`], 'hello.txt', { type: 'text/plain' });
  const key = `${client.prefix ?? ''}${file.name}`;
  const type = file.type || 'application/octet-stream';
  status(`Uploading ${key}…`);
  const put = await client.asyncSignatureUrl(key, { method: 'PUT', 'Content-Type': type });
  const up = await fetch(put, { method: 'PUT', headers: { 'Content-Type': type }, body: file });
  if (!up.ok) throw new Error(`upload failed: HTTP ${up.status} ${await up.text()}`);
  const get = await client.asyncSignatureUrl(key);
  const down = await fetch(get);
  if (!down.ok) throw new Error(`download failed: HTTP ${down.status}`);
  const [sent, received] = await Promise.all([file.arrayBuffer(), down.arrayBuffer()]);
  const got = new Uint8Array(received);
  const same = sent.byteLength === received.byteLength && new Uint8Array(sent).every((b, i) => b === got[i]);
  show('result', [['key', key], ['PUT URL', put], ['GET URL', get], ['bytes', String(received.byteLength)], ['identical', String(same)]]);
  window.roundTripResult = { key, same, bytes: received.byteLength };
  status(same ? 'Round trip complete: the file came back byte-identical.' : 'The file came back different!', same ? 'ok' : 'error');
}

function guard(fn) {
  return () => fn().catch((err) => status(`${err.code ? `${err.code}: ` : ''}${err.message}`, 'error'));
}

$('token').addEventListener('click', guard(getToken));
$('roundtrip').addEventListener('click', guard(roundTrip));
window.demoReady = true;
