// Node, Deno and Bun: `cold` imports the package and signs one V4 URL (a fresh process per
// run: import → first signature, in ms); `calls` then times V4 URLs (µs per call, the median of
// rounds after a warm-up round). Prints JSON.
import { clientOptions, signV4URLs } from './bench-ops.mjs';

const [mode = 'cold', calls = '20000', rounds = '5'] = process.argv.slice(2);
const t0 = performance.now();
const { createClient } = await import('ossign');
const client = await createClient(clientOptions);
signV4URLs(client, 1);
const result = { coldMs: performance.now() - t0 };
if (mode === 'calls') {
  const n = Number(calls);
  signV4URLs(client, n);
  const perCall = [];
  for (let r = 0; r < Number(rounds); r++) {
    const start = performance.now();
    signV4URLs(client, n);
    perCall.push(((performance.now() - start) * 1000) / n);
  }
  result.usPerV4URL = perCall.sort((a, b) => a - b)[Math.floor(perCall.length / 2)];
}
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
