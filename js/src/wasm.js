import { OssignError } from './errors.js';

// One instance of the module per realm (page or worker): every client shares it and keeps its
// own credentials inside it.
let loading;
/** The module once it is ready (until it exits). */
let loaded;

/**
 * Loads ossign.wasm once. getSource is asked where the module is only when loading starts:
 * `wasmModule` (a WebAssembly.Module, the bytes or a Response of them, or a promise of any)
 * wins over `wasmURL`.
 * @param {() => {wasmURL?: string|URL, wasmModule?: WebAssembly.Module|BufferSource|Response|Promise}} getSource
 * @returns {Promise<WasmModule>}
 */
export function loadModule(getSource) {
  if (!loading) {
    loading = Promise.resolve().then(() => instantiate(getSource())).then((module) => (loaded = module), (err) => {
      loading = undefined; // let a later call try again
      throw err;
    });
  }
  return loading;
}

/**
 * The module if it is loaded and ready in this realm, else undefined; never starts loading it
 * (transfers through signed URLs check CRC-64s only when a client has already loaded it).
 * @returns {WasmModule|undefined}
 */
export function loadedModule() {
  return loaded;
}

/** Marks a start-up step on the page's performance timeline (DevTools shows them). */
function mark(name) {
  globalThis.performance?.mark?.(`ossign:${name}`);
}

async function instantiate({ wasmURL, wasmModule }) {
  const Go = globalThis.Go;
  if (typeof Go !== 'function') {
    throw new OssignError('LoadFailed', 'the Go wasm runtime (wasm_exec.js) is not loaded: use the built ossign.mjs or ossign.min.js, which include it');
  }
  const go = new Go();
  mark('load');
  const instance = await instantiateWith(go.importObject, wasmURL, wasmModule);
  mark('instantiated');
  const api = await new Promise((resolve, reject) => {
    globalThis.__ossignInit = resolve;
    go.run(instance).then(() => {
      loading = loaded = undefined; // a module that exited cannot sign: the next createClient loads anew
      reject(new OssignError('LoadFailed', 'ossign.wasm exited before it was ready'));
    }, reject);
  });
  delete globalThis.__ossignInit;
  mark('ready');
  return new WasmModule(api, instance.exports);
}

async function instantiateWith(imports, wasmURL, wasmModule) {
  if (wasmModule instanceof Promise) wasmModule = await wasmModule;
  if (wasmModule instanceof WebAssembly.Module) return WebAssembly.instantiate(wasmModule, imports);
  if (typeof Response === 'function' && wasmModule instanceof Response) return instantiateResponse(wasmModule, imports, wasmModule.url || 'ossign.wasm');
  if (wasmModule) return (await WebAssembly.instantiate(wasmModule, imports)).instance;
  if (!wasmURL) throw new OssignError('LoadFailed', 'no wasmURL or wasmModule given');
  let response;
  try {
    response = await fetch(wasmURL);
  } catch (cause) {
    throw new OssignError('LoadFailed', `could not fetch ${wasmURL}: ${cause?.message ?? cause}`, { cause });
  }
  return instantiateResponse(response, imports, wasmURL);
}

/** Compiles (streaming where the Content-Type allows) and instantiates a response of ossign.wasm. */
async function instantiateResponse(response, imports, where) {
  if (!response.ok) throw new OssignError('LoadFailed', `could not fetch ${where}: HTTP ${response.status}`, { status: response.status });
  mark('response');
  let module;
  try {
    module = await WebAssembly.compileStreaming(response.clone());
  } catch {
    // Servers that send ossign.wasm without Content-Type: application/wasm defeat streaming.
  }
  if (module) {
    mark('compiled');
    return WebAssembly.instantiate(module, imports);
  }
  try {
    return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
  } catch (cause) {
    const type = response.headers.get('Content-Type');
    throw new OssignError('LoadFailed', `${where} is not ossign.wasm (Content-Type ${type}): ${cause?.message ?? cause}`, { cause });
  }
}

const NUL = '\0';

/** The fast path's operation that returns a presigned URL alone (wasm/fastpath.go). */
const OP_PRESIGN_URL = 5;

/** The loaded module: the syscall/js API for setup calls and the export fast path for signing. */
export class WasmModule {
  constructor(api, exports) {
    this.api = api;
    this.exports = exports;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
    this.capacity = 0;
    this.view = undefined;
  }

  /** Calls a setup function; a {error} result becomes a thrown OssignError. */
  call(name, ...args) {
    const result = this.api[name](...args);
    if (result && result.error) throw new OssignError(result.error.code, result.error.message);
    return result;
  }

  /**
   * Signs through the fast path: fields go in NUL-terminated, the result comes out
   * NUL-separated. A field containing a NUL itself takes the syscall/js path.
   * @param {number} op 1 presign, 2 header signing, 3 PostObject conditions, 4 PostObject
   *   signature, 5 presigned URL alone
   * @param {number} client client id
   * @param {number} nowMs signing time
   * @param {string[]} fields request fields (see wasm/fastpath.go)
   * @returns {string[]} result fields
   */
  sign(op, client, nowMs, fields) {
    const n = this.signInto(op, client, nowMs, fields);
    if (n === 0) return this.signSlow(op, client, nowMs, fields);
    return this.result(n).split(NUL);
  }

  /** The presigned URL alone: one result field, nothing to split. */
  presignURL(client, nowMs, fields) {
    const n = this.signInto(OP_PRESIGN_URL, client, nowMs, fields);
    if (n === 0) return this.signSlow(OP_PRESIGN_URL, client, nowMs, fields)[0];
    return this.result(n);
  }

  /** Writes the fields into the module and signs: the result's length (negative: an error; 0: a field holds a NUL). */
  signInto(op, client, nowMs, fields) {
    let length = fields.length;
    for (let i = 0; i < fields.length; i++) length += fields[i].length * 3;
    const x = this.exports;
    if (length > this.capacity) {
      this.capacity = Math.max(length, 16384);
      x.ossign_reserve(this.capacity);
    }
    const memory = this.memory();
    const start = x.ossign_buffer();
    let at = start;
    for (let i = 0; i < fields.length; i++) at = this.writeField(memory, at, fields[i]);
    return x.ossign_sign(op, client, nowMs, at - start, fields.length);
  }

  /**
   * Writes s as UTF-8 and a NUL at memory[at], returning where it ended: ASCII byte by byte
   * (most fields, and cheaper than a call out to the encoder), from the first other character
   * on by the encoder.
   */
  writeField(memory, at, s) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        at += i + this.encoder.encodeInto(s.slice(i), memory.subarray(at + i)).written;
        memory[at] = 0;
        return at + 1;
      }
      memory[at + i] = c;
    }
    memory[at + s.length] = 0;
    return at + s.length + 1;
  }

  /** Reads a result of n bytes; a failure (n < 0) becomes a thrown OssignError. */
  result(n) {
    const text = this.decoder.decode(this.bytes(this.exports.ossign_buffer(), Math.abs(n)));
    if (n > 0) return text;
    const [code, message] = text.split(NUL);
    throw new OssignError(code, message);
  }

  /** The same signing through syscall/js: slower, but any string goes. */
  signSlow(op, client, nowMs, fields) {
    return this.call('sign', op, client, nowMs, fields).fields;
  }

  /**
   * Folds bytes into a running CRC-64 (OSS's x-oss-hash-crc64ecma; start from 0n).
   * @param {bigint} crc
   * @param {Uint8Array} bytes
   * @returns {bigint}
   */
  crc64(crc, bytes) {
    const x = this.exports;
    if (bytes.length > this.capacity) {
      this.capacity = bytes.length;
      x.ossign_reserve(this.capacity);
    }
    this.bytes(x.ossign_buffer(), bytes.length).set(bytes);
    return BigInt.asUintN(64, x.ossign_crc64(crc, bytes.length));
  }

  /** The CRC-64 of A followed by B, from their CRCs and B's length in bytes. */
  crc64Combine(crcA, crcB, lengthB) {
    return BigInt.asUintN(64, this.exports.ossign_crc64_combine(crcA, crcB, BigInt(lengthB)));
  }

  bytes(ptr, length) {
    return this.memory().subarray(ptr, ptr + length);
  }

  /** The module's memory as bytes: the same view until the memory grows, which detaches it. */
  memory() {
    if (this.view === undefined || this.view.byteLength === 0) this.view = new Uint8Array(this.exports.mem.buffer);
    return this.view;
  }
}
