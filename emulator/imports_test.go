package emulator_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmulatorImports keeps the emulator an independent check on ossign's signer: neither it
// nor its tests import signer/ (or signer/wire), and outside the standard library the package
// itself uses only the official SDK's signer and the credentials type that signer takes, and
// golang.org/x/image's scaler for x-oss-process.
func TestEmulatorImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, dep := range strings.Fields(string(out)) {
		assert.False(t, strings.HasPrefix(dep, "github.com/ossign/ossign/signer"), "the emulator depends on %s", dep)
	}

	out, err = exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.ElementsMatch(t, []string{
		"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials",
		"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer",
		"golang.org/x/image/draw",
		"golang.org/x/image/math/f64",
		"github.com/ossign/ossign/emulator",
	}, strings.Fields(string(out)))
}
