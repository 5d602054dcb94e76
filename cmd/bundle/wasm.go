package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// wasmToolchainFile names the Go toolchain that builds ossign.wasm (a GOTOOLCHAIN value such
// as go1.27.3). The go command fetches it from the module proxy on first use; the rest of the
// module builds with the toolchain go.mod selects. See README, "Which Go builds ossign.wasm".
const wasmToolchainFile = "wasm/GOTOOLCHAIN"

var toolchainName = regexp.MustCompile(`^go1\.\d+(\.\d+)?$`)

// wasmToolchain reads the pinned toolchain name.
func wasmToolchain(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, wasmToolchainFile))
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(b))
	if !toolchainName.MatchString(name) {
		return "", fmt.Errorf("%s: %q is not a toolchain name such as go1.27.3", wasmToolchainFile, name)
	}
	return name, nil
}

// wasmGo returns a go command that runs in root for js/wasm with the pinned toolchain.
func wasmGo(root string, args ...string) (*exec.Cmd, error) {
	toolchain, err := wasmToolchain(root)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOTOOLCHAIN="+toolchain)
	return cmd, nil
}

// buildWasm compiles ./wasm for js/wasm, stripped and without local paths, and packs its
// data segments (wasmpack.go).
func buildWasm(root, out string) error {
	tmp, err := os.MkdirTemp("", "ossign-wasm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	built := filepath.Join(tmp, "ossign.wasm")
	cmd, err := wasmGo(root, "build", "-trimpath", "-ldflags=-s -w", "-o", built, "./wasm")
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	raw, err := os.ReadFile(built)
	if err != nil {
		return err
	}
	packed, err := packDataSegments(raw)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "ossign.wasm"), packed)
}

// copyWasmExec copies wasm_exec.js from the toolchain that built the module: the two must match.
func copyWasmExec(root, out string) error {
	cmd, err := wasmGo(root, "env", "GOROOT")
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	goroot, err := cmd.Output()
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
