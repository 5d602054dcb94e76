package vending

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scrape returns the metrics text of h's server.
func (h *harness) scrape(t *testing.T) string {
	w := httptest.NewRecorder()
	h.srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/plain; version=0.0.4; charset=utf-8", w.Header().Get("Content-Type"))
	return w.Body.String()
}

func TestMetrics(t *testing.T) {
	var secrets secretCollector
	h := newHarness(t, func(c *Config) { c.RateLimits.PerUser = Limit{Rate: 1, Burst: 3} })
	secret := func(resp *http.Response) { secrets.fromResponse(t, resp) }
	secret(h.getSTS("alice", nil))             // miss
	secret(h.getSTS("alice", nil))             // hit
	secret(h.getSTS("alice", nil))             // hit
	h.getSTS("alice", nil)                     // rate limited (user)
	h.request(http.MethodGet, "/sts", nil, "") // unauthenticated
	h.request(http.MethodGet, "/sts?user=bob", nil, "")
	h.request(http.MethodGet, "/no/such/route/for-bob", nil, "")
	h.request(http.MethodGet, "/healthz", nil, "")
	h.sts.setErr(errTestSTSDown)
	h.clock.Advance(10 * time.Minute)
	secret(h.getSTS("alice", nil)) // STS fails: the stale ones
	h.getSTS("bob", nil)           // a new session whose call fails: 502
	h.getSTS("bob", nil)           // backing off: 502 without a call

	text := h.scrape(t)
	for _, want := range []string{
		`# TYPE ossign_vending_requests_total counter`,
		`ossign_vending_requests_total{route="/sts",code="Success"} 4`,
		`ossign_vending_requests_total{route="/sts",code="RateLimited"} 1`,
		`ossign_vending_requests_total{route="/sts",code="Unauthenticated"} 2`,
		`ossign_vending_requests_total{route="/sts",code="STSUnavailable"} 2`,
		`ossign_vending_requests_total{route="other",code="NotFound"} 1`,
		`ossign_vending_requests_total{route="/healthz",code="Success"} 1`,
		`ossign_vending_credentials_total{source="hit"} 2`,
		`ossign_vending_credentials_total{source="miss"} 1`,
		`ossign_vending_credentials_total{source="stale"} 1`,
		`ossign_vending_sts_calls_total{result="failure"} 2`,
		`ossign_vending_sts_calls_total{result="success"} 1`,
		`# TYPE ossign_vending_sts_call_duration_seconds histogram`,
		`ossign_vending_sts_call_duration_seconds_bucket{le="0.05"} 3`,
		`ossign_vending_sts_call_duration_seconds_bucket{le="+Inf"} 3`,
		`ossign_vending_sts_call_duration_seconds_count 3`,
		`ossign_vending_rate_limited_total{limit="user"} 1`,
		`ossign_vending_sts_skipped_total{reason="backoff"} 1`,
	} {
		assert.Contains(t, text, want+"\n")
	}
	for _, leak := range []string{"alice", "bob", "127.0.0.1", "user=", "for-bob"} {
		assert.NotContains(t, text, leak, "no user id, address or path in the metrics")
	}
	require.NotEmpty(t, secrets.values)
	for _, s := range secrets.values {
		assert.NotContains(t, text, s)
	}
}

func TestMetricsHandlerRoutes(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/metrics", http.StatusOK},
		{http.MethodHead, "/metrics", http.StatusOK},
		{http.MethodPost, "/metrics", http.StatusMethodNotAllowed},
		{http.MethodGet, "/sts", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
			assert.Equal(t, tc.status, w.Code)
		})
	}
}

func TestHistogramBuckets(t *testing.T) {
	hist := newHistogram("x_seconds", "x.", []float64{0.1, 1})
	for _, v := range []float64{0.05, 0.1, 0.5, 1, 3} {
		hist.observe(v)
	}
	var b strings.Builder
	hist.write(&b)
	assert.Equal(t, "# HELP x_seconds x.\n# TYPE x_seconds histogram\n"+
		"x_seconds_bucket{le=\"0.1\"} 2\nx_seconds_bucket{le=\"1\"} 4\nx_seconds_bucket{le=\"+Inf\"} 5\n"+
		"x_seconds_sum 4.65\nx_seconds_count 5\n", b.String(), "le is inclusive; buckets are cumulative")
}
