// The module loader in a fresh process (the module loads once per realm): a promise of the
// compiled module, as an inline WebAssembly.compileStreaming in a page's head gives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ossign } from './helpers.mjs';

test('the module may be given as a promise, and preload resolves once it is ready', async () => {
  let resolveModule;
  const promised = new Promise((resolve) => { resolveModule = resolve; });
  const ready = ossign.preload({ wasmModule: promised });
  setTimeout(async () => resolveModule(await WebAssembly.compile(await readFile(new URL('../../dist/ossign.wasm', import.meta.url)))), 20);
  assert.equal(await ready, undefined);
  const client = await ossign.createClient({ region: 'cn-hangzhou', bucket: 'bucket', credentials: { AccessKeyId: 'ak', AccessKeySecret: 'sk' } });
  try {
    assert.match(client.signatureUrl('k'), /^https:\/\/bucket\.oss-cn-hangzhou\.aliyuncs\.com\/k\?/, 'no wasmModule given: the preloaded module is used');
  } finally {
    client.close();
  }
});
