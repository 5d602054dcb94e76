/**
 * The error ossign throws: a message a person can act on, and a stable machine-readable `code`
 * (the same codes as the Go signer: InvalidObjectName, ExpiredCredentials, VendingFailed, …).
 * Messages never contain a secret or a security token.
 */
export class OssignError extends Error {
  /**
   * @param {string} code stable error code
   * @param {string} message what went wrong and how to fix it
   * @param {{cause?: unknown, status?: number}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'OssignError';
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
  }
}
