package vending

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
)

// flakySTS fails calls made while failing says so with probability failRate (a seeded
// sequence), passes the others to the fake STS, and records when each call was made.
type flakySTS struct {
	*fakeSTS
	failing  func(now time.Time) bool
	failRate float64

	mu       sync.Mutex
	rng      *rand.Rand
	calls    []time.Time
	failures int
}

// assumeRole records the call and fails it, or issues credentials.
func (f *flakySTS) assumeRole(ctx context.Context, req assumeRequest) (signer.Credentials, error) {
	now := f.now()
	f.mu.Lock()
	f.calls = append(f.calls, now)
	fail := f.failing(now) && f.rng.Float64() < f.failRate
	if fail {
		f.failures++
	}
	f.mu.Unlock()
	if fail {
		return signer.Credentials{}, errTestSTSDown
	}
	return f.fakeSTS.assumeRole(ctx, req)
}

// maxCallsIn returns the largest number of calls in any window of length w.
func (f *flakySTS) maxCallsIn(w time.Duration) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	most := 0
	for i, start := range f.calls { // calls are in time order: the clock only moves forward
		n := 0
		for _, at := range f.calls[i:] {
			if at.Sub(start) >= w {
				break
			}
			n++
		}
		most = max(most, n)
	}
	return most
}

// metricValue returns the value of one series in a metrics text, 0 when absent.
func metricValue(t *testing.T, text, series string) int {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\d+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// The acceptance fault test: STS fails half of its calls for a minute under steady load from
// 200 users (each asks every 5 s), on a fake clock. The users arrive during the first minute,
// so their credentials are all due for a refresh during the faulty minute, ten minutes
// later, and the budget (4 calls/s, bursts of 4) is tight enough to refuse some refreshes.
// No user, all holding cached credentials, sees an error or credentials about to expire;
// STS calls keep to the budget in every window; after the fault every user has new ones.
func TestFaultSTSFailingHalfTheTimeUnderLoad(t *testing.T) {
	const (
		users = 200
		every = 5 // seconds between a user's requests
	)
	budget := Limit{Rate: 4, Burst: 4}
	faultStart, faultEnd := testEpoch.Add(10*time.Minute), testEpoch.Add(11*time.Minute)
	h := &harness{t: t, clock: newClock(), logs: &syncBuffer{}}
	sts := &flakySTS{
		fakeSTS:  &fakeSTS{now: h.clock.Now},
		failing:  func(now time.Time) bool { return !now.Before(faultStart) && now.Before(faultEnd) },
		failRate: 0.5,
		rng:      rand.New(rand.NewPCG(11, 2026)),
	}
	h.start(func(c *Config) {
		c.STSBudget = budget
		c.Logger = discardLogger()
	}, sts)
	tokens := make([]string, users)
	for i := range users {
		tokens[i] = "Bearer " + h.token(fmt.Sprint("user-", i), nil) // valid for the hour the test covers
	}
	arrival := func(i int) int { return i * 60 / users } // second of a user's first request
	first := make([]string, users)                       // each user's first AccessKeyId
	last := make([]string, users)
	var failures []string

	// One tick per second of fake time, from the first arrival to 3 minutes after the fault.
	for second := 0; second <= 14*60; second++ {
		now := h.clock.Now()
		var due []int
		for i := range users {
			since := second - arrival(i)
			if since == 0 || since > 0 && since%every == 0 && (second >= 9*60+50) {
				due = append(due, i) // the first request, then steady load from 10 s before the fault
			}
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var answered atomic.Int64
		for _, i := range due {
			wg.Go(func() {
				defer answered.Add(1)
				r, err := http.NewRequest(http.MethodGet, "/sts", nil)
				if err != nil {
					return
				}
				r.Header.Set("Authorization", tokens[i])
				w := httptest.NewRecorder()
				h.srv.Handler().ServeHTTP(w, r)
				mu.Lock()
				defer mu.Unlock()
				v, err := wire.ParseVending(w.Body.Bytes())
				switch {
				case w.Code != http.StatusOK || err != nil:
					failures = append(failures, fmt.Sprintf("%s user-%d: %d %s", now.Format(time.TimeOnly), i, w.Code, w.Body.String()))
				case !v.Credentials.Expiration.After(now.Add(staleMargin - time.Second)):
					failures = append(failures, fmt.Sprintf("%s user-%d: credentials expiring at %s", now.Format(time.TimeOnly), i, v.Credentials.Expiration.Format(time.TimeOnly)))
				default:
					if first[i] == "" {
						first[i] = v.Credentials.AccessKeyID
					}
					last[i] = v.Credentials.AccessKeyID
				}
			})
		}
		require.Eventually(t, func() bool { return int(answered.Load())+h.clock.Sleeping() == len(due) }, 10*time.Second, time.Millisecond)
		if h.clock.Sleeping() > 0 {
			h.clock.Advance(time.Hour) // let them go, then fail
			require.Fail(t, "requests waited for the budget", "at %s", now.Format(time.TimeOnly))
		}
		wg.Wait()
		h.clock.Advance(time.Second)
	}

	assert.Empty(t, failures, "errors or expiring credentials seen by users")
	renewed := 0
	for i := range users {
		if last[i] != first[i] {
			renewed++
		}
	}
	assert.Equal(t, users, renewed, "every user has new credentials after the fault")
	for _, w := range []time.Duration{time.Second, 5 * time.Second, time.Minute} {
		limit := budget.Burst + int(float64(budget.Rate)*w.Seconds())
		assert.LessOrEqual(t, sts.maxCallsIn(w), limit, "STS calls in any %v", w)
	}
	text := h.scrape(t)
	t.Logf("STS calls %d (%d failed), credentials served stale %d, refreshes refused by the budget %d, deferred by back-off %d",
		len(sts.calls), sts.failures, metricValue(t, text, `ossign_vending_credentials_total{source="stale"}`),
		metricValue(t, text, `ossign_vending_sts_skipped_total{reason="budget"}`), metricValue(t, text, `ossign_vending_sts_skipped_total{reason="backoff"}`))
	assert.Positive(t, sts.failures, "the fault happened")
	assert.Positive(t, metricValue(t, text, `ossign_vending_credentials_total{source="stale"}`), "cached credentials carried users through")
	assert.Positive(t, metricValue(t, text, `ossign_vending_sts_skipped_total{reason="budget"}`), "the budget refused refreshes")
	assert.Positive(t, metricValue(t, text, `ossign_vending_sts_skipped_total{reason="backoff"}`), "failed sessions backed off")
	assert.Zero(t, metricValue(t, text, `ossign_vending_requests_total{route="/sts",code="STSUnavailable"}`))
}
