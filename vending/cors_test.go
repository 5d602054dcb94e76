package vending

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCORS(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.AllowedOrigins = []string{testOrigin, "HTTP://LOCALHOST:5173/", "https://other.example.com:443"}
	})
	token := "Bearer " + h.token("42", nil)
	preflight := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
	}
	cases := []struct {
		name    string
		method  string
		headers map[string]string
		status  int
		allowed string // expected Access-Control-Allow-Origin; "" means no CORS headers at all
		code    string
	}{
		{"allowed origin", http.MethodGet, map[string]string{"Origin": testOrigin, "Authorization": token}, http.StatusOK, testOrigin, ""},
		{"allowed origin, normalized from the list", http.MethodGet, map[string]string{"Origin": "http://localhost:5173", "Authorization": token}, http.StatusOK, "http://localhost:5173", ""},
		{"allowed origin, default port dropped from the list", http.MethodGet, map[string]string{"Origin": "https://other.example.com", "Authorization": token}, http.StatusOK, "https://other.example.com", ""},
		{"allowed origin, error answers keep CORS", http.MethodGet, map[string]string{"Origin": testOrigin}, http.StatusUnauthorized, testOrigin, CodeUnauthenticated},
		{"no origin (not a browser)", http.MethodGet, map[string]string{"Authorization": token}, http.StatusOK, "", ""},
		{"disallowed origin with a bearer token", http.MethodGet, map[string]string{"Origin": "https://evil.example.com", "Authorization": token}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"disallowed origin with a cookie", http.MethodGet, map[string]string{"Origin": "https://evil.example.com", "Cookie": "ossign_dev=00112233445566778899aabbccddeeff"}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"disallowed origin without credentials", http.MethodGet, map[string]string{"Origin": "https://evil.example.com"}, http.StatusUnauthorized, "", CodeUnauthenticated},
		{"origin differing by scheme", http.MethodGet, map[string]string{"Origin": "http://app.example.com", "Authorization": token}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"origin differing by port", http.MethodGet, map[string]string{"Origin": "https://app.example.com:8443", "Authorization": token}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"subdomain of an allowed origin", http.MethodGet, map[string]string{"Origin": "https://x.app.example.com", "Authorization": token}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"null origin", http.MethodGet, map[string]string{"Origin": "null", "Authorization": token}, http.StatusForbidden, "", CodeOriginNotAllowed},
		{"preflight from an allowed origin", http.MethodOptions, preflight(testOrigin), http.StatusNoContent, testOrigin, ""},
		{"preflight from a disallowed origin", http.MethodOptions, preflight("https://evil.example.com"), http.StatusForbidden, "", CodeOriginNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.request(tc.method, "/sts", tc.headers, "")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Contains(t, resp.Header.Values("Vary"), "Origin")
			assert.Equal(t, tc.allowed, resp.Header.Get("Access-Control-Allow-Origin"))
			if tc.allowed == "" {
				for name := range resp.Header {
					assert.NotContains(t, name, "Access-Control-", "no CORS header for a disallowed origin")
				}
			} else {
				assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
			}
			if tc.code != "" {
				assert.Equal(t, tc.code, decode(t, resp)["Code"])
			}
		})
	}
	t.Run("preflight answer", func(t *testing.T) {
		resp := h.request(http.MethodOptions, "/sign", preflight(testOrigin), "")
		require.Equal(t, http.StatusNoContent, resp.StatusCode)
		assert.Equal(t, "GET, POST, OPTIONS", resp.Header.Get("Access-Control-Allow-Methods"))
		assert.Equal(t, "Authorization, Content-Type", resp.Header.Get("Access-Control-Allow-Headers"))
		assert.Equal(t, "600", resp.Header.Get("Access-Control-Max-Age"))
		assert.Subset(t, resp.Header.Values("Vary"), []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"})
	})
	t.Run("exposed headers", func(t *testing.T) {
		resp := h.request(http.MethodGet, "/sts", map[string]string{"Origin": testOrigin, "Authorization": token}, "")
		assert.Equal(t, "Retry-After, X-Request-Id", resp.Header.Get("Access-Control-Expose-Headers"))
	})
	assert.Equal(t, int64(1), h.sts.calls.Load(), "refused requests never reach STS")
}
