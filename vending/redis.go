package vending

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// redisRetryInterval is how long an instance leaves Redis alone after a failed call before
// one call tries it again; meanwhile every call uses the instance's memory at once.
const redisRetryInterval = time.Second

// redisURLForm is what a Redis URL looks like, for error messages.
const redisURLForm = "use redis://[user[:password]@]host[:port][/db], rediss://… for TLS, or unix:///path"

// redisOptions parses a Redis URL into go-redis options. Its errors never repeat the URL's
// password.
func redisOptions(rawURL string) (*redis.Options, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("not a URL: " + redisURLForm)
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		cause := strings.TrimPrefix(err.Error(), "redis: ")
		if password, ok := u.User.Password(); ok && password != "" && strings.Contains(cause, password) {
			cause = "unusable"
		}
		return nil, errors.New(cause + ": " + redisURLForm)
	}
	return opts, nil
}

// redactedRedisURL is rawURL without its password, for the startup log.
func redactedRedisURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// redisLink is a Server's connection to Redis, shared by the credentials store, the session
// locks, the rate limits and the STS budget, and what it knows of Redis's health. Every call
// is bounded by the timeout. After a failed call Redis is taken for down: the callers use
// their instance's memory at once, and after redisRetryInterval one call tries Redis again
// (a probe); its success brings Redis back. Both changes are logged once.
type redisLink struct {
	client  *redis.Client
	url     string // without its password
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics

	mu      sync.Mutex
	down    bool
	retryAt time.Time // when down: the earliest probe
	probing bool      // when down: a probe is under way
}

// newRedisLink returns a link to cfg's Redis (defaults applied); it does not connect yet.
func newRedisLink(cfg *Config, m *metrics) (*redisLink, error) {
	opts, err := redisOptions(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	// Every call is bounded by the timeout, and not retried: the memory is the fallback.
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout, opts.PoolTimeout = cfg.RedisTimeout, cfg.RedisTimeout, cfg.RedisTimeout, cfg.RedisTimeout
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = -1
	opts.DialerRetries = 1
	opts.DisableIdentity = true
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	routeRedisLogs.Do(func() { redis.SetLogger(redisLogger{cfg.Logger}) })
	return &redisLink{client: redis.NewClient(opts), url: redactedRedisURL(cfg.RedisURL), timeout: cfg.RedisTimeout,
		now: cfg.Now, log: cfg.Logger, metrics: m}, nil
}

// routeRedisLogs sends go-redis's own messages (it has one logger per process) to the
// Logger of the first Server with Redis, at Debug: the link logs what matters once.
var routeRedisLogs sync.Once

// redisLogger is go-redis's logger writing to a slog.Logger at Debug.
type redisLogger struct{ log *slog.Logger }

// Printf logs one go-redis message.
func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.log.LogAttrs(ctx, slog.LevelDebug, "vending: go-redis", slog.String("message", scrubText(fmt.Sprintf(format, v...))))
}

// call runs fn against Redis, bounded by the link's timeout (and not by ctx's end: a client
// going away does not make Redis look down), when Redis is taken to answer. It reports
// whether fn succeeded; when not, the caller answers from its memory, and the fallback is
// counted for op. fn treats redis.Nil (no such key) as success.
func (l *redisLink) call(ctx context.Context, op string, fn func(ctx context.Context) error) bool {
	probe, ok := l.begin()
	if !ok {
		l.metrics.redisFallbacks.inc(op)
		return false
	}
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	err := fn(callCtx)
	cancel()
	l.end(ctx, probe, err)
	if err != nil {
		l.metrics.redisErrors.inc(op)
		l.metrics.redisFallbacks.inc(op)
		return false
	}
	return true
}

// begin says whether a call may go to Redis now, and whether it is the probe of a Redis
// taken for down.
func (l *redisLink) begin() (probe, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case !l.down:
		return false, true
	case l.probing || l.now().Before(l.retryAt):
		return false, false
	}
	l.probing = true
	return true, true
}

// end records a call's outcome: a failure takes Redis for down (logged when it was up), a
// probe's success brings it back (logged). Successes of calls begun before a failure change
// nothing.
func (l *redisLink) end(ctx context.Context, probe bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if probe {
		l.probing = false
	}
	switch {
	case err != nil && !l.down:
		l.down, l.retryAt = true, l.now().Add(redisRetryInterval)
		l.log.LogAttrs(ctx, slog.LevelWarn, "vending: Redis unreachable: this instance uses its own memory (credentials, limits, STS budget) meanwhile",
			slog.String("error", scrubText(err.Error())))
	case err != nil:
		l.retryAt = l.now().Add(redisRetryInterval)
	case probe:
		l.down = false
		l.log.LogAttrs(ctx, slog.LevelInfo, "vending: Redis reachable again: state shared with the other instances")
	}
}

// Close closes the connections.
func (l *redisLink) Close() error { return l.client.Close() }

// String describes the link for the startup log.
func (l *redisLink) String() string {
	return "redis " + l.url + ", timeout " + l.timeout.String()
}
