// workerd: the same conformance script, answering POST / with the result; the configuration
// comes in the request's JSON body. The runtime test's workerd config names the modules
// (ossign: ossign.workerd.mjs, ossign.wasm: the wasm module) as a bundler would.
import * as ossign from 'ossign';
import { conformance } from './conformance.mjs';

export default {
  async fetch(request) {
    try {
      const result = await conformance(ossign, await request.json());
      result.resolved = 'workerd';
      return Response.json(result);
    } catch (err) {
      return new Response(`${err.code ?? ''} ${err.stack ?? err}`, { status: 500 });
    }
  },
};
