package vending

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestDevAnonymous(t *testing.T) {
	a := DevAnonymous()
	issue := func(auth Authenticator) string {
		r := httptest.NewRequest(http.MethodGet, "http://localhost:8080/sts", nil)
		r.RemoteAddr = "127.0.0.1:1"
		w := httptest.NewRecorder()
		_, err := auth.Authenticate(w, r)
		require.NoError(t, err)
		require.Len(t, w.Result().Cookies(), 1)
		return w.Result().Cookies()[0].Value
	}
	issued := issue(a)
	issuedID, _, _ := strings.Cut(issued, ".")
	otherID, otherMAC, _ := strings.Cut(issue(DevAnonymous()), ".")
	cases := []struct {
		name, remote, host, cookie string
		tls                        bool
		wantID                     string // "" means a new id is issued
		forbidden                  bool
	}{
		{name: "no cookie: a new id"},
		{name: "no cookie over TLS: a Secure cookie", tls: true},
		{name: "a cookie this server issued: its id", cookie: issued, wantID: devUserID(issuedID)},
		{name: "a cookie another process issued: replaced", cookie: otherID + "." + otherMAC},
		{name: "a client-chosen id without a signature: replaced", cookie: issuedID},
		{name: "another id under a valid signature: replaced", cookie: otherID + "." + strings.SplitN(issued, ".", 2)[1]},
		{name: "cookie trying a path: replaced", cookie: "../../other-user"},
		{name: "a peer on another machine: refused", remote: "192.0.2.7:1", forbidden: true},
		{name: "a foreign Host (DNS rebinding): refused", host: "rebind.attacker.example:8080", forbidden: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://localhost:8080/sts", nil)
			r.RemoteAddr = "127.0.0.1:1"
			if tc.remote != "" {
				r.RemoteAddr = tc.remote
			}
			if tc.host != "" {
				r.Host = tc.host
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: DevCookie, Value: tc.cookie})
			}
			w := httptest.NewRecorder()
			id, err := a.Authenticate(w, r)
			cookies := w.Result().Cookies()
			if tc.forbidden {
				assert.ErrorIs(t, err, ErrForbidden)
				assert.Empty(t, cookies)
				return
			}
			require.NoError(t, err)
			require.NoError(t, checkUserID(id))
			if tc.wantID != "" {
				assert.Equal(t, tc.wantID, id)
				assert.Empty(t, cookies, "a valid cookie is not set again")
				return
			}
			require.Len(t, cookies, 1)
			c := cookies[0]
			assert.Equal(t, DevCookie, c.Name)
			assert.Regexp(t, `^[0-9a-f]{32}\.[0-9a-f]{64}$`, c.Value)
			newID, _, _ := strings.Cut(c.Value, ".")
			assert.Equal(t, devUserID(newID), id)
			assert.NotContains(t, c.Value, id, "the cookie, a secret, is not the id")
			assert.True(t, c.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
			assert.Equal(t, "/", c.Path)
			assert.Equal(t, tc.tls, c.Secure)
		})
	}
}

func TestDevAnonymousServer(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Authenticator = DevAnonymous() })
	first := h.request(http.MethodGet, "/sts", nil, "")
	require.Equal(t, http.StatusOK, first.StatusCode)
	cookies := first.Cookies()
	require.Len(t, cookies, 1)
	body := decode(t, first)
	id, _, _ := strings.Cut(cookies[0].Value, ".")
	assert.Equal(t, "users/"+devUserID(id)+"/", body["Prefix"])

	again := h.request(http.MethodGet, "/sts", map[string]string{"Cookie": DevCookie + "=" + cookies[0].Value}, "")
	assert.Equal(t, body["AccessKeyId"], decode(t, again)["AccessKeyId"], "the same browser is the same user")
	warned := false
	for _, l := range h.logs.lines(t) {
		if strings.HasPrefix(l["msg"].(string), "vending: dev-anonymous mode") {
			warned = l["level"] == "WARN"
		}
	}
	assert.True(t, warned, "a warning at startup")
}

// Finding 7 of the review: the loopback dev server answered a request for
// Host: rebind.attacker.example (DNS rebinding: an attacker's page reading the credentials).
func TestDevAnonymousRefusesForeignHost(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Authenticator = DevAnonymous() })
	_, port, err := net.SplitHostPort(strings.TrimPrefix(h.http.URL, "http://"))
	require.NoError(t, err)
	cases := []struct {
		host   string
		status int
	}{
		{"rebind.attacker.example:" + port, http.StatusForbidden},
		{"rebind.attacker.example", http.StatusForbidden},
		{"127.0.0.1.attacker.example:" + port, http.StatusForbidden},
		{"localhost.attacker.example:" + port, http.StatusForbidden},
		{"127.0.0.1:" + port, http.StatusOK},
		{"localhost:" + port, http.StatusOK},
		{"app.localhost:" + port, http.StatusOK},
		{"[::1]:" + port, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.host, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, h.http.URL+"/sts", nil)
			require.NoError(t, err)
			req.Host = tc.host
			resp, err := h.http.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.status != http.StatusOK {
				assert.Empty(t, resp.Cookies(), "no cookie for a foreign host")
				assert.NotContains(t, decode(t, resp), "AccessKeyId")
			}
		})
	}
}

// Finding 7 of the review: a cookie value chosen by the client was accepted as an identity.
func TestDevAnonymousRefusesClientChosenCookie(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Authenticator = DevAnonymous() })
	const chosen = "00112233445566778899aabbccddeeff"
	resp := h.request(http.MethodGet, "/sts", map[string]string{"Cookie": DevCookie + "=" + chosen}, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEqual(t, "users/"+devUserID(chosen)+"/", decode(t, resp)["Prefix"], "the chosen value is not an identity")
	cookies := resp.Cookies()
	require.Len(t, cookies, 1, "a server-issued cookie replaces it")
	assert.NotEqual(t, chosen, cookies[0].Value)
}

// Finding 7 of the review: the cookie was never Secure behind a TLS-terminating proxy.
// X-Forwarded-Proto counts only from a trusted proxy.
func TestDevAnonymousSecureCookieBehindTrustedProxy(t *testing.T) {
	f := parseFlags(t, nil, append(append([]string{}, required...), "--dev-anonymous", "--trusted-proxies", "127.0.0.1")...)
	cfg, err := f.Config()
	require.NoError(t, err)
	cases := []struct {
		name, remote, proto string
		secure              bool
	}{
		{"trusted proxy says https", "127.0.0.1:1", "https", true},
		{"trusted proxy says http", "127.0.0.1:1", "http", false},
		{"untrusted loopback peer says https", "127.0.0.2:1", "https", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://localhost:8080/sts", nil)
			r.RemoteAddr = tc.remote
			r.Header.Set("X-Forwarded-Proto", tc.proto)
			w := httptest.NewRecorder()
			_, err := cfg.Authenticator.Authenticate(w, r)
			require.NoError(t, err)
			cookies := w.Result().Cookies()
			require.Len(t, cookies, 1)
			assert.Equal(t, tc.secure, cookies[0].Secure)
		})
	}
}

// Issue 20, finding 3: in dev-anonymous mode every request without a cookie made one
// AssumeRole call (60 requests, 60 calls). New identities now take a token from a per-IP
// limit before they are issued: a reload loop without cookies gets 429 (no cookie, no STS
// call) past the burst, while a browser that keeps its cookie is not held back. (The STS
// budget is lifted, so that the calls are counted rather than queued on the fake clock.)
func TestDevAnonymousNewIdentitiesLimited(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Authenticator = DevAnonymous()
		c.STSBudget = Limit{Rate: rate.Inf}
	})
	burst := DefaultRateLimits.NewIdentity.Burst
	first := h.request(http.MethodGet, "/sts", nil, "")
	require.Equal(t, http.StatusOK, first.StatusCode)
	kept := map[string]string{"Cookie": first.Cookies()[0].Name + "=" + first.Cookies()[0].Value}

	var ok, limited int
	for range 60 {
		resp := h.request(http.MethodGet, "/sts", nil, "")
		switch resp.StatusCode {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
			assert.Empty(t, resp.Cookies(), "no identity is issued past the limit")
			assert.NotEmpty(t, resp.Header.Get("Retry-After"))
			body := decode(t, resp)
			assert.Equal(t, CodeRateLimited, body["Code"])
			assert.Contains(t, body["Message"], DevCookie, "says how to keep an identity")
		default:
			t.Fatalf("unexpected status %d", resp.StatusCode)
		}
	}
	assert.Equal(t, burst-1, ok, "the burst, less the first browser's identity")
	assert.Equal(t, 60-ok, limited)
	assert.Equal(t, int64(burst), h.sts.calls.Load(), "one AssumeRole call per identity issued, none for the refused")

	again := h.request(http.MethodGet, "/sts", kept, "")
	assert.Equal(t, http.StatusOK, again.StatusCode, "a browser with its cookie is not held back")
	assert.Equal(t, int64(burst), h.sts.calls.Load(), "and its credentials come from the cache")

	h.clock.Advance(time.Duration(float64(time.Second) / float64(DefaultRateLimits.NewIdentity.Rate)))
	assert.Equal(t, http.StatusOK, h.request(http.MethodGet, "/sts", nil, "").StatusCode, "the limit refills")
	assert.Equal(t, http.StatusTooManyRequests, h.request(http.MethodGet, "/sts", nil, "").StatusCode, "at its rate")
	metrics := httptest.NewRecorder()
	h.srv.MetricsHandler().ServeHTTP(metrics, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	assert.Contains(t, metrics.Body.String(), `ossign_vending_rate_limited_total{limit="new_identity"} 52`)
}
