package vending

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// maxLimiters bounds the limiters kept per set; past it the least recently used go.
	maxLimiters = 100000
	// limiterSweepInterval is how often limiters whose bucket has refilled are dropped
	// (such a limiter is the same as a new one).
	limiterSweepInterval = time.Minute
)

// rateLimiter applies a Limit per key (client IP or user id): a limiterSet in memory, or a
// redisLimiter shared by the instances.
type rateLimiter interface {
	// allow takes a token from key's bucket at now. When the bucket is empty it takes
	// nothing and returns how long until a token is available.
	allow(key string, now time.Time) (wait time.Duration, ok bool)
}

// limiterSet is a rateLimiter in memory: one token bucket per key.
type limiterSet struct {
	limit Limit

	mu        sync.Mutex
	limiters  *lru[*rate.Limiter]
	lastSweep time.Time
	clock     monotonic
}

// newLimiterSet returns an empty set applying l.
func newLimiterSet(l Limit) *limiterSet {
	return &limiterSet{limit: l, limiters: newLRU[*rate.Limiter](maxLimiters)}
}

// allow takes a token from key's bucket at now. When the bucket is empty it takes nothing
// and returns how long until a token is available.
func (s *limiterSet) allow(key string, now time.Time) (wait time.Duration, ok bool) {
	if s.limit.Rate == rate.Inf {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now = s.clock.at(now)
	if now.Sub(s.lastSweep) >= limiterSweepInterval {
		s.limiters.dropOldestWhile(func(l *rate.Limiter) bool { return l.TokensAt(now) >= float64(s.limit.Burst) })
		s.lastSweep = now
	}
	l, found := s.limiters.get(key)
	if !found {
		l = rate.NewLimiter(s.limit.Rate, s.limit.Burst)
		s.limiters.put(key, l)
	}
	r := l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// limitReasons say what a limit refused, by scope, when "too many requests" would not say
// enough.
var limitReasons = map[string]string{
	"new_identity": "too many new anonymous identities from this address (a client that does not send back the " + DevCookie + " cookie gets a new one every time)",
}

// rateLimited answers 429 with Retry-After: scope's limit ("ip", "user", "new_identity") is
// spent.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, wait time.Duration, scope string) {
	s.metrics.rateLimited.inc(scope)
	seconds := setRetryAfter(w, wait)
	reason, ok := limitReasons[scope]
	if !ok {
		reason = "too many requests"
	}
	s.fail(w, r, apiError{http.StatusTooManyRequests, CodeRateLimited, reason + ": try again in " + seconds + " s"},
		slog.String("limit", scope))
}

// setRetryAfter sets Retry-After to wait in whole seconds, rounded up, at least 1, and
// returns the value.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) string {
	seconds := strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
	w.Header().Set("Retry-After", seconds)
	return seconds
}
