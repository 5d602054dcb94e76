package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeSources writes a small js/src tree: an entry importing a locator that runtime builds swap.
func writeSources(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// TestJSOutputForms builds one entry in each form, with and without the swapped locator: the
// swap replaces the imported module (never joining both), a wasm import is kept at the top of an
// ES module only, and the CommonJS form has no import.meta left and exports through module.exports.
func TestJSOutputForms(t *testing.T) {
	src := writeSources(t, map[string]string{
		"index.js":       "import { where } from './locate.js';\n/** Where. */\nexport function createClient() {\n  return where();\n}\n",
		"locate.js":      "export function where() {\n  return new URL('./x.wasm', import.meta.url);\n}\n",
		"locate-edge.js": "import wasm from './x.wasm';\nexport function where() {\n  return wasm;\n}\n",
		"locate-meta.js": "export function where() {\n  return import.meta.resolve('./x.wasm');\n}\n",
	})
	const goRuntime = "globalThis.Go = class {};"
	tests := []struct {
		name         string
		out          jsOutput
		want, absent []string
		err          string
	}{
		{name: "ES module, default locator", out: jsOutput{entry: "index.js", form: esModule},
			want:   []string{goRuntime, "// locate.js", "import.meta.url", "export { createClient };\n"},
			absent: []string{"locate-edge", "module.exports"}},
		{name: "ES module, swapped locator with a wasm import", out: jsOutput{entry: "index.js", form: esModule, swap: map[string]string{"./locate.js": "./locate-edge.js"}},
			want:   []string{"import wasm from './x.wasm';\n" + goRuntime, "// locate-edge.js", "return wasm;"},
			absent: []string{"// locate.js", "import.meta"}},
		{name: "CommonJS", out: jsOutput{entry: "index.js", form: commonJS},
			want:   []string{"'use strict';\n" + goRuntime, "new URL('./x.wasm', require('node:url').pathToFileURL(__filename).href)", "module.exports = { createClient };\n"},
			absent: []string{"import.meta", "export {"}},
		{name: "CommonJS refuses a wasm import", out: jsOutput{entry: "index.js", form: commonJS, swap: map[string]string{"./locate.js": "./locate-edge.js"}},
			err: "only an ES module"},
		{name: "CommonJS refuses import.meta other than its url", out: jsOutput{entry: "index.js", form: commonJS, swap: map[string]string{"./locate.js": "./locate-meta.js"}},
			err: "no CommonJS equivalent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := tt.out.build(src, goRuntime)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			for _, w := range tt.want {
				assert.Contains(t, string(code), w)
			}
			for _, a := range tt.absent {
				assert.NotContains(t, string(code), a)
			}
		})
	}
}

// TestJSOutputsMatchPackageExports: every file js/package.json's exports name is built, and
// every built file is in its `files`.
func TestJSOutputsMatchPackageExports(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "js", "package.json"))
	require.NoError(t, err)
	for _, o := range jsOutputs {
		assert.Contains(t, string(raw), `"./`+o.file+`"`, "exports name %s", o.file)
		assert.Contains(t, string(raw), `"`+o.file+`",`, "files list %s", o.file)
	}
}
