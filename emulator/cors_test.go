package emulator_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestCORSPreflight checks OPTIONS requests against a rule allowing https://*.example.com to
// GET and PUT with any header: allowed origins, methods and headers get the CORS headers,
// anything else OSS's 403 AccessForbidden.
func TestCORSPreflight(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) {
		c.CORS = emulator.CORSRule{AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"GET", "PUT"}, MaxAgeSeconds: 600}
	})
	cases := []struct {
		name, origin, method, headers string
		url                           string
		wantStatus                    int
	}{
		{name: "allowed", origin: "https://app.example.com", method: "PUT", headers: "Content-Type, x-oss-date, Authorization", wantStatus: 200},
		{name: "allowed, no requested headers", origin: "https://app.example.com", method: "GET", wantStatus: 200},
		{name: "origin not allowed", origin: "https://evil.test", method: "PUT", wantStatus: 403},
		{name: "method not allowed", origin: "https://app.example.com", method: "DELETE", wantStatus: 403},
		{name: "no Origin", method: "PUT", wantStatus: 403},
		{name: "no Access-Control-Request-Method", origin: "https://app.example.com", wantStatus: 403},
		{name: "bucket that does not exist", origin: "https://app.example.com", method: "PUT", url: "/nobucket/k", wantStatus: 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := e.objectURL(testBucket, "users/42/a.jpg")
			if tc.url != "" {
				u = e.srv.OSSEndpoint + tc.url
			}
			req := e.newRequest("OPTIONS", u, nil)
			for name, v := range map[string]string{"Origin": tc.origin, "Access-Control-Request-Method": tc.method, "Access-Control-Request-Headers": tc.headers} {
				if v != "" {
					req.Header.Set(name, v)
				}
			}
			resp := e.send(req)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			assert.NotEmpty(t, resp.header.Get("x-oss-request-id"))
			if tc.wantStatus != 200 {
				assert.Empty(t, resp.header.Get("Access-Control-Allow-Origin"))
				if tc.wantStatus == 403 {
					assert.Equal(t, "AccessForbidden", parseError(t, resp.body).Code)
				}
				return
			}
			assert.Equal(t, tc.origin, resp.header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "GET, PUT", resp.header.Get("Access-Control-Allow-Methods"))
			assert.Equal(t, "600", resp.header.Get("Access-Control-Max-Age"))
			assert.Contains(t, resp.header.Get("Access-Control-Expose-Headers"), "ETag")
			if tc.headers != "" {
				assert.Equal(t, "content-type, x-oss-date, authorization", resp.header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// TestCORSActualRequests checks the CORS headers of actual requests, errors included, so that
// a page can read the ETag of an upload and OSS's error documents.
func TestCORSActualRequests(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.CORS = emulator.CORSRule{AllowedOrigins: []string{"*"}} })
	cases := []struct {
		name       string
		sign       bool
		wantStatus int
	}{
		{"signed upload", true, 200},
		{"refused upload", false, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := e.newRequest("PUT", e.objectURL(testBucket, "cors.txt"), []byte("x"))
			req.Header.Set("Origin", "http://localhost:5173")
			if tc.sign {
				signHeader(t, req, testBucket, "cors.txt", rootCreds, time.Now(), false)
			}
			resp := e.send(req)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			assert.Equal(t, "http://localhost:5173", resp.header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "ETag, x-oss-request-id, x-oss-hash-crc64ecma, x-oss-version-id, x-oss-ec, Content-Range, Accept-Ranges, Content-Disposition",
				resp.header.Get("Access-Control-Expose-Headers"))
			assert.Contains(t, resp.header.Values("Vary"), "Origin")
		})
	}
}

// TestCORSOff checks that without allowed origins (OSS's default), preflights are refused and
// responses carry no CORS headers.
func TestCORSOff(t *testing.T) {
	e := newEnv(t)
	req := e.newRequest("OPTIONS", e.objectURL(testBucket, "k"), nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp := e.send(req)
	assert.Equal(t, http.StatusForbidden, resp.status)
	assert.Empty(t, resp.header.Get("Access-Control-Allow-Origin"))
}
