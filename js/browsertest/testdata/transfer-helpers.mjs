// Helpers of the transfer tests, in pages and workers.

/** size deterministic bytes for seed (xorshift32). */
export function makeBytes(size, seed) {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/** A File of size deterministic bytes; the same arguments give the same file (name, bytes, lastModified). */
export function makeFile(size, seed, name = `file-${seed}.bin`) {
  return new File([makeBytes(size, seed)], name, { type: 'application/octet-stream', lastModified: 1700000000000 + seed });
}

/** Hex SHA-256 of a Blob, ArrayBuffer or typed array. */
export async function sha256(data) {
  const buf = data instanceof Blob ? await data.arrayBuffer() : data;
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Records progress events; check() tells whether they only went up and ended at total. */
export function progressLog() {
  const events = [];
  return {
    events,
    onProgress: (e) => events.push(e.loaded),
    check(total) {
      const monotonic = events.every((v, i) => i === 0 || v > events[i - 1]);
      return { count: events.length, monotonic, last: events[events.length - 1], endsAtTotal: events[events.length - 1] === total };
    },
  };
}
