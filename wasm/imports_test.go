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
// net/http, encoding/json or encoding/xml, and neither it nor signer may import fmt directly
// (fmt alone adds ~74 KB brotli).
func TestWasmImportGraph(t *testing.T) {
	goList := func(args ...string) []string {
		cmd := exec.Command("go", append([]string{"list"}, args...)...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.Fields(string(out))
	}
	deps := goList("-deps", ".")
	require.Contains(t, deps, "github.com/ossign/ossign/signer")
	for _, heavy := range []string{"net/http", "encoding/json", "encoding/xml"} {
		assert.NotContains(t, deps, heavy)
	}
	direct := goList("-f", "{{join .Imports \" \"}}", ".", "github.com/ossign/ossign/signer")
	assert.NotContains(t, direct, "fmt")
	assert.NotContains(t, direct, "net/http")
}
