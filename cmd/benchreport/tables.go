package main

import (
	"strconv"
	"strings"
)

// table is one subject of the report: rows of figures with the reference measured in the same
// run, and the bars of its chart.
type table struct {
	id, title, note string
	header          []string
	rows            [][]string
	// chartUnit names what the bars measure; a bar whose ref is set is a reference figure.
	chartUnit string
	bars      []bar
}

// bar is one bar of a chart.
type bar struct {
	label string
	value float64
	ref   bool
}

// chartFile is the name of the table's chart.
func (t table) chartFile() string { return t.id + ".svg" }

// figure formats a measured value with a sensible number of digits, or "–" when missing.
func figure(v float64, ok bool) string {
	switch {
	case !ok:
		return "–"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// count formats a number of events, or "–" when missing.
func count(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// ratio formats a/b as "1.23×", or "–".
func ratio(a float64, aok bool, b float64, bok bool) string {
	if !aok || !bok || b == 0 {
		return "–"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64) + "×"
}

// buildTables turns the results into the report's tables, in order.
func buildTables(r results) []table {
	return []table{
		startupTable(r), startupPhasesTable(r), startupTraceTable(r), thumbnailsTable(r),
		signingTable(r), sdkTable(r), runtimesTable(r), wasmTable(r), scaleTable(r),
		transferTable(r), completeTable(r), crcTable(r), vendingTable(r), sizeTable(r),
	}
}

var (
	startupConditions = []struct{ id, label string }{
		{"cold", "cold (no HTTP cache), loopback"},
		{"warm", "warm (HTTP cache), loopback"},
		{"10Mbit-40ms", "cold, 10 Mbit/s, 40 ms"},
		{"1.6Mbit-150ms", "cold, 1.6 Mbit/s, 150 ms"},
	}
	startupPages = []struct{ id, label string }{
		{"ossign-script", "ossign script tag"},
		{"ossign-early", "ossign, compiled from the head"},
		{"ossign-esm", "ossign ES module"},
	}
)

func startupTable(r results) table {
	t := table{
		id: "startup", title: "Start-up: navigation → first signed URL (ms)", chartUnit: "ms",
		note: "Median of 11 loads per cell, the pages interleaved, served precompressed (brotli) with Cache-Control max-age. " +
			"Each ossign cell gives its ratio to ali-oss 6.23 (`dist/aliyun-oss-sdk.min.js`) in the same run; lower is better. " +
			"Pages: `js/browsertest/testdata/bench-*.html`.",
		header: []string{"condition"},
	}
	for _, p := range startupPages {
		t.header = append(t.header, p.label)
	}
	t.header = append(t.header, "ali-oss")
	for _, c := range startupConditions {
		bench := "BenchmarkChromiumStartup/" + c.id
		ali, aok := r.get(bench, "ms/ali-oss")
		row := []string{c.label}
		for _, p := range startupPages {
			v, ok := r.get(bench, "ms/"+p.id)
			row = append(row, figure(v, ok)+" ("+ratio(v, ok, ali, aok)+")")
			if ok {
				t.bars = append(t.bars, bar{label: c.id + " · " + p.label, value: v})
			}
		}
		t.rows = append(t.rows, append(row, figure(ali, aok)))
		if aok {
			t.bars = append(t.bars, bar{label: c.id + " · ali-oss", value: ali, ref: true})
		}
	}
	row := []string{"bytes on the wire (kB, cold)"}
	for _, p := range append(startupPages, struct{ id, label string }{"ali-oss", ""}) {
		v, ok := r.get("BenchmarkChromiumStartup/cold", "kB-on-wire/"+p.id)
		row = append(row, figure(v, ok))
	}
	t.rows = append(t.rows, row)
	return t
}

// thumbnailsTable is BenchmarkChromiumThumbnails: a page of 50 private thumbnails, each way
// next to ali-oss in the same run, with objects no load may reuse and objects a browser may keep.
func thumbnailsTable(r results) table {
	const bench = "BenchmarkChromiumThumbnails"
	ways := []struct{ id, label string }{
		{"ossign-sw", "ossign's Service Worker, running: the page loads no signing code"},
		{"ossign-sw-restarted", "ossign's Service Worker, stopped before the load"},
		{"ossign-page", "ossign in the page (script build, 50 `signatureUrl`)"},
		{"ali-oss", "ali-oss 6.23 in the page (50 `signatureUrl`)"},
		{"public", "public objects at plain URLs (no credentials, no signing: the floor)"},
	}
	t := table{
		id: "thumbnails", title: "A page of 50 private thumbnails: navigation → every image loaded (ms)", chartUnit: "ms (no-store)",
		note: "50 JPEGs of ~5 KB from the emulator, warm HTTP cache for scripts and module, median of 11 loads per way, the ways " +
			"interleaved, each round in another order (`BenchmarkChromiumThumbnails`, pages `js/browsertest/testdata/bench-thumbs-*.html`). Each page fetches " +
			"credentials from the vending route; the worker holds them. *no-store*: objects with `Cache-Control: no-store`, so " +
			"no load reuses another's images. *cacheable*: `private, max-age=3600`, measured with the worker running throughout: " +
			"it signs the same URL for an object for 5 minutes, so the HTTP cache answers, while URLs signed in the page change " +
			"at every load. Ratios to ali-oss in the same column; lower is better.",
		header: []string{"way", "no-store", "cacheable"},
	}
	ali, aok := r.get(bench, "ms/ali-oss")
	aliCached, acok := r.get(bench, "ms/ali-oss-cacheable")
	for _, w := range ways {
		v, ok := r.get(bench, "ms/"+w.id)
		row := []string{w.label, figure(v, ok) + " (" + ratio(v, ok, ali, aok) + ")", ""}
		if c, cok := r.get(bench, "ms/"+w.id+"-cacheable"); cok {
			row[2] = figure(c, cok) + " (" + ratio(c, cok, aliCached, acok) + ")"
		}
		t.rows = append(t.rows, row)
		if ok {
			t.bars = append(t.bars, bar{label: w.id, value: v, ref: w.id == "ali-oss"})
		}
	}
	return t
}

func startupPhasesTable(r results) table {
	phases := []struct{ unit, label string }{
		{"ms-until-load-starts/", "navigation → loading starts"},
		{"ms-fetching/", "fetch ossign.wasm (to the response)"},
		{"ms-compiling/", "compile (streaming, from the response)"},
		{"ms-instantiating/", "instantiate"},
		{"ms-starting-Go/", "Go runtime start, package init, main"},
		{"ms-ready-to-signature/", "createClient → first signature"},
	}
	t := table{
		id: "startup-phases", title: "Start-up phases of the script build (ms)", chartUnit: "ms (warm)",
		note:   "From ossign's performance marks (`ossign:load`, `response`, `compiled`, `instantiated`, `ready`), medians of the loads above.",
		header: []string{"phase"},
	}
	for _, c := range startupConditions {
		t.header = append(t.header, c.id)
	}
	for _, p := range phases {
		row := []string{p.label}
		for _, c := range startupConditions {
			v, ok := r.get("BenchmarkChromiumStartup/"+c.id, p.unit+"ossign-script")
			row = append(row, figure(v, ok))
			if ok && c.id == "warm" {
				t.bars = append(t.bars, bar{label: p.label, value: v})
			}
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func startupTraceTable(r results) table {
	events := []struct{ id, label string }{
		{"OnBytesReceived", "decode bytes as they arrive"},
		{"ValidateFunctionsStreaming", "validate functions"},
		{"FinishStreaming", "finish streaming compilation"},
		{"AsyncInstantiate", "instantiate"},
		{"CompileLazy", "compile functions on their first call (runtime start, first signature)"},
		{"CompileBaseline", "… of which Liftoff code generation"},
		{"AddCompiledCode", "… of which installing the code"},
		{"TopTierCompilation", "optimizing (TurboFan) compilation"},
	}
	t := table{
		id: "startup-trace", title: "Where V8 spends the start-up (ms, Chromium trace)", chartUnit: "ms (warm)",
		note: "CDP Tracing of the script build's load (categories v8.wasm, disabled-by-default-v8.wasm.detailed and " +
			"disabled-by-default-devtools.timeline), event durations summed per load, median of 5 loads " +
			"(`BenchmarkChromiumStartupTrace`); the last two rows count events over the 5 loads. V8 compiles lazily: each function " +
			"is compiled (Liftoff) on its first call, so the rows marked \"of which\" are inside the row above them. Chromium " +
			"caches a compiled module only after streaming compilation of an http(s) response with Content-Type application/wasm, " +
			"and only when V8 asks it to: once at least 1,000 bytes of optimized (TurboFan) code exist and no more has been compiled " +
			"for 2 s (`--wasm-caching-threshold`, `--wasm-caching-timeout-ms`; at once from 1 MB, `--wasm-caching-hard-threshold`). " +
			"A load that starts the module and signs once optimizes no function, so it leaves nothing to cache and the next warm " +
			"load compiles again (in this headless Chromium not even a page that signed 20,000 URLs, optimizing ~55 functions, " +
			"and stayed open 9 s had its module cached).",
		header: []string{"V8 event", "cold", "warm"},
	}
	for _, e := range events {
		cold, cok := r.get("BenchmarkChromiumStartupTrace/cold", "ms-"+e.id+"/ossign-script")
		warm, wok := r.get("BenchmarkChromiumStartupTrace/warm", "ms-"+e.id+"/ossign-script")
		t.rows = append(t.rows, []string{e.label + " (`wasm." + e.id + "`)", figure(cold, cok), figure(warm, wok)})
		if wok && !strings.HasPrefix(e.label, "…") {
			t.bars = append(t.bars, bar{label: e.id, value: warm})
		}
	}
	for _, e := range []struct{ id, label string }{
		{"moduleCacheHit", "module found in the code cache (`v8.wasm.moduleCacheHit`, events in 5 loads)"},
		{"compiledModule", "module handed to the code cache (`v8.wasm.compiledModule`, events in 5 loads)"},
	} {
		cold, cok := r.get("BenchmarkChromiumStartupTrace/cold", e.id+"-events/ossign-script")
		warm, wok := r.get("BenchmarkChromiumStartupTrace/warm", e.id+"-events/ossign-script")
		t.rows = append(t.rows, []string{e.label, count(cold, cok), count(warm, wok)})
	}
	return t
}

func signingTable(r results) table {
	ops := []struct{ id, label string }{
		{"v4URL", "V4 `signatureUrl` / `signatureUrlV4`"},
		{"v1URL", "V1 `signatureUrl`"},
		{"v4Header", "V4 `signRequest` / `authorizationV4`"},
		{"v4Post", "V4 `postObjectFields` / `signPostObjectPolicyV4`"},
	}
	t := table{
		id: "signing", title: "Signing in Chromium (µs per call)", chartUnit: "µs per call",
		note: "20,000 calls per operation after 3 warm-up rounds (V8 optimizes the hot wasm and JS functions in the " +
			"background; the first thousands of calls run partly on baseline code), in 5 rounds alternating between the two " +
			"pages; medians. " +
			"ossign's figure is the whole JS call (fast path into the wasm); ali-oss's the equivalent call of its browser build.",
		header: []string{"operation", "ossign", "ali-oss", "ossign is"},
	}
	for _, op := range ops {
		o, ook := r.get("BenchmarkChromiumSigning/ossign", "µs/"+op.id)
		a, aok := r.get("BenchmarkChromiumSigning/ali-oss", "µs/"+op.id)
		t.rows = append(t.rows, []string{op.label, figure(o, ook), figure(a, aok), fasterBy(a, aok, o, ook)})
		if ook && aok {
			t.bars = append(t.bars, bar{label: op.id + " · ossign", value: o}, bar{label: op.id + " · ali-oss", value: a, ref: true})
		}
	}
	s, ok := r.get("BenchmarkChromiumSigning/ossign", "µs/v4SyscallJS")
	t.rows = append(t.rows, []string{"V4 URL through syscall/js (the path for inputs with NUL)", figure(s, ok), "", ""})
	return t
}

// fasterBy says how many times faster the first (slower) figure is than the second.
func fasterBy(slow float64, sok bool, fast float64, fok bool) string {
	if !sok || !fok || fast == 0 {
		return "–"
	}
	return strconv.FormatFloat(slow/fast, 'f', 1, 64) + "× faster"
}

func sdkTable(r results) table {
	t := table{
		id: "go-sdk", title: "Go, native: ossign's signer and the official Go SDK v2's (ns per call)", chartUnit: "ns per call",
		note: "The same upload request (STS credentials, a Content-Type); the SDK as its client signs: an http.Request, a " +
			"SigningContext, Sign (`BenchmarkOfficialSDK`, `go test -bench`).",
		header: []string{"operation", "ossign", "allocs", "Go SDK v2", "allocs", "ossign is"},
	}
	for _, form := range []string{"presign", "header"} {
		o, ook := r.get("BenchmarkOfficialSDK/ossign-V4-"+form, "ns/op")
		oa, _ := r.get("BenchmarkOfficialSDK/ossign-V4-"+form, "allocs/op")
		s, sok := r.get("BenchmarkOfficialSDK/sdk-V4-"+form, "ns/op")
		sa, _ := r.get("BenchmarkOfficialSDK/sdk-V4-"+form, "allocs/op")
		t.rows = append(t.rows, []string{"V4 " + form, figure(o, ook), figure(oa, ook), figure(s, sok), figure(sa, sok), fasterBy(s, sok, o, ook)})
		if ook && sok {
			t.bars = append(t.bars, bar{label: form + " · ossign", value: o}, bar{label: form + " · Go SDK v2", value: s, ref: true})
		}
	}
	return t
}

// serverRuntimes are the rows of runtimesTable: the sub-benchmark of BenchmarkRuntimes and the label.
var serverRuntimes = []struct{ id, label string }{
	{"node-esm", "Node"}, {"deno", "Deno"}, {"bun", "Bun"}, {"workerd", "workerd"},
}

func runtimesTable(r results) table {
	const bench = "BenchmarkRuntimes/"
	ali, aok := r.get(bench+"ali-oss-node", "µs/v4URL")
	aliCold, acok := r.get(bench+"ali-oss-node", "ms-cold")
	t := table{
		id: "runtimes", title: "Server runtimes: V4 presigned URL and cold start", chartUnit: "µs per V4 URL",
		note: "The npm package as each runtime imports it (`BenchmarkRuntimes`, `js/runtimetest`): a V4 presigned PUT URL with a " +
			"signed Content-Type and STS credentials (`signatureUrl`; ali-oss: `await signatureUrlV4`), median of 5 rounds of " +
			"20,000 calls (ali-oss 5,000) after a warm-up round. workerd's clocks stand still while a request computes: its figure is " +
			"(a request signing 20,000 URLs − an empty one) / 20,000, timed from outside. Cold start: import → first signed URL in a " +
			"fresh process, median of 7; workerd: process start → first signed URL, less the same for a worker without ossign. " +
			"ali-oss runs in Node only: it needs Node's built-ins and **does not run on workerd** (nor is it measured in Deno or " +
			"Bun), so every runtime is compared with ali-oss in Node. The keys change from call to call and the options do not, " +
			"as when a page signs the URLs of a list of objects. Goal: at least 5× faster than ali-oss per V4 URL.",
		header: []string{"runtime", "ossign µs per V4 URL", "ali-oss µs per V4 URL", "ossign is", "cold start ossign (ms)", "cold start ali-oss (ms)"},
	}
	for _, rt := range serverRuntimes {
		o, ook := r.get(bench+rt.id, "µs/v4URL")
		cold, cok := r.get(bench+rt.id, "ms-cold")
		aliCell, aliColdCell := figure(ali, aok), figure(aliCold, acok)
		switch rt.id {
		case "workerd":
			aliCell, aliColdCell = "does not run on workerd (Node: "+aliCell+")", "does not run"
		case "deno", "bun":
			aliCell = "(Node: " + aliCell + ")"
			aliColdCell = "(Node: " + aliColdCell + ")"
		}
		t.rows = append(t.rows, []string{rt.label, figure(o, ook), aliCell, fasterBy(ali, aok, o, ook), figure(cold, cok), aliColdCell})
		if ook {
			t.bars = append(t.bars, bar{label: rt.label + " · ossign", value: o})
		}
	}
	if aok {
		t.bars = append(t.bars, bar{label: "Node · ali-oss", value: ali, ref: true})
	}
	return t
}

func wasmTable(r results) table {
	t := table{
		id: "wasm", title: "The Go signer, native and compiled to wasm (ns per call)", chartUnit: "ns per call",
		note: "The same benchmarks (`signer/bench_test.go`) natively and as wasm under Node (the build's own pure-Go SHA-256/HMAC). " +
			"AppendPresignedURLV4 is the URL alone into a reused buffer, as the JS client's `signatureUrl` signs: keys one after " +
			"another with the same options (the Signer's last request fits: only the key is encoded, hashed and signed), or " +
			"another Content-Type on every call.",
		header: []string{"benchmark", "native", "wasm (Node)", "wasm / native"},
	}
	for _, b := range []string{"PresignV4", "AppendPresignedURLV4/same-options", "AppendPresignedURLV4/other-options", "PresignV1", "SignHeaderV4", "PostPolicyV4"} {
		n, nok := r.get("Benchmark"+b, "ns/op")
		w, wok := r.get("wasm:Benchmark"+b, "ns/op")
		t.rows = append(t.rows, []string{b, figure(n, nok), figure(w, wok), ratio(w, wok, n, nok)})
		if nok && wok {
			t.bars = append(t.bars, bar{label: b + " · wasm", value: w}, bar{label: b + " · native", value: n, ref: true})
		}
	}
	return t
}

func scaleTable(r results) table {
	t := table{
		id: "scale", title: "Cost against the size of the request (V4 presign, native, ns per call)", chartUnit: "ns per call",
		note: "`BenchmarkScale`: the growth per added header, query parameter or key byte stays the same from 10 to 100 (1,000 " +
			"for key bytes): the cost is linear.",
		header: []string{"request", "1 / 10 B", "10 / 100 B", "100 / 1,000 B", "per item, first step", "per item, second step"},
	}
	for _, s := range []struct{ id, label string }{{"headers", "signed headers"}, {"query", "query parameters"}, {"key-bytes", "key bytes"}} {
		steps := []string{"1", "10", "100"}
		if s.id == "key-bytes" {
			steps = []string{"10", "100", "1000"}
		}
		var v [3]float64
		var ok [3]bool
		row := []string{s.label}
		for i, n := range steps {
			v[i], ok[i] = r.get("BenchmarkScale/"+s.id+"="+n, "ns/op")
			row = append(row, figure(v[i], ok[i]))
			if ok[i] {
				t.bars = append(t.bars, bar{label: s.id + "=" + n, value: v[i]})
			}
		}
		n0, _ := strconv.ParseFloat(steps[0], 64)
		n1, _ := strconv.ParseFloat(steps[1], 64)
		n2, _ := strconv.ParseFloat(steps[2], 64)
		row = append(row, figure((v[1]-v[0])/(n1-n0), ok[0] && ok[1]), figure((v[2]-v[1])/(n2-n1), ok[1] && ok[2]))
		t.rows = append(t.rows, row)
	}
	return t
}

func transferTable(r results) table {
	const bench = "BenchmarkChromiumTransfers"
	runs := []struct{ id, label string }{
		{"fetch-PUT", "bare `fetch` PUT of a presigned URL (the ceiling)"},
		{"fetch-multipart", "bare `fetch` multipart, same parts (the server's side of multipart)"},
		{"ossign-put", "ossign `put` (XHR, progress, CRC-64 checked)"},
		{"ossign-multipart", "ossign `multipartUpload` (8 MiB × 4, progress, CRC-64 per part and whole)"},
		{"ossign-multipart-nocrc", "ossign `multipartUpload`, `crc64: false` (the same without reading the bytes in the page)"},
		{"ali-oss-multipart", "ali-oss `multipartUpload` (8 MiB × 4)"},
	}
	ceiling, cok := r.get(bench, "MB/s-fetch-PUT")
	bare, bok := r.get(bench, "MB/s-fetch-multipart")
	t := table{
		id: "transfers", title: "Uploads from Chromium to the emulator, 64 MB (MB/s)", chartUnit: "MB/s",
		note: "A 64 MB file on disk, picked through a file input as a user picks one, sent over loopback to `ossign emulate`'s " +
			"engine (which stores and hashes every part, syncs the parts when it completes the upload and completes it by " +
			"linking their files: see the next table); median of 3 interleaved rounds in rotating order, a second apart; " +
			"higher is better. " +
			"The browser and the emulator share the machine's cores, so the page's CRC-64 check (every byte read from " +
			"the Blob and hashed once more) costs throughput: compare the `crc64: false` row.",
		header: []string{"upload", "MB/s", "of the fetch PUT", "of the bare fetch multipart"},
	}
	for _, run := range runs {
		v, ok := r.get(bench, "MB/s-"+run.id)
		ofBare := "–"
		if strings.Contains(run.id, "multipart") && run.id != "fetch-multipart" {
			ofBare = ratio(v, ok, bare, bok)
		}
		t.rows = append(t.rows, []string{run.label, figure(v, ok), ratio(v, ok, ceiling, cok), ofBare})
		if ok {
			t.bars = append(t.bars, bar{label: run.id, value: v, ref: !strings.HasPrefix(run.id, "ossign")})
		}
	}
	return t
}

func completeTable(r results) table {
	t := table{
		id: "complete", title: "CompleteMultipartUpload in the emulator (ms)", chartUnit: "ms",
		note: "The call alone, through the official Go SDK over loopback (the parts uploaded beforehand and flushed, as " +
			"the emulator flushes each part in the background once it is stored), 5 completions per run, median of 3 " +
			"runs in separate processes (`BenchmarkCompleteMultipartUpload`): the object keeps the parts' files, " +
			"linked, so the time follows the number of parts, not the bytes.",
		header: []string{"parts", "object", "ms per completion"},
	}
	for _, c := range []struct{ parts, mib string }{{"8", "64"}, {"64", "64"}, {"8", "8"}} {
		v, ok := r.get("BenchmarkCompleteMultipartUpload/parts="+c.parts+"/MiB="+c.mib, "ns/op")
		t.rows = append(t.rows, []string{c.parts, c.mib + " MiB", figure(v/1e6, ok)})
		if ok {
			t.bars = append(t.bars, bar{label: c.parts + " parts, " + c.mib + " MiB", value: v / 1e6})
		}
	}
	return t
}

func crcTable(r results) table {
	native, nok := r.get("BenchmarkCRC64", "MB/s")
	t := table{
		id: "crc64", title: "CRC-64 (x-oss-hash-crc64ecma), MB/s", chartUnit: "MB/s",
		note:   "Go's hash/crc64 natively and compiled into ossign.wasm; in Chromium from memory and read from a 64 MB Blob's stream.",
		header: []string{"where", "MB/s", "of native"},
	}
	for _, c := range []struct{ bench, unit, label string }{
		{"BenchmarkCRC64", "MB/s", "Go, native"},
		{"wasm:BenchmarkCRC64", "MB/s", "wasm, Node"},
		{"BenchmarkChromiumTransfers", "MB/s-crc64-wasm", "wasm, Chromium, from memory"},
		{"BenchmarkChromiumTransfers", "MB/s-crc64-wasm-from-Blob", "wasm, Chromium, from a Blob (`client.crc64`)"},
	} {
		v, ok := r.get(c.bench, c.unit)
		t.rows = append(t.rows, []string{c.label, figure(v, ok), ratio(v, ok, native, nok)})
		if ok {
			t.bars = append(t.bars, bar{label: c.label, value: v, ref: c.label == "Go, native"})
		}
	}
	return t
}

func vendingTable(r results) table {
	t := table{
		id: "vending", title: "Vending: GET /sts at cache hit", chartUnit: "requests/s",
		note: "JWT check, CORS, rate limits and the JSON answer over loopback keep-alive connections, 20,000 requests per row, " +
			"the load generator (and Redis) sharing the 2 cores (`BenchmarkVendingCacheHit`, `BenchmarkVendingCacheHitRedis`: " +
			"three instances sharing one redis-server, requests round-robin). STS calls per 1,000 requests counts the one " +
			"AssumeRole of the whole run.",
		header: []string{"clients", "1 instance, in memory: req/s", "p50 / p99 (µs)", "3 instances + Redis: req/s", "p50 / p99 (µs)", "Redis / memory", "STS calls per 1,000 requests"},
	}
	for _, c := range []string{"1", "8", "32"} {
		mem, redis := "BenchmarkVendingCacheHit/clients="+c, "BenchmarkVendingCacheHitRedis/instances=3/clients="+c
		m, mok := r.get(mem, "req/s")
		rd, rok := r.get(redis, "req/s")
		sts, sok := r.get(mem, "sts-calls/1000-requests")
		t.rows = append(t.rows, []string{c, figure(m, mok), latencies(r, mem), figure(rd, rok), latencies(r, redis), ratio(rd, rok, m, mok), figure(sts, sok)})
		if mok {
			t.bars = append(t.bars, bar{label: c + " clients · memory", value: m})
		}
		if rok {
			t.bars = append(t.bars, bar{label: c + " clients · 3 instances + Redis", value: rd})
		}
	}
	return t
}

// latencies formats a benchmark's p50 and p99.
func latencies(r results, bench string) string {
	p50, ok := r.get(bench, "p50-µs")
	p99, _ := r.get(bench, "p99-µs")
	return figure(p50, ok) + " / " + figure(p99, ok)
}

// sizedFiles are the files whose download sizes the report gives, under their names in results.
var sizedFiles = []struct{ name, path string }{
	{"ossign.wasm", "dist/ossign.wasm"},
	{"ossign.min.js", "dist/ossign.min.js"},
	{"ossign.mjs", "dist/ossign.mjs"},
	{"aliyun-oss-sdk.min.js (ali-oss)", "js/node_modules/ali-oss/dist/aliyun-oss-sdk.min.js"},
}

func sizeTable(r results) table {
	t := table{
		id: "sizes", title: "Download sizes (bytes)", chartUnit: "kB, brotli -q 11",
		note: "What a page downloads: ossign's script or module plus ossign.wasm, next to ali-oss's browser build, raw and " +
			"compressed at the highest levels (the .br and .gz files `./build.sh build` writes). `go run ./cmd/bundle -size-report` " +
			"breaks ossign.wasm down by Go package.",
		header: []string{"file", "raw", "gzip -9", "brotli -q 11"},
	}
	for _, f := range sizedFiles {
		raw, ok := r.get("Size/"+f.name, "raw")
		gz, _ := r.get("Size/"+f.name, "gzip")
		br, _ := r.get("Size/"+f.name, "brotli")
		t.rows = append(t.rows, []string{f.name, figure(raw, ok), figure(gz, ok), figure(br, ok)})
		if ok {
			t.bars = append(t.bars, bar{label: f.name, value: br / 1000, ref: strings.Contains(f.name, "ali-oss")})
		}
	}
	return t
}
