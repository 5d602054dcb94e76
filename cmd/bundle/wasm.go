package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildWasm compiles ./wasm for js/wasm, stripped and without local paths.
func buildWasm(root, out string) error {
	target, err := filepath.Abs(filepath.Join(out, "ossign.wasm"))
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", target, "./wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// copyWasmExec copies wasm_exec.js from the toolchain that built the module: the two must match.
func copyWasmExec(root, out string) error {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "wasm_exec.js"), b)
}

// writeFile writes b unless the file already holds exactly b, so rebuilds keep mtimes.
func writeFile(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(path, b, 0o644)
}
