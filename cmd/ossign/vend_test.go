package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Findings 2 and 3 of the review: `ossign vend` served dev-anonymous credentials, and trusted
// a proxy user header from anyone, on a non-loopback address. It refuses to start instead,
// before calling STS.
func TestVendRefusesUnsafeListenAddress(t *testing.T) {
	base := []string{"--bucket", "examplebucket", "--region", "cn-hangzhou", "--role-arn", "acs:ram::1234567890123456:role/r"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"dev-anonymous on every interface", []string{"--dev-anonymous", "--listen", "0.0.0.0:0"}, "loopback"},
		{"dev-anonymous on a host name", []string{"--dev-anonymous", "--listen", "vending.example.com:8080"}, "loopback"},
		{"proxy header from anyone", []string{"--proxy-user-header", "X-Forwarded-User", "--listen", "0.0.0.0:0"}, "--trusted-proxies"},
		{"proxy header on an IPv6 wildcard", []string{"--proxy-user-header", "X-Forwarded-User", "--listen", "[::]:0"}, "--trusted-proxies"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := runVend(context.Background(), append(append([]string{}, base...), tc.args...), &out, &errs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, out.String(), "nothing served")
		})
	}
}

// TestVendServesWithMetrics runs `ossign vend` against the emulator's STS with a metrics
// listener: credentials on /sts, readiness on /readyz, counters on /metrics.
func TestVendServesWithMetrics(t *testing.T) {
	emu, stopEmulator := startEmulate(t, "-access-key-id", "LTAItestvend", "-access-key-secret", "vendSECRETvalue", "-log-level", "error")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAItestvend")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "vendSECRETvalue")
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runVend(ctx, []string{"--bucket", defaultBucket, "--region", emu["region"], "--role-arn", emu["role ARN"],
			"--endpoint", strings.Fields(emu["OSS endpoint"])[0], "--sts-endpoint", strings.TrimPrefix(strings.Fields(emu["STS endpoint"])[0], "https://"),
			"--sts-ca-file", emu["CA certificate"], "--dev-anonymous", "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
			"--log-level", "error"}, w, io.Discard)
		w.Close()
	}()
	sc := bufio.NewScanner(out)
	var serving, metrics string
	for (serving == "" || metrics == "") && sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "ossign vend: serving on "); ok {
			serving = "http://" + addr
		}
		if url, ok := strings.CutPrefix(sc.Text(), "ossign vend: metrics on "); ok {
			metrics = url
		}
	}
	go io.Copy(io.Discard, out)
	require.NotEmpty(t, serving)
	require.NotEmpty(t, metrics)

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for _, path := range []string{"/readyz", "/sts"} {
		resp, err := client.Get(serving + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}
	resp, err := client.Get(metrics)
	require.NoError(t, err)
	text, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(text), `ossign_vending_requests_total{route="/sts",code="Success"} 1`)
	assert.Contains(t, string(text), `ossign_vending_sts_calls_total{result="success"} 2`, "CheckSTS and the user's session")
	resp, err = client.Get(strings.TrimSuffix(metrics, "/metrics") + "/sts")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the metrics listener serves metrics only")

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("ossign vend did not stop")
	}
	require.NoError(t, stopEmulator())
}
