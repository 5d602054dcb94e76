package browsertest

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// BenchmarkChromium measures in the shared headless Chromium, on loopback with the HTTP cache
// disabled: the time from navigation start to the first signature (median of 5 loads), and µs
// per V4/V1 signatureUrl on the wasmexport fast path and on the syscall/js path, next to
// ali-oss's browser build. Each figure is measured once per run and reported as a metric; run
// with -benchtime=1x (./build.sh bench does).
func BenchmarkChromium(b *testing.B) {
	pages := []struct {
		name, path, bench string
		metrics           map[string]string // result field → metric unit
	}{
		{"ossign", "/pages/bench-ossign.html", "bench(20000)", map[string]string{
			"v4FastPath": "µs/v4-call", "v4SyscallJS": "µs/v4-syscall/js-call", "v1FastPath": "µs/v1-call"}},
		{"ali-oss", "/pages/bench-alioss.html", "bench(2000)", map[string]string{
			"v4": "µs/v4-call", "v1": "µs/v1-call"}},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			first, ctx := firstSignature(b, p.path)
			b.ReportMetric(first, "ms-to-first-signature")
			got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](p.bench, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatal(err)
			}
			for field, unit := range p.metrics {
				b.ReportMetric(got[field], unit)
			}
		})
	}
}

// firstSignature loads path five times without the HTTP cache and returns the median time to
// the page's first signature, with the last tab.
func firstSignature(b *testing.B, path string) (float64, context.Context) {
	var times []float64
	var ctx context.Context
	for range 5 {
		ctx = openPage(b, path, noCache)
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("window.firstSignatureMs"))
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, ms)
	}
	slices.Sort(times)
	return times[len(times)/2], ctx
}

// noCache turns the tab's HTTP cache off, so every load fetches and compiles the module.
func noCache(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
		return chromedp.Void{}, err
	}
	_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	return chromedp.Void{}, err
}
