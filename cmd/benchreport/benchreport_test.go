package main

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkOfficialSDK/ossign-V4-presign-2         	  372861	      3784 ns/op	    2048 B/op	      15 allocs/op
BenchmarkOfficialSDK/sdk-V4-presign-2            	   64507	     18456 ns/op	   10065 B/op	     118 allocs/op
BenchmarkChromiumSigning/ossign-2         	       1	      5929 ns/op	        17.40 µs/v1URL	        21.80 µs/v4URL
BenchmarkChromiumSigning/ali-oss-2        	       1	      2583 ns/op	        27.33 µs/v1URL	       145.8 µs/v4URL
PASS
`

// TestParseAndRender parses `go test -bench` output, builds the tables from it (missing figures
// shown as "–"), and renders Markdown and charts that are well-formed SVG.
func TestParseAndRender(t *testing.T) {
	r := results{}
	require.NoError(t, parseBench(strings.NewReader(sample), "", r))
	v, ok := r.get("BenchmarkOfficialSDK/sdk-V4-presign", "ns/op")
	require.True(t, ok, "the -GOMAXPROCS suffix is dropped")
	assert.Equal(t, 18456.0, v)
	assert.Equal(t, []float64{27.33}, r["BenchmarkChromiumSigning/ali-oss"]["µs/v1URL"])
	require.NoError(t, parseBench(strings.NewReader("BenchmarkScale/query=1-2  10  900 ns/op\nBenchmarkScale/query=1-2  10  100 ns/op\n"), "", r))
	median, _ := r.get("BenchmarkScale/query=1", "ns/op")
	assert.Equal(t, 900.0, median, "the median of the runs (-count)")

	tables := buildTables(r)
	signing := tables[3]
	require.Equal(t, "signing", signing.id)
	assert.Equal(t, []string{"V4 `signatureUrl` / `signatureUrlV4`", "21.8", "146", "6.7× faster"}, signing.rows[0])
	assert.Equal(t, "–", signing.rows[2][1], "an operation not measured")
	sdk := tables[4]
	assert.Equal(t, []string{"V4 presign", "3784", "15.0", "18456", "118", "4.9× faster"}, sdk.rows[0])

	md := string(renderMarkdown(machine{}, tables, "docs/benchmarks"))
	assert.Contains(t, md, "| V4 `signatureUrl` / `signatureUrlV4` | 21.8 | 146 | 6.7× faster |")
	assert.Contains(t, md, "![Signing in Chromium (µs per call)](docs/benchmarks/signing.svg)")
	for _, tb := range tables {
		assert.NoError(t, xml.Unmarshal(chartSVG(tb), new(struct{})), "%s.svg is well-formed", tb.id)
	}
}

// TestMultipartTables builds the uploads table (each multipart run next to the bare fetch PUT
// and the bare fetch multipart) and the CompleteMultipartUpload table (ns/op shown in ms).
func TestMultipartTables(t *testing.T) {
	r := results{}
	require.NoError(t, parseBench(strings.NewReader(`
BenchmarkCompleteMultipartUpload/parts=8/MiB=64-2   5   3845260 ns/op
BenchmarkCompleteMultipartUpload/parts=64/MiB=64-2  5  12432614 ns/op
BenchmarkChromiumTransfers-2  1  22809950453 ns/op  200 MB/s-fetch-PUT  210 MB/s-fetch-multipart  190 MB/s-ossign-multipart  150 MB/s-ossign-put
`), "", r))
	var transfers, complete table
	for _, tb := range buildTables(r) {
		switch tb.id {
		case "transfers":
			transfers = tb
		case "complete":
			complete = tb
		}
	}
	assert.Equal(t, []string{"bare `fetch` multipart, same parts (the server's side of multipart)", "210", "1.05×", "–"}, transfers.rows[1])
	assert.Equal(t, []string{"ossign `multipartUpload` (8 MiB × 4, progress, CRC-64 per part and whole)", "190", "0.95×", "0.90×"}, transfers.rows[3])
	assert.Equal(t, []string{"8", "64 MiB", "3.85"}, complete.rows[0])
	assert.Equal(t, []string{"64", "64 MiB", "12.4"}, complete.rows[1])
	assert.Equal(t, []string{"8", "8 MiB", "–"}, complete.rows[2], "not measured")
}
