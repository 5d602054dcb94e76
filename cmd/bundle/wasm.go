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

// buildWasm compiles ./wasm for js/wasm, stripped, and packs its data segments (wasmpack.go).
func buildWasm(root, out string) error {
	raw, _, err := compileWasm(root, "-s -w")
	if err != nil {
		return err
	}
	packed, err := packDataSegments(raw)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "ossign.wasm"), packed)
}

// compileWasm builds ./wasm for js/wasm with the pinned toolchain, without local paths and
// with the given linker flags, and returns the module and what the go command printed.
func compileWasm(root, ldflags string) (module, output []byte, err error) {
	tmp, err := os.MkdirTemp("", "ossign-wasm-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "ossign.wasm")
	cmd, err := wasmGo(root, "build", "-trimpath", "-ldflags="+ldflags, "-o", path, "./wasm")
	if err != nil {
		return nil, nil, err
	}
	if output, err = cmd.CombinedOutput(); err != nil {
		return nil, output, fmt.Errorf("go build ./wasm: %w\n%s", err, output)
	}
	module, err = os.ReadFile(path)
	return module, output, err
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
