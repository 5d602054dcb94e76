package signer_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The wasm module links this package: it stays on the standard library, and off the packages
// that cost every user hundreds of KB of download (DESIGN.md).
func TestSignerImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "github.com/ossign/ossign/signer", strings.TrimSpace(string(out)), "signer imports only the standard library")

	out, err = exec.Command("go", "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	for _, heavy := range []string{"fmt", "net/http", "encoding/json", "encoding/xml"} {
		assert.NotContains(t, deps, heavy)
	}
}
