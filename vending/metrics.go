package vending

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// stsLatencyBuckets are the upper bounds, in seconds, of the STS call latency histogram.
var stsLatencyBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// metrics are the server's counters, written in the Prometheus text format by
// MetricsHandler. Labels take values from small fixed sets (routes, error codes, outcomes):
// never a user id, an address or anything secret.
type metrics struct {
	requests    *counterVec
	credentials *counterVec
	stsCalls    *counterVec
	stsSeconds  *histogram
	stsSkipped  *counterVec
	rateLimited *counterVec
	// redisErrors and redisFallbacks stay empty without Redis.
	redisErrors    *counterVec
	redisFallbacks *counterVec
}

// newMetrics returns zeroed metrics.
func newMetrics() *metrics {
	return &metrics{
		requests:       newCounterVec("ossign_vending_requests_total", "Requests answered, by route and outcome (Success or the error Code).", "route", "code"),
		credentials:    newCounterVec("ossign_vending_credentials_total", "Credentials handed out, by source: hit (cache), miss (an STS call), shared (another request's call), stale (cached, STS could not refresh them).", "source"),
		stsCalls:       newCounterVec("ossign_vending_sts_calls_total", "AssumeRole calls, by result (success or failure).", "result"),
		stsSeconds:     newHistogram("ossign_vending_sts_call_duration_seconds", "AssumeRole call latency.", stsLatencyBuckets),
		stsSkipped:     newCounterVec("ossign_vending_sts_skipped_total", "AssumeRole calls due but not made, by reason: backoff (after a failure) or budget (spent); the request got cached credentials or an error.", "reason"),
		rateLimited:    newCounterVec("ossign_vending_rate_limited_total", "Requests refused by a limit: ip, user, new_identity (429) or sts_budget (503).", "limit"),
		redisErrors:    newCounterVec("ossign_vending_redis_errors_total", "Redis calls that failed (refused, timed out, error answer), by operation: load, save, lock, unlock, budget, limit_ip, limit_user; and unseal: entries that could not be decrypted (another cache key, or altered).", "op"),
		redisFallbacks: newCounterVec("ossign_vending_redis_fallbacks_total", "Operations this instance answered from its own memory because Redis could not be reached (a failed call, or Redis left alone for a second after one), by operation.", "op"),
	}
}

// observeSTS counts one AssumeRole call.
func (m *metrics) observeSTS(err error, took time.Duration) {
	result := "success"
	if err != nil {
		result = "failure"
	}
	m.stsCalls.inc(result)
	m.stsSeconds.observe(took.Seconds())
}

// write writes every metric in the Prometheus text format (version 0.0.4).
func (m *metrics) write(w io.Writer) {
	m.requests.write(w)
	m.credentials.write(w)
	m.stsCalls.write(w)
	m.stsSeconds.write(w)
	m.stsSkipped.write(w)
	m.rateLimited.write(w)
	m.redisErrors.write(w)
	m.redisFallbacks.write(w)
}

// MetricsHandler returns the metrics endpoint, GET /metrics in the Prometheus text format.
// Serve it on an address of its own that only the monitoring system reaches (ServeMetrics,
// `ossign vend --metrics-listen`), not with Handler.
func (s *Server) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/metrics":
			http.NotFound(w, r)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "use GET", http.StatusMethodNotAllowed)
		default:
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			s.metrics.write(w)
		}
	})
}

// counterVec is a counter per combination of label values.
type counterVec struct {
	name, help string
	labels     []string

	mu     sync.Mutex
	values map[string]int64 // by label values joined with "\x00"
}

// newCounterVec returns a counter family with the given label names.
func newCounterVec(name, help string, labels ...string) *counterVec {
	return &counterVec{name: name, help: help, labels: labels, values: map[string]int64{}}
}

// inc adds one to the counter of values (one per label).
func (c *counterVec) inc(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[strings.Join(values, "\x00")]++
}

// write writes the family, series sorted by label values.
func (c *counterVec) write(w io.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	writeHeader(w, c.name, c.help, "counter")
	for _, key := range slices.Sorted(maps.Keys(c.values)) {
		var labels []string
		for i, v := range strings.Split(key, "\x00") {
			labels = append(labels, c.labels[i]+"="+strconv.Quote(v))
		}
		io.WriteString(w, c.name+"{"+strings.Join(labels, ",")+"} "+strconv.FormatInt(c.values[key], 10)+"\n")
	}
}

// histogram counts observations in cumulative buckets.
type histogram struct {
	name, help string
	bounds     []float64

	mu     sync.Mutex
	counts []int64 // per bound, not cumulative
	count  int64
	sum    float64
}

// newHistogram returns an empty histogram with the given bucket upper bounds.
func newHistogram(name, help string, bounds []float64) *histogram {
	return &histogram{name: name, help: help, bounds: bounds, counts: make([]int64, len(bounds))}
}

// observe records one value.
func (h *histogram) observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if i, _ := slices.BinarySearch(h.bounds, v); i < len(h.bounds) {
		h.counts[i]++
	}
	h.count++
	h.sum += v
}

// write writes the buckets (cumulative), the sum and the count.
func (h *histogram) write(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	writeHeader(w, h.name, h.help, "histogram")
	var cumulative int64
	for i, b := range h.bounds {
		cumulative += h.counts[i]
		io.WriteString(w, h.name+`_bucket{le="`+strconv.FormatFloat(b, 'g', -1, 64)+`"} `+strconv.FormatInt(cumulative, 10)+"\n")
	}
	io.WriteString(w, h.name+`_bucket{le="+Inf"} `+strconv.FormatInt(h.count, 10)+"\n")
	io.WriteString(w, h.name+"_sum "+strconv.FormatFloat(h.sum, 'g', -1, 64)+"\n")
	io.WriteString(w, h.name+"_count "+strconv.FormatInt(h.count, 10)+"\n")
}

// writeHeader writes a family's HELP and TYPE lines.
func writeHeader(w io.Writer, name, help, kind string) {
	io.WriteString(w, "# HELP "+name+" "+help+"\n# TYPE "+name+" "+kind+"\n")
}
