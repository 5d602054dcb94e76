// Shared by the Node tests: the built package (./build.sh build writes ../dist) and its wasm.
import { readFile } from 'node:fs/promises';

const dist = new URL('../../dist/', import.meta.url);

export const ossign = await import(new URL('ossign.mjs', dist));
export const wasmModule = await WebAssembly.compile(await readFile(new URL('ossign.wasm', dist)));

/** A client with static credentials and a pinned clock (ms). */
export function staticClient(options, nowMs) {
  return ossign.createClient({ wasmModule, now: () => nowMs, ...options });
}
