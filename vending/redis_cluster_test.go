package vending

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/signer/wire"
)

// cluster is several vending instances sharing one redis-server, one cache key and one
// emulator's STS (reached through credentials-go), on one fake clock (NTP-synced machines),
// each with its own logs. The limits are high but finite, so that every request asks Redis.
type cluster struct {
	t        *testing.T
	emu      *emulator.Emulator
	redis    *redisServer
	clock    *clock
	servers  []*Server
	handlers []http.Handler
	logs     []*syncBuffer
}

// startCluster starts n instances, configured further by edit (which may be nil).
func startCluster(t *testing.T, n int, edit func(*Config)) *cluster {
	t.Helper()
	emu, base := startEmulator(t)
	c := &cluster{t: t, emu: emu, redis: startRedis(t), clock: newClock()}
	key := newCacheKey()
	for range n {
		logs := &syncBuffer{}
		cfg := base
		cfg.RedisURL, cfg.CacheKey, cfg.Now = c.redis.URL(), key, c.clock.Now
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
		cfg.RateLimits = RateLimits{PerIP: Limit{Rate: 1e6, Burst: 1e6}, PerUser: Limit{Rate: 1e6, Burst: 1e6}}
		cfg.STSBudget = Limit{Rate: 1000, Burst: 1000}
		if edit != nil {
			edit(&cfg)
		}
		srv, err := New(cfg)
		require.NoError(t, err)
		t.Cleanup(func() { srv.Close() })
		c.servers, c.handlers, c.logs = append(c.servers, srv), append(c.handlers, srv.Handler()), append(c.logs, logs)
	}
	return c
}

// get answers GET /sts for user on instance i.
func (c *cluster) get(i int, user string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/sts", nil)
	req.Header.Set("X-User", user)
	rec := httptest.NewRecorder()
	c.handlers[i].ServeHTTP(rec, req)
	return rec
}

// credentials answers GET /sts for user on instance i, requiring 200.
func (c *cluster) credentials(i int, user string) wire.Vending {
	rec := c.get(i, user)
	require.Equal(c.t, http.StatusOK, rec.Code, "instance %d, user %s: %s", i, user, rec.Body.String())
	v, err := wire.ParseVending(rec.Body.Bytes())
	require.NoError(c.t, err)
	return v
}

// calls returns the AssumeRole calls the emulator answered.
func (c *cluster) calls() int64 { return c.emu.Stats().AssumeRoleCalls }

// counter returns the sum over the instances of a counter series, such as
// `ossign_vending_rate_limited_total{limit="user"}`.
func (c *cluster) counter(series string) int {
	total := 0
	for _, srv := range c.servers {
		w := httptest.NewRecorder()
		srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		for _, line := range strings.Split(w.Body.String(), "\n") {
			if value, ok := strings.CutPrefix(line, series+" "); ok {
				n, err := strconv.Atoi(value)
				require.NoError(c.t, err, line)
				total += n
			}
		}
	}
	return total
}

// redisKeyPattern is every key ossign writes: a namespace and an HMAC, never a user id, a
// policy or an address.
var redisKeyPattern = regexp.MustCompile(`^ossign:(creds|lock|ip|user|budget):[0-9a-f]{32}$`)

// 1,000 concurrent requests of 50 users spread round-robin over three instances: one
// AssumeRole call per user, every instance handing out the same credentials; Redis holds
// them sealed, under names that say nothing.
func TestRedisInstancesShareCredentials(t *testing.T) {
	const instances, users, requests = 3, 50, 1000
	c := startCluster(t, instances, nil)
	for _, srv := range c.servers {
		require.NoError(t, srv.CheckSTS(t.Context()))
	}
	require.Equal(t, int64(1), c.calls(), "the servers' own session is shared too")

	answers := make([]*httptest.ResponseRecorder, requests)
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() { answers[i] = c.get(i%instances, fmt.Sprint("user-", i%users)) })
	}
	wg.Wait()
	assert.Equal(t, int64(1+users), c.calls(), "AssumeRole calls counted by the emulator")

	keyIDs := map[string]map[string]bool{}
	var secrets []string
	for i, rec := range answers {
		require.Equal(t, http.StatusOK, rec.Code, "request %d: %s", i, rec.Body.String())
		v, err := wire.ParseVending(rec.Body.Bytes())
		require.NoError(t, err)
		user := fmt.Sprint("user-", i%users)
		if keyIDs[user] == nil {
			keyIDs[user] = map[string]bool{}
			secrets = append(secrets, v.Credentials.AccessKeySecret, v.Credentials.SecurityToken)
		}
		keyIDs[user][v.Credentials.AccessKeyID] = true
	}
	for user, ids := range keyIDs {
		assert.Len(t, ids, 1, "%s got the same credentials from every instance", user)
	}
	assert.Equal(t, 1+users, c.counter(`ossign_vending_sts_calls_total{result="success"}`), "the calls the instances count")

	dump := c.redis.dump()
	entries, leaks := 0, 0
	for key, value := range dump {
		assert.Regexp(t, redisKeyPattern, key)
		if strings.HasPrefix(key, "ossign:creds:") {
			entries++
		}
		for _, secret := range secrets {
			if bytes.Contains(value, []byte(secret)) {
				leaks++
			}
		}
	}
	assert.Equal(t, users+1, entries, "one entry per session: the users' and the servers' own")
	assert.Zero(t, leaks, "values holding an AccessKeySecret or a SecurityToken in clear, among %d keys", len(dump))
}

// A user's and a client's limits hold across instances: a burst of B spread over three
// instances admits B requests, not 3·B.
func TestRedisRateLimitsHoldAcrossInstances(t *testing.T) {
	const burst, extra = 5, 4
	cases := []struct {
		name   string
		limits RateLimits
		user   func(i int) string
		limit  string
	}{
		{"per user", RateLimits{PerIP: Limit{Rate: rate.Inf}, PerUser: Limit{Rate: 1, Burst: burst}}, func(int) string { return "alice" }, "user"},
		{"per IP", RateLimits{PerIP: Limit{Rate: 1, Burst: burst}, PerUser: Limit{Rate: rate.Inf}}, func(i int) string { return fmt.Sprint("user-", i) }, "ip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := startCluster(t, 3, func(cfg *Config) { cfg.RateLimits = tc.limits })
			statuses := make([]int, burst+extra)
			var wg sync.WaitGroup
			for i := range statuses {
				wg.Go(func() { statuses[i] = c.get(i%3, tc.user(i)).Code })
			}
			wg.Wait()
			count := map[int]int{}
			for _, s := range statuses {
				count[s]++
			}
			assert.Equal(t, map[int]int{http.StatusOK: burst, http.StatusTooManyRequests: extra}, count)
			assert.Equal(t, extra, c.counter(`ossign_vending_rate_limited_total{limit="`+tc.limit+`"}`))
		})
	}
}

// The STS budget is one for all instances: with a burst of B and no refill in sight, 3·B new
// users spread over three instances get B calls.
func TestRedisSTSBudgetHoldsAcrossInstances(t *testing.T) {
	const burst, users = 10, 30
	c := startCluster(t, 3, func(cfg *Config) {
		cfg.STSBudget = Limit{Rate: rate.Every(time.Hour), Burst: burst}
		cfg.STSQueueWait = 100 * time.Millisecond
	})
	answers := make([]*httptest.ResponseRecorder, users)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = c.get(i%3, fmt.Sprint("new-", i)) })
	}
	wg.Wait()
	count := map[int]int{}
	for _, rec := range answers {
		count[rec.Code]++
		if rec.Code == http.StatusServiceUnavailable {
			assert.Contains(t, rec.Body.String(), CodeSTSBusy)
		}
	}
	assert.Equal(t, map[int]int{http.StatusOK: burst, http.StatusServiceUnavailable: users - burst}, count)
	assert.Equal(t, int64(burst), c.calls(), "AssumeRole calls counted by the emulator")
}

// Redis killed mid-test: every instance goes on from its memory (no request fails, no call
// for credentials it has seen), logging it once; Redis restarted on its port: sharing
// resumes, logged once.
func TestRedisKilledAndRestarted(t *testing.T) {
	const instances, users = 3, 20
	c := startCluster(t, instances, nil)
	everyone := func() map[string]string {
		keyIDs := map[string]string{}
		for u := range users {
			user := fmt.Sprint("user-", u)
			for i := range instances {
				v := c.credentials((u+i)%instances, user)
				if keyIDs[user] == "" {
					keyIDs[user] = v.Credentials.AccessKeyID
				}
				require.Equal(t, keyIDs[user], v.Credentials.AccessKeyID, "%s on instance %d", user, (u+i)%instances)
			}
		}
		return keyIDs
	}
	before := everyone()
	require.Equal(t, int64(users), c.calls())

	c.redis.kill()
	assert.Equal(t, before, everyone(), "the same credentials, from each instance's memory")
	assert.Equal(t, int64(users), c.calls(), "no AssumeRole call")
	for i := range instances {
		assert.Equal(t, 1, c.logs[i].messages(t, "Redis unreachable"), "instance %d", i)
	}
	late := c.credentials(0, "late").Credentials.AccessKeyID
	assert.NotEqual(t, late, c.credentials(1, "late").Credentials.AccessKeyID, "nothing is shared while Redis is down")
	assert.Equal(t, int64(users+2), c.calls())
	assert.Positive(t, c.counter(`ossign_vending_redis_fallbacks_total{op="load"}`))

	c.redis.restart()
	c.clock.Advance(redisRetryInterval)
	back := c.credentials(0, "back").Credentials.AccessKeyID
	for i := 1; i < instances; i++ {
		assert.Equal(t, back, c.credentials(i, "back").Credentials.AccessKeyID, "instance %d: from Redis", i)
	}
	assert.Equal(t, int64(users+3), c.calls(), "one call for the new user")
	for i := range instances {
		assert.Equal(t, 1, c.logs[i].messages(t, "Redis reachable again"), "instance %d", i)
		assert.Equal(t, 1, c.logs[i].messages(t, "Redis unreachable"), "instance %d", i)
	}
}
