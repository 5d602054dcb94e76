// Node (CommonJS): require('ossign') as a CommonJS application does, then the same conformance
// script as the ESM runs.
const ossign = require('ossign');
const config = require('./config.json');

import('./conformance.mjs').then(async ({ conformance }) => {
  const result = await conformance(ossign, config);
  result.resolved = require.resolve('ossign');
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}, (err) => {
  console.error(err);
  process.exit(1);
});
