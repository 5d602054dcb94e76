// The operation the runtime benchmark times, the same as the Chromium benchmark's `v4URL`
// (js/browsertest/testdata/bench-signing.mjs): a V4 presigned PUT URL with a signed Content-Type,
// with STS credentials.

export const credentials = { AccessKeyId: 'STS.ak', AccessKeySecret: 'sk', SecurityToken: 'token', Expiration: '2100-01-01T00:00:00Z' };
export const clientOptions = { region: 'cn-hangzhou', bucket: 'examplebucket', credentials };
const put = { method: 'PUT', 'Content-Type': 'image/jpeg' };

/** Signs n V4 URLs with an ossign client. */
export function signV4URLs(client, n) {
  let url;
  for (let i = 0; i < n; i++) url = client.signatureUrl(`users/42/photo-${i}.jpg`, put);
  return url;
}
