// Node (ESM), Deno and Bun: import the package by its name, as an application does (the
// runtime's exports condition picks the file), run the conformance script with config.json,
// print the result as JSON.
import * as ossign from 'ossign';
import { conformance } from './conformance.mjs';
import config from './config.json' with { type: 'json' };

const result = await conformance(ossign, config);
result.resolved = import.meta.resolve('ossign');
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
