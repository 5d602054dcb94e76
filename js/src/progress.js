/**
 * Progress of a transfer made of several requests: bytes finished plus the bytes the running
 * requests have sent so far. Events only go up (a retried request starts again from zero
 * without moving the bar back), and loaded reaches total only once every byte is acknowledged.
 */
export class ProgressTracker {
  /**
   * @param {number|undefined} total bytes (undefined until known: a download's first event)
   * @param {((e: {loaded: number, total: number}) => void) | undefined} onProgress
   * @param {number} [done] bytes already acknowledged (a resumed upload)
   */
  constructor(total, onProgress, done = 0) {
    this.total = total;
    this.onProgress = onProgress;
    this.done = done;
    this.running = new Map();
    this.reported = -1;
  }

  /** A running request (id) has sent loaded bytes. */
  update(id, loaded) {
    this.running.set(id, loaded);
    this.emit();
  }

  /** Request id finished: size bytes are acknowledged. */
  finish(id, size) {
    this.running.delete(id);
    this.done += size;
    this.emit();
  }

  /** Request id failed: its bytes no longer count (the reported figure stays). */
  drop(id) {
    this.running.delete(id);
  }

  emit() {
    if (!this.onProgress) return;
    let loaded = this.done;
    for (const n of this.running.values()) loaded += n;
    if (this.total !== undefined) loaded = this.done >= this.total ? this.total : Math.min(loaded, this.total - 1);
    if (loaded > this.reported) {
      this.reported = loaded;
      this.onProgress({ loaded, total: this.total });
    }
  }
}
