import { OssignError } from './errors.js';
import { requireHeader } from './osserror.js';

// CRC-64 (OSS's x-oss-hash-crc64ecma) of Blobs, computed in the wasm module: the Blob is read
// in large slices and hashed in the module's I/O buffer, a megabyte at a time.

/** The slice of a Blob read at once: big reads cost the page less than a stream's 64 KiB chunks. */
const READ_SIZE = 8 << 20;
/** The bytes hashed per call into the module (its I/O buffer grows to this size). */
const HASH_SIZE = 1 << 20;

/**
 * The CRC-64 of a Blob's bytes, read 8 MiB at a time, the next slice read while one is hashed
 * (in Chromium's profiler, hashing the parts of a 64 MiB multipart upload this way took the page
 * about a quarter less of its main thread than reading each part's stream).
 * @param {import('./wasm.js').WasmModule} module
 * @param {Blob} blob
 * @param {AbortSignal} [signal]
 * @returns {Promise<bigint>}
 */
export async function crc64OfBlob(module, blob, signal) {
  const read = (at) => {
    const pending = blob.slice(at, at + READ_SIZE).arrayBuffer();
    pending.catch(() => {}); // awaited below, unless an abort comes first
    return pending;
  };
  let crc = 0n;
  let next = read(0);
  for (let at = 0; at < blob.size; at += READ_SIZE) {
    signal?.throwIfAborted();
    const bytes = new Uint8Array(await next);
    if (at + READ_SIZE < blob.size) next = read(at + READ_SIZE);
    crc = crc64OfBytes(module, crc, bytes);
  }
  return crc;
}

/** Folds bytes into a running CRC-64, a megabyte per call into the module. */
export function crc64OfBytes(module, crc, bytes) {
  for (let at = 0; at < bytes.length; at += HASH_SIZE) crc = module.crc64(crc, bytes.subarray(at, at + HASH_SIZE));
  return crc;
}

/**
 * Compares the CRC OSS reports with ours; a mismatch is CRC64Mismatch naming what differs.
 * @param {string} reported x-oss-hash-crc64ecma (decimal)
 * @param {bigint} computed the CRC-64 of the bytes here (sent, or received)
 * @param {string} what the request, object or part, for the message
 * @param {object} [extra] more fields for the error (partNumber, requestId)
 */
export function checkCRC64(reported, computed, what, extra = {}) {
  let got;
  try {
    got = BigInt(reported);
  } catch {
    got = undefined;
  }
  if (got === computed) return;
  throw new OssignError('CRC64Mismatch',
    `${what}: OSS reports CRC-64 ${reported}, but the bytes here have CRC-64 ${computed}: ` +
    'the data was corrupted on the way (a faulty proxy or network); transfer it again', { ...extra, crc64: reported, expectedCRC64: String(computed) });
}

/**
 * Starts computing blob's CRC-64 while it uploads, when check is set; verifyUploadCRC64 takes
 * the promise (undefined when not checking).
 */
export function startCRC64(module, blob, check, signal) {
  if (!check) return undefined;
  const computing = crc64OfBlob(module, blob, signal);
  computing.catch(() => {}); // awaited by verifyUploadCRC64; a failed upload must not leave it unhandled
  return computing;
}

/**
 * Compares an upload's x-oss-hash-crc64ecma with the CRC-64 being computed (CRC64Mismatch, or
 * CORSHeaderHidden when the page may not read it) and returns OSS's CRC (null when unknown).
 * computing is the CRC, or a promise of it; undefined skips the check.
 */
export async function verifyUploadCRC64(reply, computing, what, bucket, extra = {}) {
  if (computing === undefined) return reply.headers.get('x-oss-hash-crc64ecma') ?? null;
  const reported = requireHeader(reply, 'x-oss-hash-crc64ecma', what, bucket);
  checkCRC64(reported, await computing, what, { requestId: reply.headers.get('x-oss-request-id') ?? undefined, ...extra });
  return reported;
}
