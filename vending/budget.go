package vending

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// stsBudget spends the account's AssumeRole quota (Alibaba: 100 calls per second per account
// and region, shared by every caller of the account). Today it is a token bucket in the
// process's memory (bucketBudget); a budget shared by several instances (Redis, issue 14)
// implements the same call.
type stsBudget interface {
	// take reserves one call at now. ok: the call may be made after wait (0: at once).
	// Not ok: no call is possible within maxWait; wait says when one would be.
	take(ctx context.Context, now time.Time, maxWait time.Duration) (wait time.Duration, ok bool, err error)
}

// bucketBudget is an stsBudget in memory: a token bucket of Limit.
type bucketBudget struct {
	mu      sync.Mutex
	limiter *rate.Limiter
	clock   monotonic
}

// newBucketBudget returns a full bucket of l.
func newBucketBudget(l Limit) *bucketBudget {
	return &bucketBudget{limiter: rate.NewLimiter(l.Rate, l.Burst)}
}

// take reserves a token at now, unless the wait for it would exceed maxWait.
func (b *bucketBudget) take(_ context.Context, now time.Time, maxWait time.Duration) (time.Duration, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now = b.clock.at(now)
	r := b.limiter.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	if wait > maxWait {
		r.CancelAt(now)
		return wait, false, nil
	}
	return wait, true, nil
}

// monotonic keeps the times a token bucket is asked at from going back. Concurrent callers
// read the clock before they get the bucket's lock, so they may come in a little out of
// order; golang.org/x/time/rate takes an earlier time as its new "last" and credits the
// time since then again to the next caller, so a bucket asked out of order gives more than
// its rate. Not safe for concurrent use: its bucket's lock guards it.
type monotonic struct{ latest time.Time }

// at returns t, or the latest time asked if t is earlier.
func (m *monotonic) at(t time.Time) time.Time {
	if t.Before(m.latest) {
		return m.latest
	}
	m.latest = t
	return t
}
