package vending

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ossign/ossign/signer"
)

const (
	// refreshMargin is how long before expiry cached credentials stop being handed out: a
	// client always gets at least this long to use them.
	refreshMargin = 5 * time.Minute
	// stsCallTimeout bounds one AssumeRole call, whoever waits for it.
	stsCallTimeout = 30 * time.Second
)

// cacheResult says where credentials came from, for the log.
type cacheResult string

const (
	cacheHit    cacheResult = "hit"    // from the cache
	cacheMiss   cacheResult = "miss"   // this request's STS call
	cacheShared cacheResult = "shared" // another request's STS call, waited for
)

// tokenCache keeps temporary credentials per (subject, policy, duration) and reuses them
// until refreshMargin before they expire. Concurrent misses for one key make a single
// AssumeRole call.
type tokenCache struct {
	assumer assumer
	now     func() time.Time
	log     *slog.Logger
	flights singleflight.Group

	mu      sync.Mutex
	entries *lru[signer.Credentials]
}

// newTokenCache returns an empty cache of at most size entries.
func newTokenCache(a assumer, size int, now func() time.Time, log *slog.Logger) *tokenCache {
	return &tokenCache{assumer: a, now: now, log: log, entries: newLRU[signer.Credentials](size)}
}

// get returns credentials for subject's session req. When the caller's ctx ends first, it
// stops waiting; the STS call goes on and fills the cache for the next request.
func (c *tokenCache) get(ctx context.Context, subject string, req assumeRequest) (signer.Credentials, cacheResult, error) {
	key := cacheKey(subject, req)
	if creds, ok := c.lookup(key); ok {
		return creds, cacheHit, nil
	}
	ch := c.flights.DoChan(key, func() (any, error) {
		// A flight that ended between the lookup above and DoChan has filled the cache.
		if creds, ok := c.lookup(key); ok {
			return creds, nil
		}
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stsCallTimeout)
		defer cancel()
		start := time.Now()
		creds, err := c.assumer.assumeRole(callCtx, req)
		c.log.LogAttrs(ctx, slog.LevelDebug, "vending: AssumeRole", slog.String("session_name", req.sessionName),
			slog.String("policy", req.policy), slog.Duration("duration", req.duration),
			slog.Duration("took", time.Since(start)), slog.Bool("ok", err == nil))
		if err != nil {
			return nil, err
		}
		c.store(key, creds)
		return creds, nil
	})
	select {
	case <-ctx.Done():
		return signer.Credentials{}, cacheMiss, ctx.Err()
	case r := <-ch:
		result := cacheMiss
		if r.Shared {
			result = cacheShared
		}
		if r.Err != nil {
			return signer.Credentials{}, result, r.Err
		}
		return r.Val.(signer.Credentials), result, nil
	}
}

// cacheKey identifies subject's credentials for req's policy and duration. JSON policies
// hold no raw newline, so the key is unambiguous.
func cacheKey(subject string, req assumeRequest) string {
	return subject + "\n" + req.policy + "\n" + strconv.FormatInt(int64(req.duration/time.Second), 10)
}

// lookup returns the cached credentials of key if they are fresh.
func (c *tokenCache) lookup(key string) (signer.Credentials, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	creds, ok := c.entries.get(key)
	return creds, ok && fresh(creds, c.now())
}

// store caches creds and drops stale entries that have become the least recently used.
func (c *tokenCache) store(key string, creds signer.Credentials) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.put(key, creds)
	now := c.now()
	c.entries.dropOldestWhile(func(old signer.Credentials) bool { return !fresh(old, now) })
}

// fresh reports whether creds may still be handed out at now.
func fresh(creds signer.Credentials, now time.Time) bool {
	return now.Before(creds.Expiration.Add(-refreshMargin))
}
