import { OssignError } from './errors.js';

/**
 * Builds a PostObject policy document (spec §3.1) and the form fields that go with it.
 * Exactly one of key (exact), keyPrefix (starts-with) or anyKey must be given, so a form never
 * writes anywhere in the bucket by accident. The policy never outlives the credentials.
 * @param {string} bucket
 * @param {{key?: string, keyPrefix?: string, anyKey?: boolean, expires?: number,
 *   contentLengthRange?: [number, number], contentType?: string|string[],
 *   successActionStatus?: number, conditions?: unknown[]}} opts
 * @param {[string, string][]} signing the exact conditions the signer requires (V4)
 * @param {number} nowMs
 * @param {number} credentialsExpiration ms, 0 = never
 */
export function postPolicy(bucket, opts, signing, nowMs, credentialsExpiration) {
  const keyRules = [opts.key !== undefined, opts.keyPrefix !== undefined, Boolean(opts.anyKey)].filter(Boolean).length;
  if (keyRules !== 1) {
    throw new OssignError('InvalidPolicy', 'set exactly one of key (exact), keyPrefix (starts-with) or anyKey: true');
  }
  let expiration = nowMs + (opts.expires ?? 3600) * 1000;
  if (credentialsExpiration && credentialsExpiration < expiration) expiration = credentialsExpiration;
  const conditions = [{ bucket }, ...signing.map(([name, value]) => ({ [name]: value }))];
  const fields = {};
  if (opts.key !== undefined) {
    conditions.push({ key: opts.key });
    fields.key = opts.key;
  } else if (opts.keyPrefix !== undefined) {
    conditions.push(['starts-with', '$key', opts.keyPrefix]);
  }
  if (opts.contentLengthRange) {
    const [min, max] = opts.contentLengthRange;
    if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && min <= max)) {
      throw new OssignError('InvalidPolicy', 'contentLengthRange must be [min, max] whole numbers with 0 ≤ min ≤ max');
    }
    conditions.push(['content-length-range', min, max]);
  }
  if (Array.isArray(opts.contentType)) {
    conditions.push(['in', '$content-type', opts.contentType]);
  } else if (opts.contentType !== undefined) {
    conditions.push({ 'content-type': opts.contentType });
    fields['Content-Type'] = opts.contentType;
  }
  if (opts.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(opts.successActionStatus)) {
      throw new OssignError('InvalidPolicy', 'successActionStatus must be 200, 201 or 204');
    }
    conditions.push({ success_action_status: String(opts.successActionStatus) });
    fields.success_action_status = String(opts.successActionStatus);
  }
  conditions.push(...(opts.conditions ?? []));
  const policy = JSON.stringify({ expiration: new Date(expiration).toISOString(), conditions });
  return { policy, extraFields: fields, expiresAt: new Date(expiration) };
}
