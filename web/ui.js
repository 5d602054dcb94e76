// Small DOM and formatting helpers shared by the demo's panels, and the readable error box.

/**
 * Creates an element: el('button', { type: 'button', onclick: fn, disabled: true }, 'Text', child).
 * Functions in props named on… become listeners, booleans set properties, the rest attributes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else if (typeof value === 'boolean') node[name] = value;
    else node.setAttribute(name, String(value));
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** The element with this id (the page's markup defines them all). */
export function byId(id) {
  return document.getElementById(id);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 20971520 → "20.0 MiB". */
export function formatBytes(n) {
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${UNITS[i]}`;
}

/** 3725 → "1 h 2 min", 95 → "1 min 35 s", 12 → "12 s", 0.42 → "0.4 s". */
export function formatDuration(seconds) {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** A time of day for people (local), with the date when it is not today. */
export function formatTime(date) {
  const d = new Date(date);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** Replaces security tokens in a URL, canonical request or string to sign shown for debugging. */
export function redactToken(s) {
  return String(s ?? '').replace(/((?:x-oss-)?security-token[:=])[^\n&]*/gi, '$1<redacted>');
}

/**
 * A readable error, in place of a result: the code, the message, OSS's request id and status
 * and, for SignatureDoesNotMatch, what differs and why (never the raw XML).
 */
export function errorBox(err) {
  const facts = [
    ['HTTP status', err?.status],
    ['Request id', err?.requestId],
    ['EC', err?.ec],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return el('div', { class: 'error', role: 'alert' },
    el('p', {}, el('strong', { class: 'error-code' }, err?.code ?? err?.name ?? 'Error'), ' ', el('span', { class: 'error-message' }, err?.message ?? String(err))),
    facts.length ? el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))])) : null,
    err?.diagnosis ? diagnosisView(err.diagnosis) : null);
}

/** What client.diagnose found: the summary, then each differing part with both values and the hint. */
export function diagnosisView(d) {
  return el('div', { class: 'diagnosis' },
    el('p', {}, el('strong', {}, 'Why: '), el('span', { class: 'diagnosis-summary' }, d.summary)),
    d.differences.length ? el('ul', { class: 'differences' }, d.differences.map((x) => el('li', {},
      el('p', { class: 'part' }, `${x.part} differs`),
      el('dl', { class: 'facts' },
        el('dt', {}, 'we signed'), el('dd', {}, el('code', {}, x.ours === '' ? '(nothing)' : redactToken(x.ours))),
        el('dt', {}, 'OSS computed'), el('dd', {}, el('code', {}, x.theirs === '' ? '(nothing)' : redactToken(x.theirs)))),
      el('p', { class: 'hint' }, x.hint)))) : null);
}

/** Runs an async action for a button: disabled while it runs, errors shown in place in out. */
export async function busy(button, out, action) {
  button.disabled = true;
  try {
    await action();
  } catch (err) {
    out.replaceChildren(errorBox(err));
  } finally {
    button.disabled = false;
  }
}

/** Copies text, saying so next to the button (or how to copy by hand when the browser refuses). */
export async function copyText(text, note) {
  try {
    await navigator.clipboard.writeText(text);
    note.textContent = 'Copied.';
  } catch {
    note.textContent = 'The browser refused to copy: select the text and copy it by hand.';
  }
}
