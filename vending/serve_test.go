package vending

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeShutsDownGracefully(t *testing.T) {
	h := newHarness(t, nil)
	gate := make(chan struct{})
	h.sts.gate = gate
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln) }()

	url := "http://" + ln.Addr().String()
	req, err := http.NewRequest(http.MethodGet, url+"/sts", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+h.token("42", nil))
	status := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return h.sts.calls.Load() == 1 }, 5*time.Second, time.Millisecond, "the request is in flight")

	cancel()
	select {
	case err := <-served:
		require.Failf(t, "Serve returned with a request in flight", "%v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(gate)
	assert.Equal(t, http.StatusOK, <-status, "the request in flight is answered")
	select {
	case err := <-served:
		assert.NoError(t, err)
	case <-time.After(ShutdownGrace):
		require.Fail(t, "Serve did not return")
	}
	_, err = http.Get(url + "/healthz")
	assert.Error(t, err, "no longer listening")
	assert.Contains(t, h.logs.String(), "vending: stopped")
}

func TestListenAndServeError(t *testing.T) {
	h := newHarness(t, nil)
	err := h.srv.ListenAndServe(context.Background(), "127.0.0.1:notaport")
	assert.Error(t, err)
}
