package vending

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkVendingCacheHit measures GET /sts served from the cache (JWT HS256 check, CORS,
// rate limits, JSON answer) by one instance keeping its state in memory, over loopback
// HTTP/1.1 keep-alive connections, with N clients sending back to back. It reports requests
// per second and the p50 and p99 latency seen by the clients.
//
//	go test -run '^$' -bench BenchmarkVendingCacheHit -benchtime 20000x ./vending
func BenchmarkVendingCacheHit(b *testing.B) {
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			h := newHarness(b, benchConfig)
			benchmarkCacheHits(b, clients, []*harness{h})
		})
	}
}

// BenchmarkVendingCacheHitRedis is BenchmarkVendingCacheHit with three instances sharing a
// redis-server on loopback, the clients' requests spread round-robin over them: each
// request's per-IP and per-user limits are a Redis round trip each; the credentials come
// from the instance's memory, where Redis put them on its first request.
func BenchmarkVendingCacheHitRedis(b *testing.B) {
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("instances=3/clients=%d", clients), func(b *testing.B) {
			hs, _ := newRedisHarnesses(b, 3, benchConfig)
			benchmarkCacheHits(b, clients, hs)
		})
	}
}

// benchConfig lifts the limits out of a benchmark's way (they are still applied) and its logs.
func benchConfig(c *Config) {
	c.Logger = discardLogger()
	c.RateLimits.PerUser = Limit{Rate: 1e9, Burst: 1e9}
	c.RateLimits.PerIP = Limit{Rate: 1e9, Burst: 1e9}
}

// benchmarkCacheHits sends b.N GET /sts of one user from clients clients back to back,
// spread round-robin over the servers of hs (which share one fake STS), after one request to
// each (the only STS call, or a read of its outcome from Redis), and reports requests per
// second and the clients' p50 and p99 latency.
func benchmarkCacheHits(b *testing.B, clients int, hs []*harness) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	b.Cleanup(client.CloseIdleConnections)
	token := hs[0].token("42", nil)
	requests := make([]*http.Request, len(hs))
	for i, h := range hs {
		req, err := http.NewRequest(http.MethodGet, h.http.URL+"/sts", nil)
		require.NoError(b, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Origin", testOrigin)
		requests[i] = req
	}
	get := func(req *http.Request) error {
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	for _, req := range requests {
		require.NoError(b, get(req), "warm-up: the one STS call, or its outcome from Redis")
	}

	latencies := make([][]time.Duration, clients)
	var next, failures atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range clients {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				t0 := time.Now()
				if get(requests[n%int64(len(requests))]) != nil {
					failures.Add(1)
				}
				latencies[i] = append(latencies[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	require.Zero(b, failures.Load(), "failed requests")
	require.Equal(b, int64(1), hs[0].sts.calls.Load(), "every timed request was a cache hit")

	all := slices.Concat(latencies...)
	slices.Sort(all)
	quantile := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].Microseconds()) }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(hs[0].sts.calls.Load())*1000/float64(b.N+len(hs)), "sts-calls/1000-requests")
	b.ReportMetric(quantile(0.50), "p50-µs")
	b.ReportMetric(quantile(0.99), "p99-µs")
}
