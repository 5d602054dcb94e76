package vending

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyHeader(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name    string
		cfg     ProxyHeaderConfig
		remote  string
		values  []string
		want    string
		wantErr string
	}{
		{"loopback proxy, default header", ProxyHeaderConfig{}, "127.0.0.1:1", []string{"42"}, "42", ""},
		{"trusted proxy", ProxyHeaderConfig{Header: "X-Auth-User", TrustedProxies: trusted}, "10.1.2.3:1", []string{"alice"}, "alice", ""},
		{"request bypassing the proxy", ProxyHeaderConfig{TrustedProxies: trusted}, "203.0.113.7:1", []string{"42"}, "", "trusted proxy"},
		{"loopback peer when proxies are listed", ProxyHeaderConfig{TrustedProxies: trusted}, "127.0.0.1:1", []string{"42"}, "", "trusted proxy"},
		{"no header", ProxyHeaderConfig{}, "127.0.0.1:1", nil, "", "no X-Forwarded-User"},
		{"empty header", ProxyHeaderConfig{}, "127.0.0.1:1", []string{""}, "", "no X-Forwarded-User"},
		{"two headers", ProxyHeaderConfig{}, "127.0.0.1:1", []string{"42", "43"}, "", "more than one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ProxyHeader(tc.cfg)
			require.NoError(t, err)
			r := httptest.NewRequest(http.MethodGet, "/sts", nil)
			r.RemoteAddr = tc.remote
			header := tc.cfg.Header
			if header == "" {
				header = DefaultProxyUserHeader
			}
			for _, v := range tc.values {
				r.Header.Add(header, v)
			}
			id, err := a.Authenticate(httptest.NewRecorder(), r)
			if tc.wantErr != "" {
				assert.ErrorIs(t, err, ErrUnauthenticated)
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, id)
		})
	}
	for _, header := range []string{"Authorization", "cookie", "Host", "X Bad"} {
		t.Run("refuses header "+header, func(t *testing.T) {
			_, err := ProxyHeader(ProxyHeaderConfig{Header: header})
			assert.Error(t, err)
		})
	}
}

func TestProxyHeaderServer(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		a, err := ProxyHeader(ProxyHeaderConfig{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
		require.NoError(t, err)
		c.Authenticator = a
	})
	resp := h.request(http.MethodGet, "/sts", map[string]string{"X-Forwarded-User": "bob"}, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "users/bob/", decode(t, resp)["Prefix"])
	resp = h.request(http.MethodGet, "/sts", map[string]string{"X-Forwarded-User": "bob/../alice"}, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, CodeInvalidUserID, decode(t, resp)["Code"])
}

// Finding 2 of the review: with no trusted proxies configured, a direct client sending
// X-Forwarded-User: bob got bob's credentials. Without TrustedProxies the header is now
// accepted only from loopback peers (a proxy on the same machine), and the server refuses to
// listen beyond loopback.
func TestProxyHeaderWithoutTrustedProxies(t *testing.T) {
	a, err := ProxyHeader(ProxyHeaderConfig{})
	require.NoError(t, err)
	cases := []struct {
		name, remote string
		ok           bool
	}{
		{"direct client spoofing the header", "203.0.113.7:1", false},
		{"private-network client", "10.1.2.3:1", false},
		{"proxy on 127.0.0.1", "127.0.0.1:1", true},
		{"proxy on ::1", "[::1]:1", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/sts", nil)
			r.RemoteAddr = tc.remote
			r.Header.Set(DefaultProxyUserHeader, "bob")
			id, err := a.Authenticate(httptest.NewRecorder(), r)
			if !tc.ok {
				assert.ErrorIs(t, err, ErrUnauthenticated)
				assert.Empty(t, id)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "bob", id)
		})
	}
}
