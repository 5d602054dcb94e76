package vending

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The buckets in Redis (GCRA in Lua) answer what golang.org/x/time/rate's answer in memory,
// step by step: the rate limits (no wait allowed) and the STS budget (a wait up to the queue's).
func TestRedisBucketsAnswerAsMemoryDoes(t *testing.T) {
	c := newClock()
	cfg := testConfig(t, c, io.Discard)
	cfg.RateLimits.PerUser = Limit{Rate: 2, Burst: 3}
	cfg.STSBudget = Limit{Rate: 4, Burst: 2}
	cfg.STSQueueWait = 600 * time.Millisecond
	memory, shared := newStatePair(t, cfg)

	steps := []struct {
		name    string
		advance time.Duration
	}{
		{"first", 0}, {"second", 0}, {"third: the burst", 0}, {"fourth: refused", 0},
		{"a quarter second on", 250 * time.Millisecond}, {"another", 250 * time.Millisecond}, {"at once", 0},
		{"a third of a second on", time.Second / 3}, {"ten seconds on: full", 10 * time.Second},
		{"1 ms on", time.Millisecond}, {"again", 0}, {"again, refused", 0}, {"1.3 s on", 1300 * time.Millisecond},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			c.Advance(s.advance)
			wantWait, wantOK := memory.userLimits.allow("alice", c.Now())
			wait, ok := shared.userLimits.allow("alice", c.Now())
			assert.Equal(t, wantOK, ok, "rate limit")
			assert.InDelta(t, wantWait, wait, float64(time.Microsecond), "rate limit's wait")

			wantWait, wantOK, err := memory.budget.take(context.Background(), c.Now(), cfg.STSQueueWait)
			require.NoError(t, err)
			wait, ok, err = shared.budget.take(context.Background(), c.Now(), cfg.STSQueueWait)
			require.NoError(t, err)
			assert.Equal(t, wantOK, ok, "budget")
			assert.InDelta(t, wantWait, wait, float64(time.Microsecond), "budget's wait")
		})
	}
	assert.Empty(t, shared.link.metrics.redisFallbacks.values, "every answer came from Redis")
}

// newStatePair returns cfg's state (defaults applied) in memory, and in a redis-server of
// the test's.
func newStatePair(t *testing.T, cfg Config) (memory, shared serverState) {
	memoryCfg, err := cfg.withDefaults()
	require.NoError(t, err)
	memory, err = newServerState(&memoryCfg, newMetrics())
	require.NoError(t, err)
	cfg.RedisURL, cfg.CacheKey = startRedis(t).URL(), newCacheKey()
	redisCfg, err := cfg.withDefaults()
	require.NoError(t, err)
	shared, err = newServerState(&redisCfg, newMetrics())
	require.NoError(t, err)
	t.Cleanup(func() { shared.close() })
	return memory, shared
}

// Concurrent requests read the clock before they reach the bucket, so they come a little
// out of order. A bucket asked at an earlier time than before does not give that time twice:
// of a bucket of one token a second, the third token is not ready before the third second.
func TestBucketsAskedOutOfOrderKeepTheirRate(t *testing.T) {
	cfg := testConfig(t, newClock(), io.Discard)
	cfg.STSBudget = Limit{Rate: 1, Burst: 1}
	memory, shared := newStatePair(t, cfg)
	for name, budget := range map[string]stsBudget{"memory": memory.budget, "redis": shared.budget} {
		t.Run(name, func(t *testing.T) {
			var wait time.Duration
			for _, at := range []time.Duration{time.Second, 0, time.Second} {
				var ok bool
				var err error
				wait, ok, err = budget.take(context.Background(), testEpoch.Add(at), time.Minute)
				require.NoError(t, err)
				require.True(t, ok)
			}
			assert.Equal(t, 2*time.Second, wait, "the third token, asked for a second on")
		})
	}
}
