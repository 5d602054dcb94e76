// The package's sources and types as published: js/src stays ES2020 syntax, and the README's
// usage type-checks against index.d.ts (misuses do not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { transformSync } from 'esbuild';

const src = new URL('../src/', import.meta.url);

test('js/src uses no syntax newer than ES2020', async () => {
  for (const name of await readdir(src)) {
    const code = await readFile(new URL(name, src), 'utf8');
    const modern = transformSync(code, { loader: 'js', format: 'esm', target: 'esnext' }).code;
    const es2020 = transformSync(code, { loader: 'js', format: 'esm', target: 'es2020' }).code;
    assert.equal(es2020, modern, `${name}: esbuild had to lower syntax for ES2020`);
  }
});

test('index.d.ts: the documented usage type-checks and misuses are errors', () => {
  const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const usage = new URL('types-usage.ts', import.meta.url).pathname;
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2020', '--module', 'esnext',
      '--moduleResolution', 'bundler', '--lib', 'es2020,dom', usage], { encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc:\n${err.stdout}${err.stderr}`);
  }
});
