// The demo's second page: the package loaded with a classic <script> tag (the global
// `ossign`), no modules. It signs a download link for a key and lists the user's files with
// signed links. When it is ready, <body data-ready="true">.
/* global ossign */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);

  function show(box, code, message) {
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    const strong = document.createElement('strong');
    strong.className = 'error-code';
    strong.textContent = code;
    p.append(strong, ' ', message);
    box.replaceChildren(p);
  }

  function linkItem(client, key) {
    const signed = client.presign(key, { expires: 600 });
    const a = document.createElement('a');
    a.href = signed.url;
    a.textContent = key.slice((client.prefix || '').length);
    const li = document.createElement('li');
    li.append(a, ' ', `(valid until ${signed.expiresAt.toLocaleTimeString()})`);
    return li;
  }

  async function start() {
    const client = await ossign.createClient({ credentials: '/sts' });
    $('key').value = `${client.prefix || ''}hello.txt`;
    $('sign').addEventListener('submit', (e) => {
      e.preventDefault();
      try {
        const signed = client.presign($('key').value, { expires: Number($('expires').value) });
        const url = document.createElement('div');
        url.className = 'url';
        url.id = 'signed-url';
        url.textContent = signed.url;
        const when = document.createElement('p');
        when.textContent = `Valid until ${signed.expiresAt.toLocaleString()}${signed.clamped ? ' (shortened to the credentials’ expiry)' : ''}.`;
        $('signed').replaceChildren(url, when);
      } catch (err) {
        show($('signed'), err.code || 'Error', err.message);
      }
    });
    const page = await client.list({ prefix: client.prefix, maxKeys: 20 });
    $('files').replaceChildren(...page.objects.map((o) => linkItem(client, o.key)));
    if (page.objects.length === 0) $('files').append(Object.assign(document.createElement('li'), { textContent: 'Nothing here yet: upload a file on the demo page.' }));
    $('status').replaceChildren();
  }

  start().then(
    () => { document.body.dataset.ready = 'true'; },
    (err) => {
      show($('status'), err.code || 'Error', err.message);
      document.body.dataset.ready = 'failed';
    },
  );
}());
