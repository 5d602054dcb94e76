package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// wasmFileLine is the line of js/src/sw.js that names the module the worker loads; the
// Service Worker build writes the content-hashed name into it.
const wasmFileLine = "const WASM_FILE = 'ossign.wasm';"

// bundleServiceWorker writes ossign-sw.js, the Service Worker build: wasm_exec.js and the
// worker's entry (js/src/sw.js) in a function scope, minified, naming the content-hashed copy
// of the module it was built with (ossign.<hash8>.wasm, which writeHashedWasm writes), so
// that a worker never loads another build's module.
func bundleServiceWorker(root, out string) error {
	raw, err := os.ReadFile(filepath.Join(out, "ossign.wasm"))
	if err != nil {
		return err
	}
	j, err := join(filepath.Join(root, "js", "src"), "sw.js", nil)
	if err != nil {
		return err
	}
	code := j.code
	if n := strings.Count(code, wasmFileLine); n != 1 {
		return fmt.Errorf("js/src/sw.js must contain the line %q once (found %d)", wasmFileLine, n)
	}
	code = strings.Replace(code, wasmFileLine, "const WASM_FILE = '"+hashedWasmName(raw)+"';", 1)
	wasmExec, err := os.ReadFile(filepath.Join(out, "wasm_exec.js"))
	if err != nil {
		return err
	}
	script, err := wrapClassic(string(wasmExec), code)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "ossign-sw.js"), script)
}
