package browsertest

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// BenchmarkChromiumSigning measures µs per call in the shared headless Chromium: V4 and V1
// signatureUrl, signRequest V4 and postObjectFields V4 (and ossign's syscall/js path), next to
// ali-oss's equivalents (signatureUrlV4, signatureUrl, authorizationV4, signPostObjectPolicyV4).
// After 3 warm-up rounds (V8 first runs wasm functions as baseline code and optimizes the hot
// ones in the background: the first thousands of calls run partly unoptimized), 5 rounds of
// 4,000 calls per operation alternate between the two pages (20,000 calls each); each metric
// is the median round. Run with -benchtime=1x.
func BenchmarkChromiumSigning(b *testing.B) {
	const warmups, rounds, calls = 3, 5, 4000
	libs := []struct {
		name, path string
		ops        []string
	}{
		{"ossign", "/pages/bench-ossign.html", []string{"v4URL", "v1URL", "v4Header", "v4Post", "v4SyscallJS"}},
		{"ali-oss", "/pages/bench-alioss.html", []string{"v4URL", "v1URL", "v4Header", "v4Post"}},
	}
	tabs := make([]context.Context, len(libs))
	for i, l := range libs {
		tabs[i] = openPageFor(b, l.path, 10*time.Minute)
		for range warmups { // engine tier-up, the Go heap growing to size
			for _, op := range l.ops {
				evalJSON[float64](b, tabs[i], "return bench('"+op+"', "+strconv.Itoa(calls)+");")
			}
		}
	}
	results := map[string][]float64{}
	for range rounds {
		for i, l := range libs {
			for _, op := range l.ops {
				us := evalJSON[float64](b, tabs[i], "return bench('"+op+"', "+strconv.Itoa(calls)+");")
				results[l.name+"/"+op] = append(results[l.name+"/"+op], us)
			}
		}
	}
	for _, l := range libs {
		b.Run(l.name, func(b *testing.B) {
			for _, op := range l.ops {
				r := results[l.name+"/"+op]
				slices.Sort(r)
				b.ReportMetric(r[len(r)/2], "µs/"+op)
			}
		})
	}
}

// startupCondition is how a start-up load reaches the server.
type startupCondition struct {
	name string
	// cache is whether the HTTP cache (and V8's code cache) may serve the load.
	cache bool
	// kbps and latency throttle the link through CDP network emulation (0: none).
	kbps    float64
	latency time.Duration
}

// BenchmarkChromiumStartup measures navigation → first signed URL for ossign's script build,
// its ES module (preload() at the top) and ali-oss 6.23's browser build, served as a production
// static server would (precompressed brotli, Cache-Control max-age): cold (no HTTP cache), warm
// (HTTP cache, after one priming load), and cold on throttled links (10 Mbit/s with 40 ms, 1.6
// Mbit/s with 150 ms). Median of 11 loads per cell, the libraries interleaved; cold loads also
// report the bytes on the wire. Run with -benchtime=1x.
func BenchmarkChromiumStartup(b *testing.B) {
	const loads = 11
	pages := []struct{ name, path string }{
		{"ossign-script", "/c/pages/bench-ossign.html"},
		{"ossign-early", "/c/pages/bench-early.html"},
		{"ossign-esm", "/c/pages/bench-esm.html"},
		{"ali-oss", "/c/pages/bench-alioss.html"},
	}
	conditions := []startupCondition{
		{name: "cold"},
		{name: "warm", cache: true},
		{name: "10Mbit-40ms", kbps: 10000, latency: 40 * time.Millisecond},
		{name: "1.6Mbit-150ms", kbps: 1600, latency: 150 * time.Millisecond},
	}
	for _, c := range conditions {
		samples := map[string][]float64{} // page + "/" + what → values
		if c.cache {
			for _, p := range pages {
				startupLoad(b, p.path, c) // primes the cache
			}
		}
		for range loads {
			for _, p := range pages {
				for what, v := range startupLoad(b, p.path, c) {
					samples[p.name+"/"+what] = append(samples[p.name+"/"+what], v)
				}
			}
		}
		b.Run(c.name, func(b *testing.B) {
			for _, p := range pages {
				for _, what := range startupFigures {
					v := samples[p.name+"/"+what.field]
					if len(v) == 0 || what.field == "wire" && (c.cache || c.kbps != 0) {
						continue
					}
					slices.Sort(v)
					b.ReportMetric(v[len(v)/2]/what.scale, what.unit+p.name)
				}
			}
		})
	}
}

// startupFigures are what startupLoad measures: time to the first signature, bytes on the
// wire, and the phases of ossign's start-up from its performance marks (js/src/wasm.js).
var startupFigures = []struct {
	field, unit string
	scale       float64
}{
	{"first", "ms/", 1},
	{"wire", "kB-on-wire/", 1000},
	{"toLoad", "ms-until-load-starts/", 1},
	{"fetch", "ms-fetching/", 1},
	{"compile", "ms-compiling/", 1},
	{"instantiate", "ms-instantiating/", 1},
	{"goStart", "ms-starting-Go/", 1},
	{"toSignature", "ms-ready-to-signature/", 1},
}

// startupLoad opens path in a new tab under condition c and returns the page's time to its
// first signature (ms after navigation start), the bytes it received (transferSize) and, for
// ossign, the time between its start-up marks.
func startupLoad(b *testing.B, path string, c startupCondition) map[string]float64 {
	ctx := openPageFor(b, path, 2*time.Minute, startupNet(c))
	return evalJSON[map[string]float64](b, ctx, `
		const at = (name) => performance.getEntriesByName('ossign:' + name)[0]?.startTime;
		const out = { first: window.firstSignatureMs,
			wire: performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + e.transferSize, 0) };
		if (at('ready') !== undefined) Object.assign(out, { toLoad: at('load'), fetch: at('response') - at('load'),
			compile: at('compiled') - at('response'), instantiate: at('instantiated') - at('compiled'),
			goStart: at('ready') - at('instantiated'), toSignature: window.firstSignatureMs - at('ready') });
		return out;`)
}

// startupNet sets a tab's HTTP cache and link as condition c says, before it navigates.
func startupNet(c startupCondition) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: !c.cache}); err != nil {
			return chromedp.Void{}, err
		}
		if c.kbps == 0 {
			return chromedp.Void{}, nil
		}
		bytesPerSecond := c.kbps * 1000 / 8
		_, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Latency: float64(c.latency.Milliseconds()), DownloadThroughput: bytesPerSecond, UploadThroughput: bytesPerSecond,
			}},
		})
		return chromedp.Void{}, err
	}
}
