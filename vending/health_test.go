package vending

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadiness(t *testing.T) {
	h := newHarness(t, nil)
	// Each step runs in order: the clock, STS's state and the calls carry over.
	steps := []struct {
		name    string
		before  func()
		status  int
		sts     string // the sts check's message; "" when ready
		calls   int64
		healthz int
	}{
		{name: "at start: one AssumeRole call proves STS", status: http.StatusOK, calls: 1},
		{name: "ready again: no call", status: http.StatusOK, calls: 1},
		{name: "a failed refresh within 5 minutes of a success: still ready", before: func() {
			h.sts.setErr(errTestSTSDown)
			h.clock.Advance(4 * time.Minute)
			h.getSTS("42", nil) // a new user: a failed call
		}, status: http.StatusOK, calls: 2},
		{name: "failing since more than 5 minutes: the probe asks STS once, not ready", before: func() {
			h.clock.Advance(time.Minute + time.Second)
			h.getSTS("42", nil) // the user's second failed call
		}, status: http.StatusServiceUnavailable, sts: "AssumeRole has failed since 2026-01-02T03:04:05Z", calls: 4},
		{name: "the probe backs off: no call", status: http.StatusServiceUnavailable, sts: "AssumeRole has failed since 2026-01-02T03:04:05Z", calls: 4},
		{name: "STS back: the probe finds it a second later", before: func() {
			h.sts.setErr(nil)
			h.clock.Advance(time.Second)
		}, status: http.StatusOK, calls: 5},
		{name: "ready: no call", status: http.StatusOK, calls: 5},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.before != nil {
				s.before()
			}
			resp := h.request(http.MethodGet, "/readyz", nil, "")
			assert.Equal(t, s.status, resp.StatusCode)
			body := decode(t, resp)
			if s.status == http.StatusOK {
				assert.Equal(t, map[string]any{"Status": "ready"}, body)
			} else {
				assert.Equal(t, map[string]any{"Status": "not ready", "Checks": map[string]any{"sts": s.sts}}, body)
			}
			assert.Equal(t, s.calls, h.sts.calls.Load(), "STS calls")
			assert.Equal(t, http.StatusOK, h.request(http.MethodGet, "/healthz", nil, "").StatusCode, "alive all along")
		})
	}
}

func TestReadinessWaitsForTheJWKS(t *testing.T) {
	keys := testKeys()
	j := newJWKSHarness(t, rsaJWK("rsa-1", keys.rsa))
	j.idp.setStatus(http.StatusServiceUnavailable)
	resp := j.request(http.MethodGet, "/readyz", nil, "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, map[string]any{"Status": "not ready", "Checks": map[string]any{"auth": "the identity provider's keys are not loaded"}}, decode(t, resp))
	line := j.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
	assert.Equal(t, "DEBUG", line["level"], "probes log at Debug")

	j.idp.setStatus(http.StatusOK)
	resp = j.request(http.MethodGet, "/readyz", nil, "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "within a second of the failed fetch")
	j.clock.Advance(time.Second)
	resp = j.request(http.MethodGet, "/readyz", nil, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the JWKS is loaded by the probe")
	assert.Equal(t, int64(2), j.idp.fetches.Load())

	token := signWith(t, j.clock, jwt.SigningMethodRS256, keys.rsa, "rsa-1", "42")
	require.Equal(t, http.StatusOK, j.request(http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + token}, "").StatusCode)
	assert.Equal(t, int64(2), j.idp.fetches.Load(), "a token finds the keys loaded")
}
