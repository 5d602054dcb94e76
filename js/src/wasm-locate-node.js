import { OssignError } from './errors.js';

// Where ossign.wasm is in Node and Bun (ossign.node.mjs, ossign.cjs): the file next to this
// module, read from the file system (Node's fetch cannot read file: URLs). Joined in place of
// wasm-locate.js by cmd/bundle; the CommonJS build gets import.meta.url from __filename.

/** ossign.wasm next to this module, read and compiled once the module is first needed. */
export function defaultWasmSource() {
  return { wasmModule: compileFile(new URL('./ossign.wasm', import.meta.url)) };
}

async function compileFile(url) {
  const { readFile } = await import('node:fs/promises');
  let bytes;
  try {
    bytes = await readFile(url);
  } catch (cause) {
    throw new OssignError('LoadFailed', `could not read ${decodeURIComponent(url.pathname)}: ${cause?.message ?? cause} (pass wasmModule or wasmURL when ossign.wasm is elsewhere, e.g. after bundling)`, { cause });
  }
  return WebAssembly.compile(bytes);
}
