// The Upload panel: drag-and-drop or pick files; each gets a progress bar with speed and time
// left and a Cancel button. Uploads are resumable (client.upload with resume: true): a
// multipart upload cancelled, failed or cut short by a reload is listed under "Unfinished
// uploads" and continues where it stopped when the same file is picked again.
import { el, byId, formatBytes, formatDuration, formatTime, errorBox } from './ui.js';

/** How far back the speed is measured, ms. */
const SPEED_WINDOW = 3000;

/**
 * @param {import('/dist/index.d.ts').Client} client
 * @param {{onUploaded: (key: string) => void}} hooks called after each upload completes
 */
export function initUpload(client, { onUploaded }) {
  const input = byId('upload-input');
  const drop = byId('drop');
  const list = byId('transfers');
  const running = new Set(); // keys being uploaded by this page

  const pending = initPending(client, running, (file, key) => start(file, key));

  function start(file, key = `${client.prefix ?? ''}${file.name}`) {
    const row = transferRow(file, key);
    list.prepend(row.node);
    run(file, key, row);
  }

  async function run(file, key, row) {
    const stop = new AbortController();
    row.begin(stop);
    running.add(key);
    try {
      const started = performance.now();
      const result = await client.upload(key, file, { resume: true, signal: stop.signal, onProgress: row.progress });
      row.done(result, performance.now() - started);
      onUploaded(key);
    } catch (err) {
      if (stop.signal.aborted) row.cancelled();
      else row.failed(err, () => run(file, key, row));
    } finally {
      running.delete(key);
      pending.refresh();
    }
  }

  input.addEventListener('change', () => {
    for (const file of input.files) start(file);
    input.value = '';
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    for (const file of e.dataTransfer.files) start(file);
  });
  // A file dropped beside the zone must not replace the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  return pending.refresh();
}

/** One file's row: name, size, progress bar, speed and time left, Cancel (or Retry). */
function transferRow(file, key) {
  const bar = el('progress', { max: Math.max(file.size, 1), value: 0, 'aria-label': `Upload of ${file.name}` });
  const detail = el('span', { class: 'detail' });
  const state = el('p', { class: 'state', role: 'status' });
  const action = el('div', { class: 'actions' });
  const node = el('li', { class: 'transfer', 'data-key': key, 'data-state': 'running' },
    el('p', { class: 'title' }, el('strong', {}, file.name), ' ', el('span', { class: 'muted' }, formatBytes(file.size))),
    bar, detail, state, action);
  let samples = [];

  const setState = (name, text, ...extra) => {
    node.dataset.state = name;
    state.replaceChildren(text, ...extra);
  };
  return {
    node,
    begin(stop) {
      samples = [];
      detail.textContent = '';
      setState('running', 'Uploading…');
      action.replaceChildren(el('button', { type: 'button', 'aria-label': `Cancel the upload of ${file.name}`, onclick: () => stop.abort() }, 'Cancel'));
    },
    progress({ loaded, total }) {
      const now = performance.now();
      samples.push([now, loaded]);
      while (samples.length > 2 && now - samples[0][0] > SPEED_WINDOW) samples.shift();
      const [t0, l0] = samples[0];
      const speed = now > t0 ? ((loaded - l0) * 1000) / (now - t0) : 0;
      bar.value = loaded;
      const left = speed > 0 ? ` · ${formatDuration((total - loaded) / speed)} left` : '';
      detail.textContent = `${formatBytes(loaded)} of ${formatBytes(total)} · ${formatBytes(Math.round(speed))}/s${left}`;
    },
    done(result, ms) {
      bar.value = bar.max;
      const how = 'parts' in result
        ? `multipart, ${result.parts} parts${result.resumedParts ? `, ${result.resumedParts} resumed from before` : ''}`
        : 'one PUT';
      detail.textContent = `${formatBytes(result.size)} in ${formatDuration(ms / 1000)} (${how})`;
      setState('done', 'Uploaded.');
      action.replaceChildren();
    },
    cancelled() {
      setState('cancelled', 'Cancelled. A multipart upload is kept for resuming (see Unfinished uploads).');
      action.replaceChildren();
    },
    failed(err, retry) {
      setState('failed', 'Failed:', errorBox(err));
      action.replaceChildren(el('button', { type: 'button', 'aria-label': `Retry the upload of ${file.name}`, onclick: retry }, 'Retry'));
    },
  };
}

/**
 * The "Unfinished uploads" list: the resumable uploads with a checkpoint in this browser that
 * this page is not running. Resume asks for the same file; Discard aborts the upload on OSS.
 */
function initPending(client, running, resume) {
  const box = byId('pending');
  const list = byId('pending-list');
  const picker = byId('resume-input');
  let target; // the pending upload the picker is choosing a file for

  picker.addEventListener('change', () => {
    const file = picker.files[0];
    picker.value = '';
    if (!file || !target) return;
    const p = target.upload;
    if (file.name !== p.name || file.size !== p.size || file.lastModified !== p.lastModified) {
      target.note.textContent = `That is not the same file: choose ${p.name} (${formatBytes(p.size)}, modified ${formatTime(p.lastModified)}).`;
      return;
    }
    resume(file, p.key);
  });

  async function refresh() {
    let uploads;
    try {
      uploads = (await client.pendingUploads()).filter((p) => !running.has(p.key));
    } catch (err) {
      box.hidden = false;
      list.replaceChildren(el('li', {}, errorBox(err)));
      return;
    }
    box.hidden = uploads.length === 0;
    list.replaceChildren(...uploads.map(pendingRow));
  }

  function pendingRow(p) {
    const note = el('p', { class: 'note', role: 'status' });
    const row = el('li', { 'data-key': p.key },
      el('p', { class: 'title' }, el('strong', {}, p.name), ' ',
        el('span', { class: 'muted' }, `${formatBytes(p.bytesUploaded)} of ${formatBytes(p.size)} sent, started ${formatTime(p.createdAt)}`)),
      el('div', { class: 'actions' },
        el('button', { type: 'button', 'aria-label': `Resume ${p.name}: choose the file`, onclick: () => { target = { upload: p, note }; picker.click(); } }, 'Resume…'),
        el('button', { type: 'button', 'aria-label': `Discard the unfinished upload of ${p.name}`, onclick: (e) => discard(p, e.currentTarget, note) }, 'Discard')),
      note);
    return row;
  }

  async function discard(p, button, note) {
    button.disabled = true;
    try {
      await client.abortUpload(p);
      await refresh();
    } catch (err) {
      note.replaceChildren(errorBox(err));
      button.disabled = false;
    }
  }

  return { refresh };
}
