// The per-call operations of the signing benchmark on ossign, in one place for the pages.

/** bench(op, n): µs per call of op over n calls. */
export async function signingBench(createClient, client, credentials) {
  const v1 = await createClient({ region: 'cn-hangzhou', bucket: 'examplebucket', credentials, signatureVersion: 'v1' });
  const put = { method: 'PUT', 'Content-Type': 'image/jpeg' };
  const fields = (i) => ['PUT', 'examplebucket', `users/42/photo-${i}.jpg`, '1800000', '0', '', '1', 'Content-Type', 'image/jpeg', '0', '0', '0'];
  const ops = {
    v4URL: (i) => client.signatureUrl(`users/42/photo-${i}.jpg`, put),
    v1URL: (i) => v1.signatureUrl(`users/42/photo-${i}.jpg`, put),
    v4Header: (i) => client.signRequest({ method: 'PUT', key: `users/42/photo-${i}.jpg`, headers: { 'Content-Type': 'image/jpeg' } }),
    v4Post: (i) => client.postObjectFields({ key: `users/42/photo-${i}.jpg`, contentLengthRange: [1, 10 << 20] }),
    v4SyscallJS: (i) => client.module.signSlow(1, client.id, client.now(), fields(i)),
  };
  return (op, n) => {
    const fn = ops[op];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    return ((performance.now() - t0) * 1000) / n;
  };
}
