package vending

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestRateLimits(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.RateLimits = RateLimits{PerIP: Limit{Rate: 1, Burst: 4}, PerUser: Limit{Rate: 0.5, Burst: 2}}
	})
	// Each step runs in order; the buckets and the clock carry over.
	steps := []struct {
		name       string
		advance    time.Duration
		user       string
		status     int
		retryAfter string
		limit      string
	}{
		{"user 42, first of its burst of 2", 0, "42", http.StatusOK, "", ""},
		{"user 42, second", 0, "42", http.StatusOK, "", ""},
		{"user 42 limited: a token every 2 s", 0, "42", http.StatusTooManyRequests, "2", "user"},
		{"user 43 has a bucket of its own", 0, "43", http.StatusOK, "", ""},
		{"the IP's burst of 4 is spent (42's refused request counted too)", 0, "44", http.StatusTooManyRequests, "1", "ip"},
		{"a second later the IP may again, user 42 not yet", time.Second, "42", http.StatusTooManyRequests, "1", "user"},
		{"user 42 two seconds after its limit", time.Second, "42", http.StatusOK, "", ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.clock.Advance(s.advance)
			resp := h.getSTS(s.user, nil)
			assert.Equal(t, s.status, resp.StatusCode)
			assert.Equal(t, s.retryAfter, resp.Header.Get("Retry-After"))
			if s.status == http.StatusTooManyRequests {
				assert.Equal(t, CodeRateLimited, decode(t, resp)["Code"])
				line := h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
				assert.Equal(t, s.limit, line["limit"])
			}
		})
	}
}

func TestLimiterSetIsBounded(t *testing.T) {
	now := testEpoch
	s := newLimiterSet(Limit{Rate: 1, Burst: 1})
	for i := range maxLimiters + 10 {
		_, ok := s.allow(fmt.Sprint(i), now)
		require.True(t, ok)
	}
	assert.Equal(t, maxLimiters, s.limiters.len(), "least recently used limiters are dropped")

	_, ok := s.allow("late", now)
	require.True(t, ok)
	_, ok = s.allow("late", now)
	assert.False(t, ok, "a limiter in use is kept")
	_, ok = s.allow("fresh", now.Add(limiterSweepInterval))
	require.True(t, ok)
	assert.Equal(t, 1, s.limiters.len(), "a sweep drops the limiters whose bucket has refilled")

	unlimited := newLimiterSet(Limit{Rate: rate.Inf, Burst: 1})
	for range 3 {
		_, ok := unlimited.allow("x", now)
		assert.True(t, ok)
	}
	assert.Zero(t, unlimited.limiters.len(), "no limiter is kept without a limit")
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name, remote, xff, want, key string
	}{
		{"direct client", "203.0.113.7:5555", "", "203.0.113.7", "203.0.113.7"},
		{"untrusted peer's header ignored", "203.0.113.7:5555", "198.51.100.1", "203.0.113.7", "203.0.113.7"},
		{"trusted proxy", "10.0.0.2:5555", "198.51.100.1", "198.51.100.1", "198.51.100.1"},
		{"client-forged entries left of the proxy's are ignored", "10.0.0.2:5555", "1.2.3.4, 198.51.100.1", "198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "10.0.0.2:5555", "198.51.100.1, 10.0.0.3", "198.51.100.1", "198.51.100.1"},
		{"garbage stops the walk", "10.0.0.2:5555", "198.51.100.1, garbage", "10.0.0.2", "10.0.0.2"},
		{"IPv6 counted per /64", "[2001:db8:1:2:3:4:5:6]:5555", "", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 peer", "[::ffff:203.0.113.7]:5555", "", "203.0.113.7", "203.0.113.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/sts", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			ip := clientIP(r, trusted)
			assert.Equal(t, tc.want, ip.String())
			assert.Equal(t, tc.key, rateKey(ip))
		})
	}
}
