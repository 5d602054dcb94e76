// Signs the Go test's cases with clients made by createClient: a presigned URL and an
// Authorization header per case. Shared by the script, ESM and worker pages.
export async function runCases(createClient, cases, extra = {}) {
  const out = [];
  for (const c of cases) {
    const client = await createClient({ ...c.client, ...extra, now: () => c.now, credentials: c.credentials });
    try {
      const signed = client.signRequest({ method: c.opts.method, key: c.key, headers: c.opts.headers, query: c.opts.queries });
      out.push({ url: client.signatureUrl(c.key, c.opts), authorization: signed.headers.Authorization });
    } finally {
      client.close();
    }
  }
  return out;
}
