package emulator_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestConfigRefused checks New refuses every invalid configuration with an error naming it.
func TestConfigRefused(t *testing.T) {
	cases := []struct {
		name    string
		adjust  func(*emulator.Config)
		wantErr string
	}{
		{"no data directory", func(c *emulator.Config) { c.DataDir = "" }, "DataDir"},
		{"region that is an endpoint", func(c *emulator.Config) { c.Region = "oss-cn-hangzhou.aliyuncs.com" }, "Region"},
		{"user ARN for a role", func(c *emulator.Config) { c.RoleARN = "acs:ram::123:user/alice" }, "RoleARN"},
		{"bucket with capitals", func(c *emulator.Config) { c.Buckets = []string{"MyBucket"} }, "bucket name"},
		{"bucket too short", func(c *emulator.Config) { c.Buckets = []string{"ab"} }, "bucket name"},
		{"half a root key", func(c *emulator.Config) { c.RootAccessKeyID, c.RootAccessKeySecret = "id", "" }, "RootAccessKeySecret"},
		{"root key shaped like an STS key", func(c *emulator.Config) { c.RootAccessKeyID, c.RootAccessKeySecret = "STS.x", "s" }, "STS."},
		{"session limit under an hour", func(c *emulator.Config) { c.MaxSessionDuration = 30 * time.Minute }, "MaxSessionDuration"},
		{"address on all interfaces", func(c *emulator.Config) { c.OSSAddr = "0.0.0.0:0" }, "loopback"},
		{"address on a LAN", func(c *emulator.Config) { c.STSAddr = "192.168.1.10:9000" }, "loopback"},
		{"host name with a port", func(c *emulator.Config) { c.Hostnames = []string{"oss.test:80"} }, "Hostnames"},
		{"CORS method", func(c *emulator.Config) { c.CORS.AllowedMethods = []string{"PATCH"} }, "CORS method"},
		{"CORS origin with two wildcards", func(c *emulator.Config) { c.CORS.AllowedOrigins = []string{"https://*.*.example.com"} }, "at most one *"},
		{"fault fraction", func(c *emulator.Config) { c.Faults.FailFraction = 2 }, "fraction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := emulator.Config{DataDir: t.TempDir()}
			tc.adjust(&cfg)
			_, err := emulator.New(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestConfigDefaults checks the defaults: a generated root key, the default region, role and
// bucket-less data directory, and a CA file that parses.
func TestConfigDefaults(t *testing.T) {
	emu, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^LTAI[A-Za-z0-9]{20}$`), emu.RootAccessKeyID())
	assert.Len(t, emu.RootAccessKeySecret(), 30)
	other, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	require.NoError(t, err)
	assert.NotEqual(t, emu.RootAccessKeySecret(), other.RootAccessKeySecret(), "generated keys differ")
	assert.Equal(t, emulator.DefaultRegion, emu.Region())
	assert.Equal(t, emulator.DefaultRoleARN, emu.RoleARN())
	assert.Empty(t, emu.Buckets())

	pemBytes, err := os.ReadFile(emu.CAFile())
	require.NoError(t, err)
	block, _ := pem.Decode(pemBytes)
	require.NotNil(t, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)
	assert.True(t, strings.HasSuffix(emu.CAFile(), "ca.pem"))
}
