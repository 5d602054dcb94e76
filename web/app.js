// The demo page: one client from the vending server's /sts, shared by the panels (one module
// each). When everything is wired, <body data-ready="true">; when the client cannot start,
// the reason is shown in place and data-ready="failed".
import { createClient } from '/dist/ossign.mjs';
import { byId, errorBox } from './ui.js';
import { initCredentials } from './credentials.js';
import { initUpload } from './upload.js';
import { initBrowse } from './browse.js';
import { initPlayground } from './playground.js';
import { initExplainer } from './explainer.js';

async function start() {
  const client = await createClient({ credentials: '/sts' });
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
