// Command bundle builds the ossign browser package into dist/: the wasm module with its .br
// and .gz siblings, wasm_exec.js from the same Go toolchain, the ESM build (ossign.mjs), the
// builds for Node and Bun (ossign.node.mjs, ossign.cjs) and workerd (ossign.workerd.mjs), the
// classic-script build (ossign.min.js), the Service Worker build (ossign-sw.js, swbundle.go),
// the type definitions, package.json, and a content-hashed copy of the module with
// manifest.json (manifest.go). It needs Go only, no Node: JS modules are joined by a small
// resolver and minified with tdewolff/minify.
//
// With -size-report it builds nothing into dist/ and prints what ossign.wasm is made of, by
// Go package (sizereport.go).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root := flag.String("root", ".", "repository root")
	out := flag.String("out", "dist", "output directory")
	sizes := flag.Bool("size-report", false, "print what ossign.wasm is made of, by Go package, instead of building")
	flag.Parse()
	run := func() error { return build(*root, *out) }
	if *sizes {
		run = func() error { return sizeReport(*root, os.Stdout) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func build(root, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	steps := []struct {
		name string
		run  func(root, out string) error
	}{
		{"ossign.wasm", buildWasm},
		{"wasm_exec.js", copyWasmExec},
		{"ossign.mjs, ossign.node.mjs, ossign.cjs, ossign.workerd.mjs, ossign.min.js", bundleJS},
		{"ossign-sw.js", bundleServiceWorker},
		{"index.d.ts, package.json", copyPackageFiles},
		{"compressed siblings", compressAll},
		{"content-hashed ossign.wasm, manifest.json", writeHashedWasm},
	}
	for _, s := range steps {
		if err := s.run(root, out); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return report(out)
}

// report prints each artifact's size.
func report(out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return err
		}
		fmt.Printf("%10d  %s\n", info.Size(), filepath.Join(out, e.Name()))
	}
	return nil
}
