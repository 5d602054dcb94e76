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
// rate limits, JSON answer) over loopback HTTP/1.1 keep-alive connections, with N clients
// sending back to back. It reports requests per second and the p50 and p99 latency seen by
// the clients.
//
//	go test -run '^$' -bench BenchmarkVendingCacheHit -benchtime 20000x ./vending
func BenchmarkVendingCacheHit(b *testing.B) {
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			h := newHarness(b, func(c *Config) {
				c.Logger = discardLogger()
				c.RateLimits.PerUser = Limit{Rate: 1e9, Burst: 1e9}
				c.RateLimits.PerIP = Limit{Rate: 1e9, Burst: 1e9}
			})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
			b.Cleanup(client.CloseIdleConnections)
			req, err := http.NewRequest(http.MethodGet, h.http.URL+"/sts", nil)
			require.NoError(b, err)
			req.Header.Set("Authorization", "Bearer "+h.token("42", nil))
			req.Header.Set("Origin", testOrigin)
			get := func() error {
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
			require.NoError(b, get(), "warm-up: the one STS call")

			latencies := make([][]time.Duration, clients)
			var next, failures atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for i := range clients {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						if get() != nil {
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
			require.Equal(b, int64(1), h.sts.calls.Load(), "every timed request was a cache hit")

			all := slices.Concat(latencies...)
			slices.Sort(all)
			quantile := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].Microseconds()) }
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(quantile(0.50), "p50-µs")
			b.ReportMetric(quantile(0.99), "p99-µs")
		})
	}
}
