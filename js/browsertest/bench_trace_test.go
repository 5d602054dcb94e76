package browsertest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvents are the V8 trace events of ossign's start-up that BenchmarkChromiumStartupTrace
// reports, summed over the load (in ms): the streaming decode and validation of the module,
// the compilation of functions on their first call while the Go runtime starts and signs
// (lazy compilation: each wasm.CompileLazy holds the wasm.CompileBaseline, Liftoff, of its
// function), optimizing compilation, and instantiation.
var traceEvents = []string{"wasm.OnBytesReceived", "wasm.ValidateFunctionsStreaming", "wasm.CompileBaseline",
	"wasm.FinishStreaming", "wasm.AddCompiledCode", "wasm.CompileLazy", "wasm.TopTierCompilation", "wasm.SyncInstantiate", "wasm.AsyncInstantiate"}

// traceInstants are instant events BenchmarkChromiumStartupTrace counts: Blink found a module
// in the code cache (v8.wasm.moduleCacheHit), V8 handed it a module to cache
// (v8.wasm.compiledModule).
var traceInstants = []string{"v8.wasm.moduleCacheHit", "v8.wasm.compiledModule"}

// BenchmarkChromiumStartupTrace records a Chromium trace (CDP Tracing: V8's wasm events) of
// the script build's start-up, cold and warm, median of 5 loads, and reports where the time
// goes between the response and the first signature. Run with -benchtime=1x.
func BenchmarkChromiumStartupTrace(b *testing.B) {
	for _, c := range []startupCondition{{name: "cold"}, {name: "warm", cache: true}} {
		if c.cache {
			startupLoad(b, "/c/pages/bench-ossign.html", c)
		}
		sums := map[string][]float64{} // event → one value per load
		for range 5 {
			for name, ms := range tracedLoad(b, "/c/pages/bench-ossign.html", c) {
				sums[name] = append(sums[name], ms)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			for _, name := range traceEvents {
				v := sums[name]
				if len(v) == 0 {
					continue
				}
				slices.Sort(v)
				b.ReportMetric(v[len(v)/2], "ms-"+strings.TrimPrefix(name, "wasm.")+"/ossign-script")
			}
			for _, name := range traceInstants {
				total := 0.0
				for _, n := range sums[name] {
					total += n
				}
				b.ReportMetric(total, strings.TrimPrefix(name, "v8.wasm.")+"-events/ossign-script")
			}
		})
	}
}

// tracedLoad loads path in a new tab under condition c while Chromium traces V8, and returns the
// total duration (ms) of each traceEvents event and the count of each traceInstants event.
func tracedLoad(b *testing.B, path string, c startupCondition) map[string]float64 {
	var mu sync.Mutex
	var events []jsonEvent
	done := make(chan struct{})
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			defer mu.Unlock()
			for _, v := range e.Value {
				raw, _ := json.Marshal(v)
				var je jsonEvent
				if json.Unmarshal(raw, &je) == nil {
					events = append(events, je)
				}
			}
		case *tracing.EventTracingComplete:
			close(done)
		}
	}))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	defer cancelTimeout()
	startTrace := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{
			IncludedCategories: []string{"v8.wasm", "disabled-by-default-v8.wasm.detailed", "disabled-by-default-devtools.timeline"}}})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, startupNet(c), startTrace, chromedp.Navigate(serverURL+path)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("window.ready === true")); err != nil {
		b.Fatal(err)
	}
	if err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, tracing.End, cdp.Empty{})
		return chromedp.Void{}, err
	}); err != nil {
		b.Fatal(err)
	}
	select {
	case <-done:
	case <-ctx.Done():
		b.Fatal("the trace never completed")
	}
	mu.Lock()
	defer mu.Unlock()
	sums := map[string]float64{}
	for _, e := range events {
		switch e.Phase {
		case "X":
			sums[e.Name] += e.Duration / 1000
		case "I", "i", "n":
			sums[e.Name]++
		}
	}
	return sums
}

// jsonEvent is the part of a Chrome trace event the benchmark reads.
type jsonEvent struct {
	Name     string  `json:"name"`
	Phase    string  `json:"ph"`
	Duration float64 `json:"dur"` // µs
}
