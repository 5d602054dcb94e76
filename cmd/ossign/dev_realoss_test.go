package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
)

// startDevCommand runs `ossign dev args` until the test ends and returns the lines it printed
// up to the URL to open, and that URL.
func startDevCommand(t *testing.T, args ...string) (banner []string, page string) {
	t.Helper()
	banner, stop := startCommand(t, runDev, args, func(line string) bool { return strings.HasPrefix(line, devOpenLine) })
	t.Cleanup(func() { assert.NoError(t, stop(), "ossign dev stopped with an error") })
	if len(banner) == 0 {
		t.Fatalf("ossign dev printed nothing: %v", stop())
	}
	page, ok := strings.CutPrefix(banner[len(banner)-1], devOpenLine)
	require.True(t, ok, "ossign dev printed no URL: %q", banner)
	return banner, strings.TrimSuffix(page, "/")
}

// devOpenLine starts the line where ossign dev prints the URL to open.
const devOpenLine = "ossign dev: open "

// TestDevRealOSSWiring runs `ossign dev` in its real-OSS mode, configured as a user would —
// role, bucket and region from the environment variables of ossign vend, the server's
// AccessKey from credentials-go's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET) — with
// the emulator standing in for Alibaba Cloud (--sts-endpoint, --sts-ca-file, --endpoint):
// no emulator of its own starts, /sts answers the browser with an STS token for its own
// prefix, and that token reads, writes and deletes there and nowhere else.
func TestDevRealOSSWiring(t *testing.T) {
	emu, err := emulator.New(emulator.Config{DataDir: t.TempDir(), Buckets: []string{"photos"}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	es, err := emu.Start(ctx)
	require.NoError(t, err)
	defer es.Close()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", emu.RootAccessKeyID())
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emu.RootAccessKeySecret())
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", emu.RoleARN())
	t.Setenv("OSSIGN_BUCKET", "photos")
	t.Setenv("OSSIGN_REGION", emu.Region())
	dist, web := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dist, "ossign.mjs"), []byte("export {}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html>demo"), 0o644))

	banner, page := startDevCommand(t, "-addr", "127.0.0.1:0", "-dist", dist, "-web", web, "-log-level", "warn",
		"--endpoint", es.OSSEndpoint, "--sts-endpoint", es.STSHost, "--sts-ca-file", es.CAFile)
	text := strings.Join(banner, "\n")
	assert.Contains(t, text, "ossign dev: real OSS: bucket photos in "+emu.Region()+" ("+es.OSSEndpoint+"), STS credentials of "+emu.RoleARN())
	assert.Contains(t, text, "CORS rule must allow origin "+page)
	assert.Contains(t, text, "expose ETag, x-oss-request-id, x-oss-hash-crc64ecma, Content-Range, Accept-Ranges, Content-Disposition")
	assert.Contains(t, text, "listening on "+strings.TrimPrefix(page, "http://")+" only")
	assert.NotContains(t, text, "ossign emulator", "no emulator of its own")
	assert.NotContains(t, text, emu.RootAccessKeySecret())

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(page + "/sts")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	vended, err := wire.ParseVending(body)
	require.NoError(t, err)
	assert.Equal(t, "photos", vended.Bucket)
	assert.Equal(t, es.OSSEndpoint, vended.Endpoint)
	assert.Regexp(t, `^users/[0-9a-f]{32}/$`, vended.Prefix)
	require.NotEmpty(t, vended.Credentials.SecurityToken, "STS credentials")
	creds := vended.Credentials

	target := signer.Target{Region: vended.Region, Endpoint: vended.Endpoint}
	cases := []struct {
		name, method, key, body string
		status                  int
	}{
		{"write own prefix", http.MethodPut, vended.Prefix + "a.txt", "hello", http.StatusOK},
		{"read own prefix", http.MethodGet, vended.Prefix + "a.txt", "", http.StatusOK},
		{"delete own prefix", http.MethodDelete, vended.Prefix + "a.txt", "", http.StatusNoContent},
		{"gone", http.MethodGet, vended.Prefix + "a.txt", "", http.StatusNotFound},
		{"no write elsewhere", http.MethodPut, "users/someone-else/a.txt", "x", http.StatusForbidden},
		{"no delete elsewhere", http.MethodDelete, "users/someone-else/a.txt", "", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := signer.Presign(target, creds, signer.Request{Method: tc.method, Bucket: "photos", Key: tc.key, Expires: time.Minute}, time.Now())
			require.NoError(t, err)
			req, err := http.NewRequest(tc.method, p.URL, strings.NewReader(tc.body))
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}

	resp, err = browser.Get(page + "/")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "<!doctype html>demo", string(body), "the page is served")
}
