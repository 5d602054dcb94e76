// Bundled by esbuild from the package's ESM entry, as an app would import it.
import { createClient } from 'ossign';
import { runCases } from './runner.mjs';

window.runCases = (cases) => runCases(createClient, cases);
window.ready = true;
