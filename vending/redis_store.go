package vending

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore is a credentialStore in Redis, shared by the instances that use the same Redis
// and cache key, with the instance's memory in front:
//   - an entry is sealed (see sealer) under a key name that reveals neither the user nor the
//     policy, and expires when it stops being worth keeping: at the end of its back-off, or a
//     minute before its credentials expire (staleMargin), not at the refresh point, so that
//     every instance can hand them out through an STS outage as a single instance would;
//   - fresh credentials in the memory are handed out without asking Redis; entries read from
//     Redis are kept in the memory too, so that when Redis cannot be reached the instance
//     goes on with what it has seen (and saves there only).
type redisStore struct {
	link   *redisLink
	sealer *sealer
	memory *memoryStore
	// warnedUnsealable is set once an entry that does not open has been logged.
	warnedUnsealable atomic.Bool
}

// load returns key's entry: fresh from the memory, else Redis's, else the memory's.
func (s *redisStore) load(ctx context.Context, key string) (storedCredentials, bool, error) {
	local, found, _ := s.memory.load(ctx, key)
	if found && local.fresh(s.link.now()) {
		return local, true, nil
	}
	name := s.sealer.name("creds", key)
	var sealed []byte
	ok := s.link.call(ctx, "load", func(ctx context.Context) error {
		var err error
		sealed, err = s.link.client.Get(ctx, name).Bytes()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return err
	})
	if !ok || sealed == nil {
		return local, found, nil
	}
	entry, err := s.sealer.open(name, sealed)
	if err != nil {
		s.unsealable(ctx)
		return local, found, nil
	}
	s.memory.save(ctx, key, entry, s.link.now())
	return entry, true, nil
}

// save sets key's entry in the memory and in Redis until it stops being worth keeping (a
// past entry is deleted).
func (s *redisStore) save(ctx context.Context, key string, entry storedCredentials, now time.Time) error {
	s.memory.save(ctx, key, entry, now)
	name := s.sealer.name("creds", key)
	ttl := entry.keepUntil().Sub(now)
	s.link.call(ctx, "save", func(ctx context.Context) error {
		if ttl <= 0 {
			return s.link.client.Del(ctx, name).Err()
		}
		return s.link.client.Set(ctx, name, s.sealer.seal(name, entry), ceilMillisecond(ttl)).Err()
	})
	return nil
}

// unsealable counts an entry that does not open, and logs the first: it is a miss (the next
// save replaces it), but many of them mean instances with different cache keys.
func (s *redisStore) unsealable(ctx context.Context) {
	s.link.metrics.redisErrors.inc("unseal")
	if s.warnedUnsealable.CompareAndSwap(false, true) {
		s.link.log.LogAttrs(ctx, slog.LevelWarn, "vending: "+errUnsealable.Error()+
			"; it counts as a miss: do all instances have the same cache key? (logged once)")
	}
}

// ceilMillisecond rounds d up to a whole millisecond, Redis's finest expiry.
func ceilMillisecond(d time.Duration) time.Duration {
	return (d + time.Millisecond - 1).Truncate(time.Millisecond)
}

// unlockScript deletes a lock only if it still holds the caller's token: a lock that
// expired and was taken by another instance stays theirs.
var unlockScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0
`)

// redisLocks are sessionLocks in Redis: a key holding a random token, set only if absent
// and expiring after ttl, deleted on release only if it still holds the token. When Redis
// cannot be reached, the lock is granted (the instance's single flight still holds).
type redisLocks struct {
	link   *redisLink
	sealer *sealer
}

// tryLock takes key's lock unless another instance holds it.
func (l *redisLocks) tryLock(ctx context.Context, key string, ttl time.Duration) (func(), bool) {
	name := l.sealer.name("lock", key)
	token := randomHex(16)
	var taken bool
	if !l.link.call(ctx, "lock", func(ctx context.Context) error {
		var err error
		taken, err = l.link.client.SetNX(ctx, name, token, ceilMillisecond(ttl)).Result()
		return err
	}) {
		return func() {}, true
	}
	if !taken {
		return func() {}, false
	}
	return func() {
		l.link.call(ctx, "unlock", func(ctx context.Context) error {
			return unlockScript.Run(ctx, l.link.client, []string{name}, token).Err()
		})
	}, true
}
