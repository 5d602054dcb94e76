// The Credentials panel: who the vending server says you are (your prefix), where the
// credentials work, a live countdown to their expiry, and each refresh as it happens
// (client.on('credentialschange')).
import { el, byId, formatDuration, formatTime, errorBox, busy } from './ui.js';

/** @param {import('/dist/index.d.ts').Client} client */
export function initCredentials(client) {
  const prefix = client.prefix ?? '';
  const userId = prefix.split('/').filter(Boolean).pop() ?? '(not given)';
  byId('identity').replaceChildren(...[
    ['Your id', userId],
    ['Your prefix', prefix || '(none: the whole bucket)'],
    ['Bucket', client.bucket],
    ['Region', client.region],
    ['Endpoint', client.endpoint || `https://oss-${client.region}.aliyuncs.com`],
    ['Signature', client.signatureVersion.toUpperCase()],
  ].flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value ?? '')]));

  const countdown = byId('countdown');
  const log = byId('refresh-log');
  let last = client.credentialStatus().expiration;
  const entry = (text) => log.prepend(el('li', {}, el('time', {}, formatTime(Date.now())), ' ', text));
  entry(`Got credentials valid until ${formatTime(last)}.`);

  client.on('credentialschange', (e) => {
    const expiration = e.detail.expiration?.getTime() ?? 0;
    entry(expiration === last
      ? `Refreshed: the vending server answered with the same credentials (it reuses them until 5 minutes before they expire), valid until ${formatTime(expiration)}.`
      : `Refreshed: new credentials valid until ${expiration ? formatTime(expiration) : 'revoked'}${e.detail.refreshAt ? `, next refresh at ${formatTime(e.detail.refreshAt)}` : ''}.`);
    last = expiration;
  });
  client.on('credentialserror', (e) => log.prepend(el('li', {}, el('time', {}, formatTime(Date.now())), ' Refresh failed; the old credentials are kept while they last:', errorBox(e.detail.error))));

  const tick = () => {
    const s = client.credentialStatus();
    if (!s.hasCredentials) countdown.textContent = 'No credentials.';
    else if (!s.expires) countdown.textContent = 'These credentials do not expire.';
    else if (s.expired) countdown.textContent = `Expired at ${formatTime(s.expiration)}.`;
    else countdown.textContent = `${formatDuration(s.remaining / 1000)} left (until ${formatTime(s.expiration)}); next refresh ${s.refreshDue ? 'due now' : `at ${formatTime(s.refreshAt)}`}.`;
  };
  tick();
  setInterval(tick, 1000);

  const button = byId('refresh-now');
  const out = byId('refresh-out');
  button.addEventListener('click', () => busy(button, out, async () => {
    out.replaceChildren();
    await client.refreshCredentials();
    tick();
  }));
}
