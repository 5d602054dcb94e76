import ossignWasm from './ossign.wasm';

// Where ossign.wasm is in Cloudflare's workerd (ossign.workerd.mjs): imported as a wasm module,
// which the runtime compiles when it loads the worker (workerd refuses to compile wasm from
// bytes at run time). wrangler bundles the import by itself; a workerd config lists the file as
// a `wasm` module named `ossign.wasm` beside this one (examples/edge-worker/config.capnp).
// Joined in place of wasm-locate.js by cmd/bundle.

/** The ossign.wasm module the runtime imported. */
export function defaultWasmSource() {
  return { wasmModule: ossignWasm };
}
