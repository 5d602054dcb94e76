/**
 * The error ossign throws: a message a person can act on, and a stable machine-readable `code`
 * (the same codes as the Go signer: InvalidObjectName, ExpiredCredentials, VendingFailed, …;
 * OSS's own Code for errors OSS answered: NoSuchKey, AccessDenied, SignatureDoesNotMatch, …).
 * Messages never contain a secret or a security token.
 */
export class OssignError extends Error {
  /**
   * @param {string} code stable error code
   * @param {string} message what went wrong and how to fix it
   * @param {{cause?: unknown, status?: number, requestId?: string, ec?: string,
   *   hostId?: string, serverTime?: string, stringToSign?: string, canonicalRequest?: string,
   *   diagnosis?: object, partNumber?: number, method?: string, key?: string}} [extra]
   *   what else is known: the HTTP status, OSS's request id and detailed error code (EC), …
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'OssignError';
    this.code = code;
    for (const [name, value] of Object.entries(extra)) {
      if (name !== 'cause' && value !== undefined) this[name] = value;
    }
  }
}
