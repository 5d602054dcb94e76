package vending

import (
	"context"
	"sync"
	"time"

	"github.com/ossign/ossign/signer"
)

// storedCredentials is what the credentials store keeps for one session (subject, policy,
// duration): the last credentials STS issued for it and, after failed AssumeRole calls, when
// the next call may be made.
type storedCredentials struct {
	// Credentials are the last ones issued; zero before the first success.
	Credentials signer.Credentials
	// Failures counts the AssumeRole calls that failed since the last success.
	Failures int
	// RetryAt is the earliest time of the next call after a failure (zero: any time).
	RetryAt time.Time
}

// fresh reports whether the credentials are handed out without a refresh at now.
func (e storedCredentials) fresh(now time.Time) bool {
	return !e.Credentials.Expiration.IsZero() && now.Before(e.Credentials.Expiration.Add(-refreshMargin))
}

// usable reports whether the credentials may still be handed out at now when they cannot be
// refreshed: until staleMargin before they expire.
func (e storedCredentials) usable(now time.Time) bool {
	return !e.Credentials.Expiration.IsZero() && now.Before(e.Credentials.Expiration.Add(-staleMargin))
}

// backingOff reports whether no AssumeRole call may be made at now.
func (e storedCredentials) backingOff(now time.Time) bool { return now.Before(e.RetryAt) }

// keepUntil is when the entry stops saying something: when its credentials stop being
// usable or its back-off ends, whichever is later (the zero time for an empty entry).
func (e storedCredentials) keepUntil() time.Time {
	var until time.Time
	if !e.Credentials.Expiration.IsZero() {
		until = e.Credentials.Expiration.Add(-staleMargin)
	}
	if e.RetryAt.After(until) {
		until = e.RetryAt
	}
	return until
}

// worthKeeping reports whether the entry still says something at now.
func (e storedCredentials) worthKeeping(now time.Time) bool { return now.Before(e.keepUntil()) }

// credentialStore keeps storedCredentials by session key: a process's memory (memoryStore),
// or Redis shared by several instances with the memory in front (redisStore), so that N
// instances cost STS what one does. Its calls may fail: the cache treats a failed load as a
// miss and a failed save as a lost entry.
type credentialStore interface {
	// load returns the entry of key, if any.
	load(ctx context.Context, key string) (storedCredentials, bool, error)
	// save sets the entry of key at now; the store may drop entries that are no longer
	// worth keeping at now.
	save(ctx context.Context, key string, entry storedCredentials, now time.Time) error
}

// memoryStore is a credentialStore in memory, bounded: least recently used entries go first
// when it is full, and entries no longer worth keeping are dropped as they reach the end.
type memoryStore struct {
	mu      sync.Mutex
	entries *lru[storedCredentials]
}

// newMemoryStore returns an empty store of at most size entries.
func newMemoryStore(size int) *memoryStore {
	return &memoryStore{entries: newLRU[storedCredentials](size)}
}

// load returns the entry of key.
func (m *memoryStore) load(_ context.Context, key string) (storedCredentials, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries.get(key)
	return e, ok, nil
}

// save sets the entry of key and drops the least recently used entries that are no longer
// worth keeping.
func (m *memoryStore) save(_ context.Context, key string, entry storedCredentials, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries.put(key, entry)
	m.entries.dropOldestWhile(func(old storedCredentials) bool { return !old.worthKeeping(now) })
	return nil
}

// sessionLocks let one caller at a time make a session's AssumeRole call. Within a process
// the cache's single flight does that, so the memory's locks (processLocks) always grant;
// Redis's (redisLocks) make the instances sharing it take turns.
type sessionLocks interface {
	// tryLock takes key's lock for at most ttl unless someone else holds it. release frees
	// it if this caller still holds it; it is never nil.
	tryLock(ctx context.Context, key string, ttl time.Duration) (release func(), ok bool)
}

// processLocks are the sessionLocks of a single process: always granted.
type processLocks struct{}

// tryLock grants key's lock.
func (processLocks) tryLock(context.Context, string, time.Duration) (func(), bool) {
	return func() {}, true
}
