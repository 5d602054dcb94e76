package vending

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRedisHarnesses starts n Servers sharing one redis-server, one cache key, one fake STS
// and one clock (NTP-synced machines), each with its own logs, configured by testConfig and
// then edit (which may be nil).
func newRedisHarnesses(t testing.TB, n int, edit func(*Config)) ([]*harness, *redisServer) {
	t.Helper()
	r := startRedis(t)
	key := newCacheKey()
	c := newClock()
	sts := &fakeSTS{now: c.Now}
	hs := make([]*harness, n)
	for i := range hs {
		h := &harness{t: t, clock: c, sts: sts, logs: &syncBuffer{}}
		hs[i] = h.start(func(cfg *Config) {
			cfg.RedisURL, cfg.CacheKey = r.URL(), key
			if edit != nil {
				edit(cfg)
			}
		}, sts)
		t.Cleanup(func() { h.srv.Close() })
	}
	return hs, r
}

// sessionKey is the cache key of user's credentials on h's server.
func (h *harness) sessionKey(user string) string {
	policy, err := h.srv.policy.render(PolicyData{Bucket: h.srv.cfg.Bucket, Prefix: h.srv.userPrefix(user), UserID: user})
	require.NoError(h.t, err)
	return cacheKey("user:"+user, assumeRequest{policy: policy, duration: h.srv.cfg.Duration})
}

// redisName is the Redis key of id in kind's namespace on h's server.
func (h *harness) redisName(kind, id string) string {
	return h.srv.state.store.(*redisStore).sealer.name(kind, id)
}

// cacheResultOf returns the cache attribute of the log line of the request that resp answers.
func (h *harness) cacheResultOf(resp *http.Response) any {
	return h.logs.requestLine(h.t, resp.Header.Get("X-Request-Id"))["cache"]
}

// An entry lives in Redis until a minute before its credentials expire (staleMargin), not
// just until the refresh point: another instance can hand them out through an STS outage,
// as the instance that got them could.
func TestRedisEntryLivesUntilItsCredentialsStopBeingUsable(t *testing.T) {
	hs, r := newRedisHarnesses(t, 2, nil)
	first := hs[0].getSTS("42", nil)
	require.Equal(t, http.StatusOK, first.StatusCode)
	key := decode(t, first)["AccessKeyId"]
	name := hs[0].redisName("creds", hs[0].sessionKey("42"))
	assert.InDelta(t, DefaultDuration-staleMargin, r.ttl(name), float64(time.Second), "TTL: the credentials' lifetime but the last minute")

	hs[0].clock.Advance(DefaultDuration - refreshMargin + time.Second) // past the refresh point
	hs[0].sts.setErr(errTestSTSDown)
	resp := hs[1].getSTS("42", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "the other instance never saw them, and STS fails")
	assert.Equal(t, key, decode(t, resp)["AccessKeyId"])
	assert.Equal(t, string(cacheStale), hs[1].cacheResultOf(resp))
	assert.Equal(t, int64(2), hs[0].sts.calls.Load(), "the failed refresh")
	assert.InDelta(t, refreshMargin-staleMargin-time.Second, r.ttl(name), float64(time.Second), "after the failure, still until the last minute")

	resp = hs[0].getSTS("42", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, key, decode(t, resp)["AccessKeyId"])
	assert.Equal(t, int64(2), hs[0].sts.calls.Load(), "the back-off is shared too: no call")
}

// The instance that does not get a session's lock waits for the holder's outcome, and
// makes no call of its own: credentials, or a back-off after a failure.
func TestRedisLockLosersWaitForTheHolder(t *testing.T) {
	cases := []struct {
		name   string
		stsErr error
		status int
		result cacheResult // of the waiting instance's request
	}{
		{"the holder's call succeeds", nil, http.StatusOK, cacheShared},
		{"the holder's call fails", errTestSTSDown, http.StatusBadGateway, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs, _ := newRedisHarnesses(t, 2, nil)
			gate := make(chan struct{})
			hs[0].sts.gate = gate
			hs[0].sts.setErr(tc.stsErr)
			polling := make(chan struct{}, 1)
			hs[1].srv.cache.pollWait = func(d time.Duration) {
				select {
				case polling <- struct{}{}:
				default:
				}
				time.Sleep(d)
			}
			responses := make([]*http.Response, 2)
			var wg sync.WaitGroup
			wg.Go(func() { responses[0] = hs[0].getSTS("42", nil) })
			require.Eventually(t, func() bool { return hs[0].sts.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the holder calls STS")
			wg.Go(func() { responses[1] = hs[1].getSTS("42", nil) })
			<-polling // the other instance waits for the holder
			close(gate)
			wg.Wait()
			assert.Equal(t, int64(1), hs[0].sts.calls.Load(), "one call for the two instances")
			for i, resp := range responses {
				assert.Equal(t, tc.status, resp.StatusCode, "instance %d", i)
			}
			if tc.status == http.StatusOK {
				assert.Equal(t, decode(t, responses[0])["AccessKeyId"], decode(t, responses[1])["AccessKeyId"])
				assert.Equal(t, string(tc.result), hs[1].cacheResultOf(responses[1]))
			}
		})
	}
}

// A lock whose holder never comes back (a crashed instance: the lock stays until it expires)
// is waited for at most as long as a call may take; then the waiting instance calls itself.
func TestRedisLockWaitIsBounded(t *testing.T) {
	hs, r := newRedisHarnesses(t, 1, func(c *Config) {
		c.STSTimeout, c.STSQueueWait = 100*time.Millisecond, 10*time.Millisecond
	})
	client := r.client()
	defer client.Close()
	lock := hs[0].redisName("lock", hs[0].sessionKey("42"))
	require.NoError(t, client.Set(context.Background(), lock, "a crashed instance's token", time.Hour).Err())
	var polls atomic.Int64
	hs[0].srv.cache.pollWait = func(d time.Duration) { polls.Add(1); time.Sleep(d) }

	resp := hs[0].getSTS("42", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int64(1), hs[0].sts.calls.Load())
	assert.Positive(t, polls.Load(), "it waited for the holder first")
	token, err := client.Get(context.Background(), lock).Result()
	require.NoError(t, err)
	assert.Equal(t, "a crashed instance's token", token, "another's lock is left alone")
}

// Redis going away (killed or hung) is logged once per instance, and its return once; in
// between no request fails, each instance answering from its memory, and Redis is asked
// again once per redisRetryInterval.
func TestRedisFailureIsLoggedOnceAndRecovered(t *testing.T) {
	cases := []struct {
		name         string
		fail, repair func(r *redisServer)
	}{
		{"killed, restarted on its port", (*redisServer).kill, (*redisServer).start},
		{"hung (SIGSTOP), continued", (*redisServer).pause, (*redisServer).resume},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs, r := newRedisHarnesses(t, 1, func(c *Config) {
				c.RedisTimeout = 100 * time.Millisecond
				c.RateLimits = RateLimits{PerIP: Limit{Rate: 100, Burst: 100}, PerUser: Limit{Rate: 100, Burst: 100}}
			})
			h := hs[0]
			require.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode)
			tc.fail(r)
			for _, user := range []string{"42", "43", "42", "44"} {
				require.Equal(t, http.StatusOK, h.getSTS(user, nil).StatusCode, "user %s", user)
			}
			assert.Equal(t, 1, h.logs.messages(t, "Redis unreachable"))
			metrics := h.scrape(t)
			assert.Contains(t, metrics, `ossign_vending_redis_errors_total{op="limit_ip"} 1`, "one call failed; the others were not tried")
			assert.Contains(t, metrics, `ossign_vending_redis_fallbacks_total{op="limit_user"} 4`)

			h.clock.Advance(redisRetryInterval)
			require.Equal(t, http.StatusOK, h.getSTS("45", nil).StatusCode)
			assert.Contains(t, h.scrape(t), `ossign_vending_redis_errors_total{op="limit_ip"} 2`, "a second later, one call tries Redis again")
			assert.Equal(t, 1, h.logs.messages(t, "Redis unreachable"), "still logged once")

			tc.repair(r)
			require.Eventually(t, func() bool {
				h.clock.Advance(redisRetryInterval)
				return h.getSTS("46", nil).StatusCode == http.StatusOK && h.logs.messages(t, "Redis reachable again") == 1
			}, 10*time.Second, 10*time.Millisecond, "Redis is used again")
			assert.Equal(t, 1, h.logs.messages(t, "Redis unreachable"))
			calls := h.sts.calls.Load()
			require.Equal(t, http.StatusOK, h.getSTS("47", nil).StatusCode)
			assert.Equal(t, calls+1, h.sts.calls.Load())
			assert.Contains(t, r.dump(), h.redisName("creds", h.sessionKey("47")), "the new user's credentials are in Redis")
		})
	}
}

// messages returns the number of log lines whose message contains text.
func (b *syncBuffer) messages(t testing.TB, text string) int {
	n := 0
	for _, line := range b.lines(t) {
		if msg, _ := line["msg"].(string); strings.Contains(msg, text) {
			n++
		}
	}
	return n
}
