package vending

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveDirect answers GET /sts for user through the handler, without a network round trip.
func (h *harness) serveDirect(user string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/sts", nil)
	r.Header.Set("Authorization", "Bearer "+h.token(user, nil))
	w := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(w, r)
	return w
}

// Finding 5 of the review: 2,000 new users made 2,000 AssumeRole calls at once. With the
// default budget (50/s, bursts of 25) and queue wait (2 s), 25 calls are made at once, 100
// requests wait for the next 2 s of budget, and the others are told to come back.
func TestNewUsersStayWithinTheSTSBudget(t *testing.T) {
	h := newHarness(t, nil)
	const users = 2000
	statuses := make([]int, users)
	retryAfter, codes := make([]string, users), make([]any, users)
	var answered atomic.Int64
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			w := h.serveDirect(fmt.Sprint("new-user-", i))
			statuses[i], retryAfter[i] = w.Code, w.Header().Get("Retry-After")
			if w.Code != http.StatusOK {
				codes[i] = decode(t, w.Result())["Code"]
			}
			answered.Add(1)
		})
	}
	queued := int(float64(DefaultSTSBudget.Rate) * DefaultSTSQueueWait.Seconds())
	require.Eventually(t, func() bool { return int(answered.Load())+h.clock.Sleeping() == users && h.clock.Sleeping() == queued },
		10*time.Second, time.Millisecond, "every request is answered or waits for the budget")
	assert.Equal(t, int64(DefaultSTSBudget.Burst), h.sts.calls.Load(), "calls at once: the burst")
	for second := 1; second <= 2; second++ {
		h.clock.Advance(time.Second)
		want := int64(DefaultSTSBudget.Burst) + int64(second)*int64(DefaultSTSBudget.Rate)
		require.Eventually(t, func() bool { return h.sts.calls.Load() == want }, 10*time.Second, time.Millisecond, "after %d s", second)
	}
	wg.Wait()
	count := map[int]int{}
	for i, s := range statuses {
		count[s]++
		if s == http.StatusServiceUnavailable {
			require.Equal(t, CodeSTSBusy, codes[i], "request %d", i)
			require.Equal(t, "3", retryAfter[i], "request %d: the queue's 2 s and a fiftieth of a second, rounded up", i)
		}
	}
	served := DefaultSTSBudget.Burst + queued
	assert.Equal(t, map[int]int{http.StatusOK: served, http.StatusServiceUnavailable: users - served}, count)
	assert.Equal(t, int64(served), h.sts.calls.Load(), "STS calls: the burst and 2 s of budget")
}

// Finding 5 of the review: 20 requests from one user while STS failed made 20 calls. A failed
// call makes the next one for the session wait 1 s, then 2 s, 4 s… (at most 30 s); requests
// in between are answered at once.
func TestSTSFailureBacksOff(t *testing.T) {
	h := newHarness(t, nil)
	h.sts.setErr(errTestSTSDown)
	for i := range 20 {
		resp := h.getSTS("42", nil)
		require.Equal(t, http.StatusBadGateway, resp.StatusCode, "request %d", i)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"), "request %d", i)
	}
	assert.Equal(t, int64(1), h.sts.calls.Load(), "20 requests, one STS call")
	steps := []struct {
		name       string
		advance    time.Duration
		calls      int64
		retryAfter string
	}{
		{"after 1 s: a second call, then 2 s", time.Second, 2, "2"},
		{"1 s later: still backing off", time.Second, 2, "1"},
		{"after 2 s: a third call, then 4 s", time.Second, 3, "4"},
		{"after 4 s: a fourth call, then 8 s", 4 * time.Second, 4, "8"},
		{"another user is not held back", 0, 5, "1"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.clock.Advance(s.advance)
			user := "42"
			if s.name == "another user is not held back" {
				user = "43"
			}
			resp := h.getSTS(user, nil)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			assert.Equal(t, s.retryAfter, resp.Header.Get("Retry-After"))
			assert.Equal(t, s.calls, h.sts.calls.Load())
		})
	}
	h.sts.setErr(nil)
	h.clock.Advance(8 * time.Second)
	assert.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode, "STS is back")
	assert.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode)
	assert.Equal(t, int64(6), h.sts.calls.Load(), "a success ends the back-off")
}

func TestBackoffSchedule(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 6: 30 * time.Second, 7: 30 * time.Second, 1000: 30 * time.Second} {
		assert.Equal(t, want, backoff(n), "failure %d", n)
	}
}

// Finding 5 of the review: with STS accepting connections but never answering, each request
// hung for 15 s (credentials-go's own timeouts). Config.STSTimeout bounds the whole call.
func TestSTSBlackholeAnsweredWithinTheTimeout(t *testing.T) {
	blackhole, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn // accepted and never answered
	t.Cleanup(func() {
		blackhole.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			conn, err := blackhole.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	sts := newFakeSTSServer(t)
	const timeout = 300 * time.Millisecond
	h := newRealHarness(t, func(c *Config) {
		pointAt(sts, staticSource(t, sourceSecret, ""))(c)
		c.STSEndpoint = blackhole.Addr().String()
		c.STSTimeout = timeout
	})
	client := &http.Client{Timeout: 10 * time.Second}
	get := func() (*http.Response, time.Duration) {
		req, err := http.NewRequest(http.MethodGet, h.http.URL+"/sts", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+h.token("42", nil))
		start := time.Now()
		resp, err := client.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp, time.Since(start)
	}
	resp, took := get()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Less(t, took, timeout+2*time.Second, "answered after the configured timeout, not credentials-go's 15 s")
	line := h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
	assert.Contains(t, fmt.Sprint(line["cause"], line["error"]), "deadline exceeded")

	resp, _ = get()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode, "backing off: answered at once")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
}

// Finding 6 of the review: cached credentials stopped being served during an STS outage 5
// minutes before they expired (200 at 9m59s, 502 from 10m00s). They are served until a minute
// before they expire, with their true expiry.
func TestCachedCredentialsServedThroughAnOutage(t *testing.T) {
	h := newHarness(t, nil) // 15-minute credentials, refreshed 5 minutes before expiry
	first := decode(t, h.getSTS("42", nil))
	h.sts.setErr(errTestSTSDown)
	steps := []struct {
		name    string
		advance time.Duration
		status  int
		cache   string
		calls   int64
	}{
		{"9m59s: fresh", 9*time.Minute + 59*time.Second, http.StatusOK, "hit", 1},
		{"10m00s: due for refresh, STS down: the cached ones", time.Second, http.StatusOK, "stale", 2},
		{"10m00s: backing off, the cached ones without a call", 0, http.StatusOK, "stale", 2},
		{"13m59s: still a minute left", 3*time.Minute + 59*time.Second, http.StatusOK, "stale", 3},
		{"14m00s: a minute before expiry: no longer handed out", time.Second, http.StatusBadGateway, "", 3},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.clock.Advance(s.advance)
			resp := h.getSTS("42", nil)
			require.Equal(t, s.status, resp.StatusCode)
			assert.Equal(t, s.calls, h.sts.calls.Load(), "STS calls")
			if s.status == http.StatusOK {
				body := decode(t, resp)
				assert.Equal(t, first["AccessKeyId"], body["AccessKeyId"])
				assert.Equal(t, "2026-01-02T03:19:05Z", body["Expiration"], "the true expiry")
				assert.Equal(t, s.cache, h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))["cache"])
			}
		})
	}
	h.sts.setErr(nil)
	h.clock.Advance(maxBackoff)
	body := decode(t, h.getSTS("42", nil))
	assert.NotEqual(t, first["AccessKeyId"], body["AccessKeyId"], "new credentials once STS is back")
}

// Requests over the budget get the cached credentials while they are usable, at once: not
// an error, and no wait for the budget (on the test's clock a wait would never end).
func TestCachedCredentialsServedWhenTheBudgetIsSpent(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.STSBudget = Limit{Rate: 0.001, Burst: 1} })
	first := decode(t, h.getSTS("42", nil))
	h.clock.Advance(10 * time.Minute)
	resp := h.getSTS("42", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, first["AccessKeyId"], decode(t, resp)["AccessKeyId"])
	assert.Equal(t, "stale", h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))["cache"])
	assert.Equal(t, int64(1), h.sts.calls.Load())
	assert.Contains(t, h.scrape(t), `ossign_vending_sts_skipped_total{reason="budget"} 1`+"\n")
}
