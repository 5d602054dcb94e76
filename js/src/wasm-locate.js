// Where ossign.wasm is when createClient is told nothing, in browsers and Deno (ossign.mjs): the
// file next to this module, fetched. Deno fetches file: URLs too. The builds for other runtimes
// join wasm-locate-node.js or wasm-locate-workerd.js in this module's place (cmd/bundle).

/** ossign.wasm next to this module, to fetch (bundlers follow the `new URL(…, import.meta.url)` form). */
export function defaultWasmSource() {
  return { wasmURL: new URL('./ossign.wasm', import.meta.url) };
}
