package emulator_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestStartStopsWithContext checks Start serves on loopback until its context is done, then
// shuts down.
func TestStartStopsWithContext(t *testing.T) {
	emu, err := emulator.New(emulator.Config{DataDir: t.TempDir(), Buckets: []string{testBucket}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emu.Start(ctx)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(srv.OSSEndpoint, "http://127.0.0.1:"))
	assert.True(t, strings.HasPrefix(srv.STSEndpoint, "https://127.0.0.1:"))
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(srv.OSSEndpoint + "/" + testBucket + "/k")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "anonymous")

	cancel()
	select {
	case <-srv.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the servers did not shut down")
	}
	_, err = client.Get(srv.OSSEndpoint + "/" + testBucket + "/k")
	assert.Error(t, err, "nothing listens any more")
	assert.NoError(t, srv.Close(), "Close after shutdown is harmless")
}

// TestCAFileTrust checks a client trusting only the CA file reaches the STS endpoint by IP and
// by localhost.
func TestCAFileTrust(t *testing.T) {
	e := newEnv(t)
	pemBytes, err := os.ReadFile(e.srv.CAFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pemBytes))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			resp, err := client.Get(strings.Replace(e.srv.STSEndpoint, "127.0.0.1", host, 1) + "/?Format=JSON")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "TLS is trusted; the call itself lacks parameters")
		})
	}
	_, err = http.Get(e.srv.STSEndpoint)
	assert.Error(t, err, "a client that does not trust the CA is refused")
}
