package vending

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ossign/ossign/signer"
)

// Test fixtures.
const (
	testBucket   = "examplebucket"
	testRegion   = "cn-hangzhou"
	testRoleARN  = "acs:ram::1234567890123456:role/ossign-test"
	testIssuer   = "https://issuer.example.com"
	testAudience = "ossign-test"
	testOrigin   = "https://app.example.com"
)

// testSecret is the HS256 secret of the test JWTs.
var testSecret = []byte("0123456789abcdef0123456789abcdef-test-secret")

// errTestSTSDown is a transport failure of the fake STS.
var errTestSTSDown = errors.New("dial tcp 127.0.0.1:1: connect: connection refused")

// testEpoch is the fake clock's start.
var testEpoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is a fake time source whose sleepers wake when it is advanced past their time.
type clock struct {
	mu       sync.Mutex
	t        time.Time
	sleepers map[chan struct{}]time.Time
}

// newClock returns a clock at testEpoch.
func newClock() *clock { return &clock{t: testEpoch} }

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock and wakes the sleepers whose time has come.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	for wake, until := range c.sleepers {
		if !until.After(c.t) {
			close(wake)
			delete(c.sleepers, wake)
		}
	}
}

// Sleep waits until the clock has been advanced by d (no wait when d ≤ 0), or ctx ends.
func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	wake := make(chan struct{})
	if c.sleepers == nil {
		c.sleepers = map[chan struct{}]time.Time{}
	}
	c.sleepers[wake] = c.t.Add(d)
	c.mu.Unlock()
	select {
	case <-wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.sleepers, wake)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Sleeping returns the number of goroutines in Sleep.
func (c *clock) Sleeping() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// fakeSTS is an assumer that issues numbered credentials and counts its calls.
type fakeSTS struct {
	now   func() time.Time
	calls atomic.Int64

	mu       sync.Mutex
	requests []assumeRequest
	err      error
	gate     chan struct{} // when set, calls wait for it to close
}

// assumeRole records req and returns credentials valid for req.duration, or f.err.
func (f *fakeSTS) assumeRole(ctx context.Context, req assumeRequest) (signer.Credentials, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	gate, err := f.gate, f.err
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return signer.Credentials{}, ctx.Err()
		}
	}
	if err != nil {
		return signer.Credentials{}, err
	}
	return signer.Credentials{
		AccessKeyID:     fmt.Sprintf("STS.fakeKey%d", n),
		AccessKeySecret: fmt.Sprintf("fakeSECRET%d%s", n, randomHex(8)),
		SecurityToken:   fmt.Sprintf("fakeTOKEN%d%s", n, randomHex(32)),
		Expiration:      f.now().Add(req.duration),
	}, nil
}

// setErr makes the following calls fail with err (nil: succeed).
func (f *fakeSTS) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// lastRequest returns the last call's request.
func (f *fakeSTS) lastRequest(t testing.TB) assumeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(t, f.requests, "no AssumeRole call")
	return f.requests[len(f.requests)-1]
}

// syncBuffer is a bytes.Buffer safe for concurrent writes, for captured logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the JSON log lines written so far.
func (b *syncBuffer) lines(t testing.TB) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

// requestLine returns the log line of the request with the given X-Request-Id.
func (b *syncBuffer) requestLine(t testing.TB, id string) map[string]any {
	for _, l := range b.lines(t) {
		if l["request_id"] == id {
			return l
		}
	}
	require.Failf(t, "no log line", "request %s", id)
	return nil
}

// harness is a Server with a fake STS, a fake clock and captured Debug logs, served by an
// httptest server on 127.0.0.1.
type harness struct {
	t     testing.TB
	srv   *Server
	http  *httptest.Server
	sts   *fakeSTS
	clock *clock
	logs  *syncBuffer
}

// newHarness starts a Server configured by testConfig and then edit (which may be nil),
// with a fake STS.
func newHarness(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, clock: newClock(), logs: &syncBuffer{}}
	h.sts = &fakeSTS{now: h.clock.Now}
	return h.start(edit, h.sts)
}

// newRealHarness starts a Server like newHarness, but calling STS through credentials-go as
// New does; edit points it at an STS.
func newRealHarness(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, clock: newClock(), logs: &syncBuffer{}}
	return h.start(edit, nil)
}

// start creates and serves the Server (a nil a: credentials-go).
func (h *harness) start(edit func(*Config), a assumer) *harness {
	t := h.t
	cfg := testConfig(t, h.clock, h.logs)
	if edit != nil {
		edit(&cfg)
	}
	srv, err := newServer(cfg, a)
	require.NoError(t, err)
	srv.cache.sleep = h.clock.Sleep
	h.srv = srv
	h.http = httptest.NewServer(srv.Handler())
	t.Cleanup(h.http.Close)
	return h
}

// testConfig is a valid Config: HS256 JWTs, one allowed origin, no rate limits.
func testConfig(t testing.TB, c *clock, logs io.Writer) Config {
	auth, err := JWT(JWTConfig{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Now: c.Now})
	require.NoError(t, err)
	return Config{
		Bucket:         testBucket,
		Region:         testRegion,
		RoleARN:        testRoleARN,
		Authenticator:  auth,
		AllowedOrigins: []string{testOrigin},
		RateLimits:     RateLimits{PerIP: Limit{Rate: rate.Inf, Burst: 1}, PerUser: Limit{Rate: rate.Inf, Burst: 1}},
		Now:            c.Now,
		Logger:         slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// discardLogger returns a logger that writes nothing.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// token returns an HS256 JWT for sub, valid for an hour from the clock's time, after edit.
func (h *harness) token(sub string, edit func(*jwt.RegisteredClaims)) string {
	now := h.clock.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    testIssuer,
		Subject:   sub,
		Audience:  jwt.ClaimStrings{testAudience},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}
	if edit != nil {
		edit(&claims)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testSecret)
	require.NoError(h.t, err)
	return s
}

// request sends method path with headers (and a JSON body when body is not empty).
func (h *harness) request(method, path string, headers map[string]string, body string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.http.URL+path, strings.NewReader(body))
	require.NoError(h.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := h.http.Client().Do(req)
	require.NoError(h.t, err)
	h.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// sts sends GET /sts as user (a fresh JWT), with extra headers.
func (h *harness) getSTS(user string, headers map[string]string) *http.Response {
	all := map[string]string{"Authorization": "Bearer " + h.token(user, nil)}
	for k, v := range headers {
		all[k] = v
	}
	return h.request(http.MethodGet, "/sts", all, "")
}

// decode reads a JSON answer into a map.
func decode(t testing.TB, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}
