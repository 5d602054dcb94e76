import { OssignError } from './errors.js';

// Checkpoints of resumable multipart uploads: the upload id, the part size and the parts OSS
// acknowledged (number, ETag, CRC-64, size). Kept in IndexedDB, so that after a page reload the
// same file resumes where it stopped; in memory where IndexedDB is missing (Node). A caller may
// pass any object with the same four async methods.
//
// A checkpoint: {id, bucket, key, endpoint, uploadId, partSize, size, name, lastModified, type,
//   createdAt, parts: [{number, etag, crc64, size}]}

const DB_NAME = 'ossign';
const DB_STORE = 'uploads';

/**
 * The id of a file's checkpoint: the client's endpoint and bucket, the key, and the file's name,
 * size and modification time (a File picked again after a reload has the same ones).
 */
export function checkpointId(endpoint, bucket, key, file) {
  return JSON.stringify(['ossign-upload-v1', endpoint ?? '', bucket ?? '', key, file.name ?? '', file.size, file.lastModified ?? 0]);
}

/**
 * The checkpoint store for an option: a store object as is; otherwise IndexedDB when the
 * environment has it, else one in-memory store per realm.
 * @returns {{get(id: string): Promise<object|undefined>, put(cp: object): Promise<void>,
 *   delete(id: string): Promise<void>, list(): Promise<object[]>}}
 */
export function checkpointStore(option) {
  if (option && typeof option === 'object') {
    for (const m of ['get', 'put', 'delete', 'list']) {
      if (typeof option[m] !== 'function') throw new OssignError('InvalidArgument', `checkpoint must be a store with get, put, delete and list methods (missing ${m})`);
    }
    return option;
  }
  if (globalThis.indexedDB) {
    if (!indexedStore) indexedStore = new IndexedDBStore();
    return indexedStore;
  }
  return memoryStore;
}

let indexedStore;

/** Checkpoints in a Map, for environments without IndexedDB. */
class MemoryCheckpoints {
  constructor() {
    this.map = new Map();
  }

  async get(id) {
    return structuredClone(this.map.get(id));
  }

  async put(cp) {
    this.map.set(cp.id, structuredClone(cp));
  }

  async delete(id) {
    this.map.delete(id);
  }

  async list() {
    return [...this.map.values()].map((cp) => structuredClone(cp));
  }
}

const memoryStore = new MemoryCheckpoints();

/** Checkpoints in IndexedDB (database "ossign", object store "uploads"). */
class IndexedDBStore {
  db() {
    if (this.opening) return this.opening;
    this.opening = new Promise((resolve, reject) => {
      const req = globalThis.indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE, { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        this.opening = undefined;
        reject(new OssignError('CheckpointFailed', `could not open IndexedDB for upload checkpoints: ${req.error?.message}`));
      };
    });
    return this.opening;
  }

  async run(mode, operate) {
    const db = await this.db();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(DB_STORE, mode);
      const req = operate(tx.objectStore(DB_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(new OssignError('CheckpointFailed', `upload checkpoint: IndexedDB failed: ${tx.error?.message}`));
      tx.onabort = tx.onerror;
    });
  }

  get(id) {
    return this.run('readonly', (s) => s.get(id));
  }

  async put(cp) {
    await this.run('readwrite', (s) => s.put(cp));
  }

  async delete(id) {
    await this.run('readwrite', (s) => s.delete(id));
  }

  list() {
    return this.run('readonly', (s) => s.getAll());
  }
}
