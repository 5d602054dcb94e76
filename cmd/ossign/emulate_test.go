package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startCommand runs a subcommand with args until the test ends: it returns the lines the
// command printed up to the first one for which last is true, and a function (callable more
// than once) that stops the command and returns its error.
func startCommand(t *testing.T, run func(context.Context, []string, io.Writer, io.Writer) error, args []string, last func(string) bool) ([]string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, w, io.Discard)
		w.Close()
	}()
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if last(sc.Text()) {
			break
		}
	}
	go io.Copy(io.Discard, out)
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Error("the command did not stop")
			return nil
		}
	})
	t.Cleanup(func() { stop() })
	return lines, stop
}

// startEmulate runs `ossign emulate args` until the test ends and returns the "name: value"
// lines it printed on start, and a function (callable more than once) that stops it and
// returns its error.
func startEmulate(t *testing.T, args ...string) (map[string]string, func() error) {
	t.Helper()
	printed, stop := startCommand(t, runEmulate, args, func(line string) bool { return strings.HasPrefix(line, "Press Ctrl-C") })
	lines := map[string]string{}
	for _, line := range printed {
		if name, value, ok := strings.Cut(line, ":"); ok {
			lines[strings.TrimSpace(name)] = strings.TrimSpace(value)
		}
	}
	return lines, stop
}

// TestEmulatePrintsAndServes runs the emulate command, checks what it prints on start, that
// it serves there, and that it stops cleanly when its context is cancelled.
func TestEmulatePrintsAndServes(t *testing.T) {
	dir := t.TempDir()
	lines, stop := startEmulate(t, "-data", dir, "-bucket", "photos,docs", "-bucket", "more",
		"-origin", "http://localhost:5173", "-access-key-id", "LTAItest", "-access-key-secret", "secret", "-log-level", "warn")
	oss := strings.Fields(lines["OSS endpoint"])
	require.NotEmpty(t, oss, "lines: %v", lines)
	assert.True(t, strings.HasPrefix(oss[0], "http://127.0.0.1:"))
	assert.True(t, strings.HasPrefix(lines["STS endpoint"], "https://127.0.0.1:"))
	assert.Contains(t, lines["STS endpoint"], "credentials-go STSEndpoint: 127.0.0.1:")
	assert.Equal(t, "LTAItest", lines["AccessKeyId"])
	assert.Equal(t, "secret", lines["AccessKeySecret"])
	assert.Equal(t, "acs:ram::1234567890123456:role/ossign-dev", lines["role ARN"])
	assert.Equal(t, dir+"/ca.pem", lines["CA certificate"])
	assert.Equal(t, "docs, more, photos", lines["buckets"])
	assert.Equal(t, "cn-hangzhou", lines["region"])
	assert.Equal(t, "http://localhost:5173", lines["CORS origins"])
	_, err := os.Stat(lines["CA certificate"])
	assert.NoError(t, err)

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(oss[0] + "/photos/x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "the OSS endpoint answers (anonymous access is refused)")
	assert.NotEmpty(t, resp.Header.Get("x-oss-request-id"))

	require.NoError(t, stop())
	_, err = client.Get(oss[0] + "/photos/x")
	assert.Error(t, err, "stopped")
	_, err = os.Stat(dir)
	assert.NoError(t, err, "a -data directory is kept")
}

// TestEmulateDefaults checks the defaults: a generated key, the default bucket, CORS off and
// a temporary data directory removed on exit.
func TestEmulateDefaults(t *testing.T) {
	lines, stop := startEmulate(t)
	assert.Equal(t, defaultBucket, lines["buckets"])
	assert.True(t, strings.HasPrefix(lines["AccessKeyId"], "LTAI"))
	assert.Len(t, lines["AccessKeySecret"], 30)
	assert.Equal(t, "off", lines["CORS origins"])
	dir := lines["data directory"]
	_, err := os.Stat(dir)
	require.NoError(t, err)
	require.NoError(t, stop())
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "the temporary data directory is removed")
}

// TestEmulateRefusesBadFlags checks wrong flags are errors, before anything listens.
func TestEmulateRefusesBadFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"address that is not loopback", []string{"-addr", "0.0.0.0:0"}, "loopback"},
		{"invalid bucket", []string{"-bucket", "Bad_Bucket"}, "bucket name"},
		{"unknown flag", []string{"-port", "1"}, "flag provided but not defined"},
		{"stray argument", []string{"now"}, "unexpected argument"},
		{"log level", []string{"-log-level", "loud"}, "-log-level"},
		{"half a key", []string{"-access-key-id", "LTAIx"}, "RootAccessKeySecret"},
		{"fault fraction", []string{"-fail", "1.5"}, "fraction"},
		{"host name", []string{"-hostname", "oss.test:80"}, "Hostnames"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout bytes.Buffer
			err := runEmulate(context.Background(), tc.args, &stdout, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Empty(t, stdout.String(), "nothing is printed for a refused start")
		})
	}
}

// TestEmulateIsListed checks `ossign help` lists the emulate command.
func TestEmulateIsListed(t *testing.T) {
	var out bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"help"}, &out, io.Discard))
	assert.Contains(t, out.String(), "emulate")
}

// TestEmulateFaultFlags checks the fault-injection flags reach the emulator.
func TestEmulateFaultFlags(t *testing.T) {
	lines, _ := startEmulate(t, "-fail", "1", "-log-level", "error")
	endpoint := strings.Fields(lines["OSS endpoint"])[0]
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(endpoint + "/" + defaultBucket + "/x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

// TestEmulateGoSnippetWorks compiles the Go SDK v2 line the banner prints into a program, as a
// user would paste it, and runs it against the emulator: it puts an object and reads it back.
func TestEmulateGoSnippetWorks(t *testing.T) {
	lines, _ := startEmulate(t, "-bucket", "photos", "-log-level", "error")
	code := lines["Go SDK v2"]
	require.True(t, strings.HasPrefix(code, "oss.NewClient("), "lines: %v", lines)
	dir := t.TempDir()
	program := `package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
)

func main() {
	ctx := context.Background()
	client := ` + code + `
	_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr("photos"), Key: oss.Ptr("snippet.txt"), Body: strings.NewReader("from the Go snippet")})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	res, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr("photos"), Key: oss.Ptr("snippet.txt")})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(res.Body)
	fmt.Print(string(body))
}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644))
	// The program lives in this module (for its go.mod) only through an overlay: nothing is
	// written into the source tree.
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(root, "cmd", "ossign", "internal", "snippetcheck", "main.go"): filepath.Join(dir, "main.go"),
	}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o644))
	cmd := exec.Command("go", "run", "-overlay", filepath.Join(dir, "overlay.json"), "./cmd/ossign/internal/snippetcheck")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, "from the Go snippet", string(out))
}

// TestEmulateStrictPost posts a PostObject form with a field its policy does not name
// (x-oss-meta-note) to `ossign emulate`: accepted and stored by default, as OSS does; refused
// with "Extra input fields" with -strict-post. ossign dev takes the flag too.
func TestEmulateStrictPost(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		wantStatus int
	}{
		{"default, as OSS", nil, http.StatusNoContent},
		{"-strict-post", []string{"-strict-post"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, _ := startEmulate(t, append([]string{"-bucket", "photos", "-log-level", "error"}, tc.args...)...)
			endpoint := strings.Fields(lines["OSS endpoint"])[0]
			policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"` + time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z") +
				`","conditions":[{"bucket":"photos"},{"key":"notes/a.txt"}]}`))
			mac := hmac.New(sha1.New, []byte(lines["AccessKeySecret"]))
			mac.Write([]byte(policy))
			var body bytes.Buffer
			form := multipart.NewWriter(&body)
			for _, f := range [][2]string{{"key", "notes/a.txt"}, {"OSSAccessKeyId", lines["AccessKeyId"]}, {"policy", policy},
				{"Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil))}, {"x-oss-meta-note", "not in the policy"}, {"file", "hello"}} {
				require.NoError(t, form.WriteField(f[0], f[1]))
			}
			require.NoError(t, form.Close())
			resp, err := http.Post(endpoint+"/photos", form.FormDataContentType(), &body)
			require.NoError(t, err)
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.wantStatus, resp.StatusCode, "%s", answer)
			if tc.wantStatus == http.StatusForbidden {
				assert.Contains(t, string(answer), "Extra input fields: x-oss-meta-note")
			}
		})
	}
	opts, _, err := parseDevFlags([]string{"-strict-post", "-fail", "0.1"}, envMap(nil), io.Discard)
	require.NoError(t, err)
	assert.True(t, opts.emulator.StrictPost)
	assert.Equal(t, 0.1, opts.emulator.Faults.FailFraction)
}
