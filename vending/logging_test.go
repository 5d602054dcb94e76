package vending

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretCollector remembers every secret value a test has seen.
type secretCollector struct {
	values []string
}

// add remembers non-empty values, and each part of a JWT on its own.
func (s *secretCollector) add(values ...string) {
	for _, v := range values {
		if v == "" {
			continue
		}
		s.values = append(s.values, v)
		if parts := strings.Split(v, "."); len(parts) == 3 {
			s.values = append(s.values, parts[1], parts[2]) // claims and signature of a JWT
		}
	}
}

// fromResponse remembers the secrets of a /sts or /sign answer and the cookies it sets.
func (s *secretCollector) fromResponse(t *testing.T, resp *http.Response) {
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a struct {
		AccessKeySecret, SecurityToken, URL string
		Fields                              map[string]string
	}
	if json.Unmarshal(body, &a) == nil {
		s.add(a.AccessKeySecret, a.SecurityToken, a.Fields["x-oss-security-token"], a.Fields["x-oss-signature"], a.Fields["policy"])
		if u, err := url.Parse(a.URL); err == nil {
			s.add(u.Query().Get("x-oss-signature"), u.Query().Get("x-oss-security-token"))
		}
	}
	for _, c := range resp.Cookies() {
		s.add(c.Value)
	}
}

func TestLogsHoldNoSecret(t *testing.T) {
	var secrets secretCollector
	secrets.add(string(testSecret), sourceSecret, sourceToken)
	run := func(h *harness, method, path string, headers map[string]string, body string) {
		secrets.add(strings.TrimPrefix(headers["Authorization"], "Bearer "))
		if c := headers["Cookie"]; c != "" {
			secrets.add(strings.TrimPrefix(c, DevCookie+"="))
		}
		secrets.fromResponse(t, h.request(method, path, headers, body))
	}

	// With the fake STS: every route, success and failure.
	h := newHarness(t, func(c *Config) { c.RateLimits.PerUser = Limit{Rate: 1, Burst: 3} })
	bearer := func(tok string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + tok, "Origin": testOrigin}
	}
	run(h, http.MethodGet, "/sts", bearer(h.token("42", nil)), "")
	run(h, http.MethodPost, "/sign", bearer(h.token("42", nil)), `{"contentType":"image/png","size":10}`)
	run(h, http.MethodPost, "/sign", bearer(h.token("42", nil)), `{"contentType":"image/png","size":10,"mode":"post"}`)
	run(h, http.MethodGet, "/sts", bearer(h.token("42", nil)), "") // rate limited
	run(h, http.MethodGet, "/sts", bearer(h.token("43", func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(testEpoch.Add(-time.Hour)) })), "")
	run(h, http.MethodGet, "/sts", bearer(h.token("43", func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other"} })), "")
	forged, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Subject: "43"}).SignedString([]byte("forged-forged-forged-forged-forged-forged"))
	require.NoError(t, err)
	run(h, http.MethodGet, "/sts", bearer(forged), "")
	run(h, http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + h.token("43", nil), "Origin": "https://evil.example.com"}, "")
	run(h, http.MethodGet, "/sts", map[string]string{"Cookie": DevCookie + "=0123456789abcdef0123456789abcdef", "Origin": "https://evil.example.com"}, "")
	run(h, http.MethodGet, "/sts", bearer(h.token("bad/id", nil)), "")
	h.sts.setErr(errors.New(`refresh session token failed: {"Code":"SignatureDoesNotMatch","RequestId":"R","Message":"server string to sign is:POST&%2F&SecurityToken%3D` + sourceToken + `"}`))
	run(h, http.MethodGet, "/sts", bearer(h.token("44", nil)), "")
	h.sts.setErr(errors.New(`Post "https://sts.example.com/?AccessKeyId=x&SecurityToken=` + sourceToken + `&Signature=abc": dial tcp: lookup sts.example.com: no such host`))
	run(h, http.MethodGet, "/sts", bearer(h.token("45", nil)), "")

	// Dev-anonymous: the cookie it sets.
	dev := newHarness(t, func(c *Config) { c.Authenticator = DevAnonymous(); c.Logger = h.srv.log })
	run(dev, http.MethodGet, "/sts", nil, "")

	// Through credentials-go against a TLS STS: success, and a failure quoting the token.
	sts := newFakeSTSServer(t)
	real := newRealHarness(t, func(c *Config) {
		pointAt(sts, staticSource(t, sourceSecret, sourceToken))(c)
		c.Logger = h.srv.log
	})
	run(real, http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + real.token("42", nil)}, "")
	wrong := newRealHarness(t, func(c *Config) {
		pointAt(sts, staticSource(t, "wrong-secret", sourceToken))(c)
		c.Logger = h.srv.log
	})
	run(wrong, http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + wrong.token("42", nil)}, "")

	logs := h.logs.String()
	lines := h.logs.lines(t)
	levels := map[string]int{}
	for _, l := range lines {
		levels[l["level"].(string)]++
	}
	assert.Positive(t, levels["DEBUG"], "Debug lines were captured")
	assert.Positive(t, levels["INFO"])
	assert.Positive(t, levels["WARN"])
	assert.GreaterOrEqual(t, len(secrets.values), 40, "secrets collected")
	for _, s := range secrets.values {
		if len(s) >= 8 { // shorter parts cannot be told from other text
			assert.NotContains(t, logs, s)
		}
	}
	assert.NotContains(t, logs, "Signature=")
	assert.Contains(t, logs, `"sts_code":"SignatureDoesNotMatch"`, "the failures were logged")
}
