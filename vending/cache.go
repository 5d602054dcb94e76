package vending

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ossign/ossign/signer"
)

const (
	// refreshMargin is how long before expiry cached credentials are refreshed: a client
	// normally gets at least this long to use them.
	refreshMargin = 5 * time.Minute
	// staleMargin is how long before expiry cached credentials stop being handed out when
	// they cannot be refreshed (STS failing, backing off, or over budget): a client still gets
	// a minute to use them, and is told when they expire.
	staleMargin = time.Minute
	// minBackoff and maxBackoff bound the wait after a failed AssumeRole call before the
	// next one for the same session: 1 s after the first failure, doubling, at most 30 s.
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
	// lockSlack is how much longer than the longest AssumeRole exchange (the queue wait and
	// the timeout) a session lock lasts, and a caller waits for another's outcome.
	lockSlack = time.Second
	// lockPollInterval is how often a caller waiting for another instance's call looks for
	// its outcome.
	lockPollInterval = 20 * time.Millisecond
)

// cacheResult says where credentials came from, for the log and the metrics.
type cacheResult string

const (
	cacheHit    cacheResult = "hit"    // from the cache
	cacheMiss   cacheResult = "miss"   // this request's STS call
	cacheShared cacheResult = "shared" // another request's STS call (on any instance), waited for
	cacheStale  cacheResult = "stale"  // due for a refresh that could not be made: the cached ones
)

// stsUnavailable is why no credentials could be had: a failed AssumeRole call (cause), a
// back-off after one (cause nil), or the budget (busy); retryAfter says when to ask again.
type stsUnavailable struct {
	cause      error
	busy       bool
	retryAfter time.Duration
}

// Error describes the failure; a failed call's error is its cause's.
func (e *stsUnavailable) Error() string {
	switch {
	case e.cause != nil:
		return e.cause.Error()
	case e.busy:
		return "the AssumeRole budget has no call for this request within the queue wait"
	}
	return "AssumeRole failed for this session recently: backing off"
}

// Unwrap returns the failed call's error.
func (e *stsUnavailable) Unwrap() error { return e.cause }

// tokenCache hands out temporary credentials per (subject, policy, duration): from its store
// until refreshMargin before they expire, then from a new AssumeRole call. Concurrent misses
// for one key make a single call: within the process through a single flight, across the
// instances sharing a store through its session lock (the others wait for the outcome, at
// most as long as the call may take, then make their own). Calls spend the budget (waiting
// for it at most queueWait, and not at all when cached credentials can be handed out) and
// give up after timeout; a failed call makes the next one for that key wait (back-off).
// When no call can be made or it fails, cached credentials are handed out until staleMargin
// before they expire.
type tokenCache struct {
	assumer   assumer
	store     credentialStore
	locks     sessionLocks
	budget    stsBudget
	timeout   time.Duration
	queueWait time.Duration
	now       func() time.Time
	// sleep waits d or until ctx ends (a timer; tests use their clock's).
	sleep func(ctx context.Context, d time.Duration) error
	// pollWait waits lockPollInterval for another instance's call (time.Sleep; tests watch it).
	pollWait func(d time.Duration)
	observe  func(err error, took time.Duration) // each AssumeRole call's outcome
	skip     func(reason string)                 // each due call not made: "backoff" or "budget"
	log      *slog.Logger
	flights  singleflight.Group
}

// newTokenCache returns a cache calling a, configured by cfg (defaults applied), keeping its
// entries, locks and budget in st.
func newTokenCache(a assumer, cfg *Config, st serverState) *tokenCache {
	return &tokenCache{
		assumer:   a,
		store:     st.store,
		locks:     st.locks,
		budget:    st.budget,
		timeout:   cfg.STSTimeout,
		queueWait: cfg.STSQueueWait,
		now:       cfg.Now,
		sleep:     sleepTimer,
		pollWait:  time.Sleep,
		observe:   func(error, time.Duration) {},
		skip:      func(string) {},
		log:       cfg.Logger,
	}
}

// get returns credentials for subject's session req. When the caller's ctx ends first, it
// stops waiting; the STS call goes on and fills the cache for the next request. Its errors
// are *stsUnavailable.
func (c *tokenCache) get(ctx context.Context, subject string, req assumeRequest) (signer.Credentials, cacheResult, error) {
	key := cacheKey(subject, req)
	entry := c.load(ctx, key)
	now := c.now()
	switch {
	case entry.fresh(now):
		return entry.Credentials, cacheHit, nil
	case entry.backingOff(now):
		c.skip("backoff")
		return c.fallback(entry, now, &stsUnavailable{retryAfter: entry.RetryAt.Sub(now)})
	}
	ch := c.flights.DoChan(key, func() (any, error) { return c.refresh(context.WithoutCancel(ctx), key, req, false) })
	select {
	case <-ctx.Done():
		return c.fallback(entry, c.now(), &stsUnavailable{cause: ctx.Err(), retryAfter: minBackoff})
	case r := <-ch:
		if r.Err != nil {
			return c.fallback(entry, c.now(), r.Err)
		}
		got := r.Val.(refreshed)
		if r.Shared || !got.called {
			return got.creds, cacheShared, nil
		}
		return got.creds, cacheMiss, nil
	}
}

// refreshed is the outcome of a refresh: credentials, and whether its own AssumeRole call
// obtained them (else another's, in this process or another instance).
type refreshed struct {
	creds  signer.Credentials
	called bool
}

// fallback hands out entry's credentials when they are still usable at now, else err.
func (c *tokenCache) fallback(entry storedCredentials, now time.Time, err error) (signer.Credentials, cacheResult, error) {
	if entry.usable(now) {
		return entry.Credentials, cacheStale, nil
	}
	return signer.Credentials{}, cacheMiss, err
}

// probe makes an AssumeRole call for subject's session req even when its credentials are
// fresh, unless the session is backing off or the budget has no call: it tells whether STS
// answers now. The waiting stops when ctx ends; the call goes on.
func (c *tokenCache) probe(ctx context.Context, subject string, req assumeRequest) error {
	key := cacheKey(subject, req)
	ch := c.flights.DoChan(key, func() (any, error) { return c.refresh(context.WithoutCancel(ctx), key, req, true) })
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-ch:
		return r.Err
	}
}

// refresh makes the AssumeRole call of key, holding its session lock, unless a call that
// ended meanwhile made it (and force is false), or its back-off forbids it. While another
// instance holds the lock, it waits for that call's outcome, at most as long as the call
// may take; then it calls anyway.
func (c *tokenCache) refresh(ctx context.Context, key string, req assumeRequest, force bool) (refreshed, error) {
	lockTTL := c.queueWait + c.timeout + lockSlack
	giveUp := time.Now().Add(lockTTL)
	for {
		release, held := c.locks.tryLock(ctx, key, lockTTL)
		entry := c.load(ctx, key) // after taking the lock: the previous holder's outcome
		now := c.now()
		switch {
		case entry.fresh(now) && !force:
			release()
			return refreshed{creds: entry.Credentials}, nil
		case entry.backingOff(now):
			release()
			c.skip("backoff")
			return refreshed{}, &stsUnavailable{retryAfter: entry.RetryAt.Sub(now)}
		case held || force || !time.Now().Before(giveUp):
			defer release()
			return c.call(ctx, key, req, entry)
		}
		c.pollWait(lockPollInterval)
	}
}

// call makes the AssumeRole call of key, whose entry is entry, unless the budget forbids
// it, and stores the outcome.
func (c *tokenCache) call(ctx context.Context, key string, req assumeRequest, entry storedCredentials) (refreshed, error) {
	now := c.now()
	maxWait := c.queueWait
	if entry.usable(now) {
		maxWait = 0 // the cached credentials are better than a wait
	}
	wait, ok, err := c.budget.take(ctx, now, maxWait)
	switch {
	case err != nil:
		return refreshed{}, &stsUnavailable{cause: err, retryAfter: minBackoff}
	case !ok:
		c.skip("budget")
		return refreshed{}, &stsUnavailable{busy: true, retryAfter: wait}
	}
	if err := c.sleep(ctx, wait); err != nil {
		return refreshed{}, &stsUnavailable{cause: err, retryAfter: minBackoff}
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	creds, err := c.assumer.assumeRole(callCtx, req)
	took := time.Since(start)
	c.observe(err, took)
	if err != nil {
		entry.Failures++
		entry.RetryAt = c.now().Add(backoff(entry.Failures))
		c.save(ctx, key, entry)
		attrs := append([]slog.Attr{slog.String("session_name", req.sessionName), slog.Int("failures", entry.Failures),
			slog.Duration("took", took), slog.Duration("retry_in", backoff(entry.Failures))}, stsFailureAttrs(err)...)
		c.log.LogAttrs(ctx, slog.LevelWarn, "vending: AssumeRole failed", attrs...)
		return refreshed{}, &stsUnavailable{cause: err, retryAfter: backoff(entry.Failures)}
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "vending: AssumeRole", slog.String("session_name", req.sessionName),
		slog.String("policy", req.policy), slog.Duration("duration", req.duration), slog.Duration("took", took))
	c.save(ctx, key, storedCredentials{Credentials: creds})
	return refreshed{creds: creds, called: true}, nil
}

// backoff is the wait after the n-th consecutive failure: 1 s, 2 s, 4 s, … at most 30 s.
func backoff(n int) time.Duration {
	if n > 6 {
		return maxBackoff
	}
	return min(minBackoff<<(n-1), maxBackoff)
}

// load returns key's entry; a store that fails counts as empty.
func (c *tokenCache) load(ctx context.Context, key string) storedCredentials {
	entry, _, err := c.store.load(ctx, key)
	if err != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "vending: credentials store load failed", slog.String("error", scrubText(err.Error())))
		return storedCredentials{}
	}
	return entry
}

// save stores key's entry; a failure is logged (the entry is lost).
func (c *tokenCache) save(ctx context.Context, key string, entry storedCredentials) {
	if err := c.store.save(ctx, key, entry, c.now()); err != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "vending: credentials store save failed", slog.String("error", scrubText(err.Error())))
	}
}

// cacheKey identifies subject's credentials for req's policy and duration. JSON policies
// hold no raw newline, so the key is unambiguous.
func cacheKey(subject string, req assumeRequest) string {
	return subject + "\n" + req.policy + "\n" + strconv.FormatInt(int64(req.duration/time.Second), 10)
}

// sleepTimer waits d (nothing when d ≤ 0), or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
