// The Browse panel: the objects under the user's prefix, a page at a time (ListObjectsV2 with
// continuation tokens); per object its size, date and type, a thumbnail of images, a download
// link, a signed link to share valid for the chosen time (shortened to the credentials'
// expiry, and it says so) with a copy button, an image preview resized by x-oss-process, and
// delete. Thumbnails, previews and downloads go through ossign's Service Worker when it
// controls the page (plain /oss/<key> URLs: the worker signs them), else through URLs signed
// in the page.
import { el, byId, formatBytes, formatTime, errorBox, copyText } from './ui.js';

/** The path under which ossign's Service Worker answers object requests (app.js registers it). */
export const WORKER_PREFIX = '/oss/';

/** Objects per page. */
const PAGE_SIZE = 20;
/** The preview's width: x-oss-process resizes the image to it before it leaves OSS. */
const PREVIEW_WIDTH = 160;
/** The thumbnail's width (twice its CSS size, for sharp screens). */
const THUMB_WIDTH = 96;
/** How long the URLs signed in the page for previews and thumbnails last, s. */
const VIEW_EXPIRES = 300;
/** Types x-oss-process can resize (the emulator's decoders are JPEG, PNG and GIF). */
const PREVIEWABLE = /^image\/(jpeg|png|gif|webp|bmp|tiff)$/;
/** HEAD requests (for the content type) in flight at once. */
const HEAD_PARALLEL = 4;
/** How long refreshSoon waits for more calls, ms. */
const REFRESH_DELAY = 150;

/** @param {import('/dist/index.d.ts').Client} client */
export function initBrowse(client) {
  const list = byId('objects');
  const out = byId('browse-error');
  const expiry = byId('link-expiry');
  const pageLabel = byId('page-number');
  const prev = byId('page-prev');
  const next = byId('page-next');
  byId('browse-prefix').textContent = client.prefix ?? '(the whole bucket)';
  const tokens = [undefined]; // continuation token of each page seen; tokens[0] is the first
  let page = 0;
  let shown = 0; // refreshes started: an older one's answer is dropped

  async function refresh() {
    const mine = ++shown;
    out.replaceChildren();
    let result;
    try {
      result = await client.list({ prefix: client.prefix, maxKeys: PAGE_SIZE, continuationToken: tokens[page] });
    } catch (err) {
      if (mine !== shown) return;
      list.replaceChildren();
      out.replaceChildren(errorBox(err));
      return;
    }
    if (mine !== shown) return;
    tokens[page + 1] = result.isTruncated ? result.nextContinuationToken : undefined;
    pageLabel.textContent = `Page ${page + 1}`;
    prev.disabled = page === 0;
    next.disabled = !result.isTruncated;
    const rows = result.objects.map((o) => objectRow(client, o, Number(expiry.value), refresh));
    list.replaceChildren(...rows.map((r) => r.node));
    if (rows.length === 0) list.append(el('li', { class: 'muted' }, page === 0 ? 'Nothing here yet: upload a file.' : 'This page is empty.'));
    await eachLimited(rows, HEAD_PARALLEL, (r) => (mine === shown ? r.describe() : undefined));
  }

  let soon;
  /** Refreshes shortly, once for a burst of calls (uploads finishing together). */
  function refreshSoon() {
    clearTimeout(soon);
    soon = setTimeout(refresh, REFRESH_DELAY);
  }

  prev.addEventListener('click', () => { page = Math.max(0, page - 1); refresh(); });
  next.addEventListener('click', () => { if (tokens[page + 1]) { page++; refresh(); } });
  byId('browse-refresh').addEventListener('click', () => refresh());
  expiry.addEventListener('change', () => refresh());
  return { refresh, refreshSoon };
}

/** One object: facts, signed link with its effective expiry, copy, preview, delete. */
function objectRow(client, o, expires, refresh) {
  const name = client.prefix && o.key.startsWith(client.prefix) ? o.key.slice(client.prefix.length) : o.key;
  const type = el('span', { class: 'type' }, '…');
  const out = el('div', { class: 'row-out' });
  const preview = el('div', { class: 'preview' });
  const previewButton = el('button', { type: 'button', hidden: true, 'aria-label': `Preview ${name}`, onclick: showPreview }, 'Preview');
  const note = el('span', { class: 'note', role: 'status' });
  const title = el('p', { class: 'title' }, el('strong', { class: 'name' }, name));
  const node = el('li', { class: 'object', 'data-key': o.key },
    title,
    el('p', { class: 'muted' }, `${formatBytes(o.size)} · ${formatTime(o.lastModified)} · `, type),
    links(client, o.key, name, expires, note),
    el('div', { class: 'actions' },
      previewButton,
      el('button', { type: 'button', 'aria-label': `Delete ${name}`, onclick: remove }, 'Delete'),
      note),
    preview, out);

  function showPreview() {
    out.replaceChildren();
    const img = el('img', { alt: `${name}, resized to ${PREVIEW_WIDTH} px wide by OSS`, src: objectURL(client, o.key, { process: `image/resize,w_${PREVIEW_WIDTH}` }) });
    img.addEventListener('error', () => {
      preview.replaceChildren();
      out.replaceChildren(errorBox({ code: 'PreviewFailed', message: `OSS did not resize ${name} (x-oss-process image/resize): it may be in a format OSS cannot process.` }));
    });
    preview.replaceChildren(img);
  }

  async function remove(e) {
    const button = e.currentTarget;
    button.disabled = true;
    out.replaceChildren();
    try {
      await client.delete(o.key);
      node.remove();
      await refresh();
    } catch (err) {
      out.replaceChildren(errorBox(err));
      button.disabled = false;
    }
  }

  async function describe() {
    try {
      const info = await client.head(o.key);
      type.textContent = info.contentType ?? 'unknown type';
      previewButton.hidden = !PREVIEWABLE.test(info.contentType ?? '');
      if (!previewButton.hidden) title.prepend(thumbnail(client, o.key));
    } catch (err) {
      type.textContent = 'type unknown';
      out.replaceChildren(errorBox(err));
    }
  }

  return { node, describe };
}

/**
 * The download link (Content-Disposition: attachment, under the object's name), and a signed
 * link to share (it works anywhere, until it expires) with its copy button; or why it could
 * not be signed.
 */
function links(client, key, name, expires, note) {
  let shared;
  let download;
  try {
    shared = client.presign(key, { expires, response: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` } });
    download = throughWorker(key) ? objectURL(client, key, { download: name }) : shared.url;
  } catch (err) {
    return errorBox(err);
  }
  return el('p', { class: 'link' },
    el('a', { class: 'download', href: download, 'aria-label': `Download ${name}` }, 'Download'), ' ',
    el('button', { type: 'button', 'aria-label': `Copy the link to ${name}`, onclick: () => copyText(shared.url, note) }, 'Copy link'), ' ',
    el('span', { class: 'expires' }, `(the link is valid until ${formatTime(shared.expiresAt)}${shared.clamped ? ', shortened to the credentials’ expiry' : ''})`));
}

/** A small image of an object, resized by OSS; it goes away when OSS cannot resize it. */
function thumbnail(client, key) {
  const img = el('img', { class: 'thumb', alt: '', width: THUMB_WIDTH / 2, src: objectURL(client, key, { process: `image/resize,w_${THUMB_WIDTH}` }) });
  img.addEventListener('error', () => img.remove());
  return img;
}

/**
 * Whether the object's requests go through ossign's Service Worker: it controls the page, and
 * the key has no "." or ".." segment (browsers resolve those away in a URL path).
 */
function throughWorker(key) {
  return Boolean(navigator.serviceWorker?.controller) && !key.split('/').some((s) => s === '.' || s === '..');
}

/**
 * The URL of an object for <img> or a link: /oss/<key>?process=…&download=… for the Service
 * Worker, or a URL signed in the page (valid VIEW_EXPIRES) when the worker is not there.
 */
function objectURL(client, key, { process, download }) {
  if (!throughWorker(key)) {
    const response = download === undefined ? undefined : { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(download)}` };
    return client.presign(key, { expires: VIEW_EXPIRES, process, response }).url;
  }
  const query = new URLSearchParams();
  if (process !== undefined) query.set('process', process);
  if (download !== undefined) query.set('download', download);
  const path = WORKER_PREFIX + key.split('/').map(encodeURIComponent).join('/');
  return query.toString() ? `${path}?${query}` : path;
}

/** Runs fn on every item, at most limit at a time. */
async function eachLimited(items, limit, fn) {
  const queue = [...items];
  const worker = async () => {
    while (queue.length) await fn(queue.shift());
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}
