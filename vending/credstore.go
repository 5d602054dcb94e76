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

// worthKeeping reports whether the entry still says something at now.
func (e storedCredentials) worthKeeping(now time.Time) bool {
	return e.usable(now) || e.backingOff(now)
}

// credentialStore keeps storedCredentials by session key. Today it is a process's memory
// (memoryStore); a store shared by several instances (Redis, issue 14) implements the same
// two calls, so that N instances cost STS what one does. Its calls may then fail: the cache
// treats a failed load as a miss and a failed save as a lost entry.
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
