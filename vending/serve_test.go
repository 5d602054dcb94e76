package vending

import (
	"context"
	"net"
	"net/http"
	"net/netip"
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

// fakeListener is a net.Listener bound nowhere, claiming addr.
type fakeListener struct{ addr net.Addr }

func (l fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (l fakeListener) Close() error              { return nil }
func (l fakeListener) Addr() net.Addr            { return l.addr }

func TestListenRefusesUnsafeAddresses(t *testing.T) {
	proxyAnywhere, err := ProxyHeader(ProxyHeaderConfig{})
	require.NoError(t, err)
	proxyTrusted, err := ProxyHeader(ProxyHeaderConfig{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	require.NoError(t, err)
	jwtAuth, err := JWT(JWTConfig{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience})
	require.NoError(t, err)
	cases := []struct {
		name     string
		auth     Authenticator
		loopback bool // whether it must listen on loopback
		reason   string
	}{
		{"dev-anonymous", DevAnonymous(), true, "--dev-anonymous"},
		{"proxy header without trusted proxies", proxyAnywhere, true, "--trusted-proxies"},
		{"proxy header from listed proxies", proxyTrusted, false, ""},
		{"JWT", jwtAuth, false, ""},
	}
	wide := []string{"0.0.0.0:0", "[::]:0", ":0", "vending.example.com:0", "192.0.2.1:0"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.Authenticator = tc.auth })
			for _, addr := range wide {
				err := h.srv.checkLoopback(false, addr)
				if !tc.loopback {
					assert.NoError(t, err, addr)
					continue
				}
				assert.ErrorContains(t, err, tc.reason, addr)
				_, err = h.srv.Listen(addr)
				assert.ErrorContains(t, err, "refusing to listen on "+addr, "nothing listens")
			}
			err := h.srv.Serve(context.Background(), fakeListener{&net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 80}})
			if tc.loopback {
				assert.ErrorContains(t, err, tc.reason, "Serve checks the listener too")
			}
			for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
				ln, err := h.srv.Listen(addr)
				require.NoError(t, err, addr)
				ln.Close()
			}
		})
	}
}
