// Shared by the Node tests: the built package (./build.sh build writes ../dist) and its wasm,
// and a client on the fake OSS.
import { readFile } from 'node:fs/promises';
import { FakeOSS, instantTimers } from './fakeoss.mjs';

const dist = new URL('../../dist/', import.meta.url);

export const ossign = await import(new URL('ossign.mjs', dist));
export const wasmModule = await WebAssembly.compile(await readFile(new URL('ossign.wasm', dist)));

/** A client with static credentials and a pinned clock (ms). */
export function staticClient(options, nowMs) {
  return ossign.createClient({ wasmModule, now: () => nowMs, ...options });
}

/** A client on a fake OSS whose credentials function numbers the tokens it hands out. */
export async function fakeClient({ clock = () => FAKE_NOW, ...options } = {}) {
  const oss = new FakeOSS();
  const timers = instantTimers();
  const vended = [];
  const client = await ossign.createClient({
    wasmModule, endpoint: 'http://127.0.0.1:9', region: 'cn-hangzhou', bucket: 'bucket', secure: false,
    credentials: async () => {
      vended.push(`token-${vended.length + 1}`);
      return { AccessKeyId: 'STS.ak', AccessKeySecret: 'sk', SecurityToken: vended[vended.length - 1], Expiration: new Date(clock() + 3600_000).toISOString() };
    },
    now: clock, timers, transport: oss.transport, ...options,
  });
  return { oss, timers, vended, client };
}

/** The fake clients' clock, unless a test gives its own (ms). */
export const FAKE_NOW = Date.UTC(2026, 10, 29, 10, 0, 0);

/** A fault that answers make(entry) the first n times it is asked, then nothing. */
export function nthFails(n, make) {
  let seen = 0;
  return (entry) => (++seen <= n ? make(entry) : undefined);
}
