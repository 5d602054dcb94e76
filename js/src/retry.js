import { OssignError } from './errors.js';

/** Transfers retry a request this many times by default, with these delays (ms). */
export const TRANSFER_RETRY = { retries: 5, baseDelay: 300, maxDelay: 20000 };

/**
 * Checks and completes a retry option: {retries, baseDelay, maxDelay} over defaults, or false
 * for no retries.
 * @returns {{retries: number, baseDelay: number, maxDelay: number}}
 */
export function retrySettings(retry, defaults = TRANSFER_RETRY) {
  if (retry === false) return { ...defaults, retries: 0 };
  const settings = { ...defaults, ...(retry ?? {}) };
  const { retries, baseDelay, maxDelay } = settings;
  if (!(Number.isInteger(retries) && retries >= 0 && baseDelay >= 0 && maxDelay >= baseDelay)) {
    throw new OssignError('InvalidArgument', 'retry must be {retries: a whole number ≥ 0, baseDelay ≥ 0, maxDelay ≥ baseDelay} (ms), or false');
  }
  return settings;
}

/**
 * Exponential backoff with jitter: attempt 0 waits between baseDelay/2 and baseDelay, each
 * later attempt twice as long, never more than maxDelay.
 */
export function jitteredBackoff(attempt, { baseDelay, maxDelay }, random = Math.random) {
  const full = Math.min(maxDelay, baseDelay * 2 ** attempt);
  return full / 2 + random() * (full / 2);
}

/** Waits ms, or rejects with the signal's reason as soon as it aborts. */
export function sleepFor(ms, signal, timers = globalThis) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timers.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether an HTTP status is worth retrying: throttling and server errors. */
export function retryableStatus(status) {
  return status === 429 || status >= 500;
}
