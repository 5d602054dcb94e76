// ali-oss in Node, timed as bench.mjs times ossign: `cold` is require → first V4 URL
// (signatureUrlV4, async); `calls` the µs per V4 URL. The path of ali-oss is the first argument.
const { performance } = require('node:perf_hooks');

const [aliOSS, mode = 'cold', calls = '5000', rounds = '5'] = process.argv.slice(2);
const headers = { 'Content-Type': 'image/jpeg' };

async function signV4URLs(client, n) {
  for (let i = 0; i < n; i++) await client.signatureUrlV4('PUT', 1800, { headers }, `users/42/photo-${i}.jpg`);
}

async function main() {
  const t0 = performance.now();
  const OSS = require(aliOSS);
  const warn = console.warn;
  console.warn = () => {}; // its advice to configure refreshSTSToken
  const client = new OSS({ region: 'oss-cn-hangzhou', bucket: 'examplebucket', accessKeyId: 'STS.ak', accessKeySecret: 'sk', stsToken: 'token', secure: true });
  console.warn = warn;
  await signV4URLs(client, 1);
  const result = { coldMs: performance.now() - t0 };
  if (mode === 'calls') {
    const n = Number(calls);
    await signV4URLs(client, n);
    const perCall = [];
    for (let r = 0; r < Number(rounds); r++) {
      const start = performance.now();
      await signV4URLs(client, n);
      perCall.push(((performance.now() - start) * 1000) / n);
    }
    result.usPerV4URL = perCall.sort((a, b) => a - b)[Math.floor(perCall.length / 2)];
  }
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}

main();
