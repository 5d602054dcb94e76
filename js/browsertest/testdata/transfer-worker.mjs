// A dedicated module worker running the transfer API flow (api-flow.mjs).
import * as ossign from '/dist/ossign.mjs';
import { apiFlow } from './api-flow.mjs';

self.onmessage = async (e) => {
  try {
    self.postMessage({ result: await apiFlow(ossign, e.data.options, e.data.prefix) });
  } catch (err) {
    self.postMessage({ error: `${err.code ?? err.name}: ${err.message}` });
  }
};
