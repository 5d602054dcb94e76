//go:build !js

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The module's download size is every user's cost: nothing in its import graph may pull in
// net/http, encoding/json, encoding/xml, fmt (~74 KB brotli), the crypto FIPS module, strconv
// (its quoting tables and number errors, ~5 KB), strings and unicode (~6 KB, and case-folding
// maps built at start) or encoding/base64 (tables built at start). The
// graph is listed by the toolchain that builds ossign.wasm (GOTOOLCHAIN in this directory), as
// the standard library's own imports differ between Go releases.
func TestWasmImportGraph(t *testing.T) {
	toolchain, err := os.ReadFile("GOTOOLCHAIN")
	require.NoError(t, err)
	goList := func(args ...string) []string {
		cmd := exec.Command("go", append([]string{"list"}, args...)...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOTOOLCHAIN="+strings.TrimSpace(string(toolchain)))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.Fields(string(out))
	}
	deps := goList("-deps", ".")
	require.Contains(t, deps, "github.com/ossign/ossign/signer")
	// crypto/* links the FIPS 140 module (~60 KB brotli); the wasm build hashes with
	// signer/digest.go instead.
	for _, heavy := range []string{"net/http", "encoding/json", "encoding/xml", "crypto/internal/fips140", "fmt", "strconv", "strings", "unicode", "encoding/base64"} {
		assert.NotContains(t, deps, heavy)
	}
	direct := goList("-f", "{{join .Imports \" \"}}", ".", "github.com/ossign/ossign/signer")
	assert.NotContains(t, direct, "fmt")
	assert.NotContains(t, direct, "net/http")
}
