package vending

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// gcraScript is a token bucket of rate 1/interval and burst b in one Redis key, as GCRA
// (the generic cell rate algorithm) keeps it: the key holds the theoretical arrival time
// (TAT) of the next request, in microseconds, and expires when the bucket is full again.
// A request at now is admitted after wait = TAT + interval − b·interval − now (nothing
// when ≤ 0); when wait exceeds maxWait it takes nothing and the script answers
// {0, wait}, else it moves the TAT on by one interval and answers {1, max(wait, 0)}. This
// is what golang.org/x/time/rate's Reserve does in memory. Lua numbers are doubles:
// microseconds since 1970 stay exact far beyond 2200. The TAT is written with %.0f, as
// Redis would write a bare number with 14 significant digits only.
//
// KEYS[1]: the bucket. ARGV: now, interval and maxWait in microseconds, burst.
var gcraScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local tat = tonumber(redis.call("GET", KEYS[1]) or ARGV[1])
if tat < now then
	tat = now
end
local wait = tat + interval - burst * interval - now
if wait > maxWait then
	return {0, math.ceil(wait)}
end
local next = tat + interval
redis.call("SET", KEYS[1], string.format("%.0f", next), "PX", math.max(1, math.ceil((next - now) / 1000)))
return {1, math.ceil(math.max(wait, 0))}
`)

// redisBucket is a token bucket of Limit in Redis, shared by the instances that use it,
// with an in-memory bucket of the same Limit as the fallback when Redis cannot be reached.
type redisBucket struct {
	link  *redisLink
	op    string // the metrics' name of the bucket's calls
	limit Limit
}

// take reserves one token of the bucket name at now, unless its wait would exceed maxWait.
// It reports false for answered when Redis could not be asked.
func (b *redisBucket) take(ctx context.Context, name string, now time.Time, maxWait time.Duration) (wait time.Duration, ok, answered bool) {
	var reply []int64
	answered = b.link.call(ctx, b.op, func(ctx context.Context) error {
		var err error
		reply, err = gcraScript.Run(ctx, b.link.client, []string{name},
			now.UnixMicro(), strconv.FormatFloat(1e6/float64(b.limit.Rate), 'g', -1, 64), maxWait.Microseconds(), b.limit.Burst).Int64Slice()
		return err
	})
	if !answered || len(reply) != 2 {
		return 0, false, false
	}
	return time.Duration(reply[1]) * time.Microsecond, reply[0] == 1, true
}

// redisLimiter is a rateLimiter whose buckets are in Redis: a user's or a client's limit
// holds across instances. Without Redis it uses memory, its own instance's buckets.
type redisLimiter struct {
	bucket redisBucket
	kind   string // the key names' namespace: "ip" or "user"
	sealer *sealer
	memory *limiterSet
}

// allow takes a token from key's bucket at now, or says how long until one is available.
func (l *redisLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	if l.bucket.limit.Rate == rate.Inf {
		return 0, true
	}
	wait, ok, answered := l.bucket.take(context.Background(), l.sealer.name(l.kind, key), now, 0)
	if !answered {
		return l.memory.allow(key, now)
	}
	return wait, ok
}

// redisBudget is an stsBudget in Redis: one budget for every instance that uses it. Without
// Redis it uses memory, a bucket of its own instance.
type redisBudget struct {
	bucket redisBucket
	name   string
	memory *bucketBudget
}

// take reserves one call at now, unless the wait for it would exceed maxWait.
func (b *redisBudget) take(ctx context.Context, now time.Time, maxWait time.Duration) (time.Duration, bool, error) {
	if b.bucket.limit.Rate == rate.Inf {
		return 0, true, nil
	}
	wait, ok, answered := b.bucket.take(ctx, b.name, now, maxWait)
	if !answered {
		return b.memory.take(ctx, now, maxWait)
	}
	return wait, ok, nil
}
