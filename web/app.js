// The demo page: one client from the vending server's /sts, shared by the panels (one module
// each), and ossign's Service Worker for the images and downloads of the Browse panel. When
// everything is wired, <body data-ready="true">; when the client cannot start, the reason is
// shown in place and data-ready="failed".
import { createClient, registerServiceWorker } from '/dist/ossign.mjs';
import { byId, errorBox } from './ui.js';
import { initCredentials } from './credentials.js';
import { initUpload } from './upload.js';
import { initBrowse, WORKER_PREFIX } from './browse.js';
import { initPlayground } from './playground.js';
import { initExplainer } from './explainer.js';

async function start() {
  // Without the worker (no Service Workers here, or it failed: its console says why) the
  // Browse panel signs its URLs in the page.
  const worker = registerServiceWorker({ script: '/dist/ossign-sw.js', scope: '/', credentials: '/sts', prefix: WORKER_PREFIX })
    .catch((err) => console.warn('ossign demo: no Service Worker, the page signs its links:', err.message));
  const [client] = await Promise.all([createClient({ credentials: '/sts' }), worker]);
  initCredentials(client);
  const browse = initBrowse(client);
  const playground = initPlayground(client);
  initExplainer(playground.lastSigned);
  await Promise.all([initUpload(client, { onUploaded: () => browse.refreshSoon() }), browse.refresh()]);
  byId('app-status').replaceChildren();
}

start().then(
  () => { document.body.dataset.ready = 'true'; },
  (err) => {
    byId('app-status').replaceChildren(errorBox(err));
    document.body.dataset.ready = 'failed';
  },
);
