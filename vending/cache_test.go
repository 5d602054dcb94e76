package vending

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestCache returns a cache of size entries calling a, on clock c, with the default
// timeout and queue wait and no budget.
func newTestCache(t *testing.T, a assumer, size int, c *clock) *tokenCache {
	cfg, err := testConfig(t, c, io.Discard).withDefaults()
	require.NoError(t, err)
	cfg.CacheSize = size
	st, err := newServerState(&cfg, newMetrics())
	require.NoError(t, err)
	cache := newTokenCache(a, &cfg, st)
	cache.sleep = c.Sleep
	return cache
}

func TestConcurrentMissesMakeOneSTSCall(t *testing.T) {
	const clients = 1000
	gate := make(chan struct{})
	var authenticated atomic.Int64
	h := newHarness(t, func(c *Config) {
		c.Authenticator = AuthenticatorFunc(func(http.ResponseWriter, *http.Request) (string, error) {
			if authenticated.Add(1) == clients {
				close(gate) // every request is past authentication: let the STS call finish
			}
			return "42", nil
		})
	})
	h.sts.gate = gate
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	t.Cleanup(client.CloseIdleConnections)

	keys := make([]string, clients)
	statuses := make([]int, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			resp, err := client.Get(h.http.URL + "/sts")
			if err != nil {
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			var body struct{ AccessKeyId string }
			if json.NewDecoder(resp.Body).Decode(&body) == nil {
				keys[i] = body.AccessKeyId
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1), h.sts.calls.Load(), "STS calls")
	for i := range clients {
		require.Equal(t, http.StatusOK, statuses[i], "request %d", i)
		require.Equal(t, "STS.fakeKey1", keys[i], "request %d", i)
	}
}

func TestCacheLifetime(t *testing.T) {
	h := newHarness(t, nil) // 15-minute credentials: reused for 10 minutes
	steps := []struct {
		name    string
		advance time.Duration
		user    string
		key     string
		calls   int64
	}{
		{"first request calls STS", 0, "42", "STS.fakeKey1", 1},
		{"another user calls STS", 0, "43", "STS.fakeKey2", 2},
		{"reused after 9m59s", 9*time.Minute + 59*time.Second, "42", "STS.fakeKey1", 2},
		{"refreshed 5 minutes before expiry", time.Second, "42", "STS.fakeKey3", 3},
		{"the refreshed credentials are reused", time.Minute, "42", "STS.fakeKey3", 3},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.clock.Advance(s.advance)
			resp := h.getSTS(s.user, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, s.key, decode(t, resp)["AccessKeyId"])
			assert.Equal(t, s.calls, h.sts.calls.Load(), "STS calls")
		})
	}
}

func TestCacheKey(t *testing.T) {
	c := newClock()
	sts := &fakeSTS{now: c.Now}
	cache := newTestCache(t, sts, 10, c)
	base := assumeRequest{sessionName: "ossign-42", policy: `{"p":1}`, duration: 15 * time.Minute}
	cases := []struct {
		name    string
		subject string
		req     assumeRequest
		result  cacheResult
	}{
		{"first", "user:42", base, cacheMiss},
		{"same key", "user:42", base, cacheHit},
		{"other subject", "user:43", base, cacheMiss},
		{"other policy", "user:42", assumeRequest{sessionName: base.sessionName, policy: `{"p":2}`, duration: base.duration}, cacheMiss},
		{"other duration", "user:42", assumeRequest{sessionName: base.sessionName, policy: base.policy, duration: time.Hour}, cacheMiss},
		{"session name is not part of the key", "user:42", assumeRequest{sessionName: "other", policy: base.policy, duration: base.duration}, cacheHit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, result, err := cache.get(context.Background(), tc.subject, tc.req)
			require.NoError(t, err)
			assert.Equal(t, tc.result, result)
		})
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := newClock()
	sts := &fakeSTS{now: c.Now}
	cache := newTestCache(t, sts, 2, c)
	req := assumeRequest{policy: "{}", duration: 15 * time.Minute}
	for _, subject := range []string{"a", "b", "a", "c", "a", "b"} {
		_, _, err := cache.get(context.Background(), subject, req)
		require.NoError(t, err)
	}
	// a, b: 2 calls; a: hit; c: 3 (evicts b); a: hit; b: 4.
	assert.Equal(t, int64(4), sts.calls.Load())
	assert.Equal(t, 2, cache.store.(*memoryStore).entries.len())
}

func TestCacheWaiterGivesUp(t *testing.T) {
	c := newClock()
	gate := make(chan struct{})
	sts := &fakeSTS{now: c.Now, gate: gate}
	cache := newTestCache(t, sts, 10, c)
	req := assumeRequest{policy: "{}", duration: 15 * time.Minute}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := cache.get(ctx, "a", req)
	assert.ErrorIs(t, err, context.Canceled, "the waiter stops waiting")

	close(gate) // the STS call started for the canceled request goes on and fills the cache
	require.Eventually(t, func() bool { return cache.load(context.Background(), cacheKey("a", req)).fresh(c.Now()) }, 5*time.Second, time.Millisecond)
	_, result, err := cache.get(context.Background(), "a", req)
	require.NoError(t, err)
	assert.Equal(t, cacheHit, result)
	assert.Equal(t, int64(1), sts.calls.Load())
}

// failingStore is a credentialStore whose every call fails, like a shared store that is down.
type failingStore struct{}

func (failingStore) load(context.Context, string) (storedCredentials, bool, error) {
	return storedCredentials{}, false, errors.New("store down")
}

func (failingStore) save(context.Context, string, storedCredentials, time.Time) error {
	return errors.New("store down")
}

// failingBudget is an stsBudget that cannot be asked.
type failingBudget struct{}

func (failingBudget) take(context.Context, time.Time, time.Duration) (time.Duration, bool, error) {
	return 0, false, errors.New("budget down")
}

func TestCacheSurvivesItsStoreAndBudgetFailing(t *testing.T) {
	c := newClock()
	req := assumeRequest{policy: "{}", duration: 15 * time.Minute}

	sts := &fakeSTS{now: c.Now}
	cache := newTestCache(t, sts, 10, c)
	cache.store = failingStore{}
	for range 2 {
		_, result, err := cache.get(context.Background(), "a", req)
		require.NoError(t, err, "a store that fails is a miss")
		assert.Equal(t, cacheMiss, result)
	}
	assert.Equal(t, int64(2), sts.calls.Load(), "nothing could be kept")

	cache = newTestCache(t, sts, 10, c)
	cache.budget = failingBudget{}
	_, _, err := cache.get(context.Background(), "a", req)
	var su *stsUnavailable
	require.ErrorAs(t, err, &su)
	assert.ErrorContains(t, su, "budget down")
	assert.Equal(t, int64(2), sts.calls.Load(), "no call without the budget's consent")
}
