// workerd: GET /?n=N signs N V4 URLs (the client is made by the first request) and answers the
// last. workerd's clocks stand still while a request computes, so the benchmark times requests
// from outside.
import { createClient } from 'ossign';
import { clientOptions, signV4URLs } from './bench-ops.mjs';

let client;

export default {
  async fetch(request) {
    client ??= createClient(clientOptions);
    const n = Number(new URL(request.url).searchParams.get('n') ?? '1');
    return new Response(signV4URLs(await client, n) ?? '');
  },
};
