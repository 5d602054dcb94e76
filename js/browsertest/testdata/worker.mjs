// A dedicated module worker signing with the ESM build.
import { createClient } from '/dist/ossign.mjs';
import { runCases } from './runner.mjs';

self.onmessage = async (e) => {
  try {
    self.postMessage({ results: await runCases(createClient, e.data) });
  } catch (err) {
    self.postMessage({ error: `${err.code}: ${err.message}` });
  }
};
