// Start-up of ossign.wasm in Node, as a page meets it once per load: each run is a fresh Node
// process that compiles the module, instantiates it, starts it with go.run() and waits for
// its ready callback (globalThis.__ossignInit, which js/src/wasm.js waits for), then signs one
// V4 URL. go.run → ready splits at the module's first syscall/js call, made by the
// initialiser of syscall/js: before it the Go runtime starts (and the runtime's own packages
// initialise); after it the remaining package initialisers run and main builds the API
// object. Times include V8 compiling each function on its first call. Prints the median of
// each step.
//
//   node wasm/startup_bench.mjs [dist] [runs]
//
// ./build.sh bench runs it on dist/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const [dist = 'dist', runs = '21', child] = process.argv.slice(2);

if (child === '--child') {
  // The module waits for calls forever: exit once the figures are out.
  process.stdout.write(JSON.stringify(await startOnce(dist)), () => process.exit(0));
} else {
  const samples = [];
  for (let i = 0; i < Number(runs); i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), dist, runs, '--child'], { encoding: 'utf8' });
    samples.push(JSON.parse(out));
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)].toFixed(2);
  console.log(`ossign.wasm start-up in Node ${process.version}, median of ${samples.length} fresh processes: ` +
    `compile ${median('compile')} ms, instantiate ${median('instantiate')} ms, ` +
    `go.run → first syscall/js call (runtime start) ${median('runtime')} ms, → ready (package init, main) ${median('init')} ms, ` +
    `first V4 signature ${median('first')} ms`);
}

async function startOnce(dir) {
  new Function(readFileSync(join(dir, 'wasm_exec.js'), 'utf8'))(); // defines globalThis.Go
  const bytes = readFileSync(join(dir, 'ossign.wasm'));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const go = new globalThis.Go();
  let firstJSCall;
  const valueGet = go.importObject.gojs['syscall/js.valueGet'];
  go.importObject.gojs['syscall/js.valueGet'] = (sp) => {
    firstJSCall ??= performance.now();
    return valueGet(sp);
  };
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const t2 = performance.now();
  const ready = new Promise((resolve) => { globalThis.__ossignInit = resolve; });
  go.run(instance);
  const api = await ready;
  const t3 = performance.now();
  const { id } = api.newClient({ region: 'cn-hangzhou' });
  api.setCredentials(id, { AccessKeyId: 'STS.example', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2099-01-01T00:00:00Z' }, Date.now());
  const signed = api.sign(1, id, Date.now(), ['GET', 'examplebucket', 'photo.jpg', '', '', '', '0', '0', '0', '0']);
  const t4 = performance.now();
  if (!signed.fields) throw new Error(`signing failed: ${JSON.stringify(signed.error)}`);
  return { compile: t1 - t0, instantiate: t2 - t1, runtime: firstJSCall - t2, init: t3 - firstJSCall, first: t4 - t3 };
}
