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
BenchmarkRuntimes/ali-oss-node-2         	       1	2345595351 ns/op	       105.1 ms-cold	        28.66 µs/v4URL
BenchmarkRuntimes/node-esm-2             	       1	3631627040 ns/op	        56.03 ms-cold	        20.04 µs/v4URL
BenchmarkRuntimes/workerd-2              	       1	3568006392 ns/op	        22.82 ms-cold	        5.70 µs/v4URL
BenchmarkChromiumThumbnails-2   	       1	48576642660 ns/op	       353.1 ms/ali-oss	       338.7 ms/ali-oss-cacheable	       281.7 ms/ossign-sw	       225.8 ms/ossign-sw-cacheable
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
	signing := tableByID(t, tables, "signing")
	assert.Equal(t, []string{"V4 `signatureUrl` / `signatureUrlV4`", "21.8", "146", "6.7× faster"}, signing.rows[0])
	assert.Equal(t, "–", signing.rows[2][1], "an operation not measured")
	sdk := tableByID(t, tables, "go-sdk")
	assert.Equal(t, []string{"V4 presign", "3784", "15.0", "18456", "118", "4.9× faster"}, sdk.rows[0])

	runtimes := tableByID(t, tables, "runtimes")
	assert.Equal(t, []string{"Node", "20.0", "28.7", "1.4× faster", "56.0", "105"}, runtimes.rows[0])
	assert.Equal(t, []string{"Deno", "–", "(Node: 28.7)", "–", "–", "(Node: 105)"}, runtimes.rows[1], "a runtime not measured")
	assert.Equal(t, []string{"workerd", "5.70", "does not run on workerd (Node: 28.7)", "5.0× faster", "22.8", "does not run"}, runtimes.rows[3])

	thumbnails := tableByID(t, tables, "thumbnails")
	assert.Equal(t, []string{"ossign's Service Worker, running: the page loads no signing code", "282 (0.80×)", "226 (0.67×)"}, thumbnails.rows[0])
	assert.Equal(t, []string{"ali-oss 6.23 in the page (50 `signatureUrl`)", "353 (1.00×)", "339 (1.00×)"}, thumbnails.rows[3])
	assert.Equal(t, "– (–)", thumbnails.rows[2][1], "a way not measured")

	md := string(renderMarkdown(machine{}, tables, "docs/benchmarks"))
	assert.Contains(t, md, "| V4 `signatureUrl` / `signatureUrlV4` | 21.8 | 146 | 6.7× faster |")
	assert.Contains(t, md, "![Signing in Chromium (µs per call)](docs/benchmarks/signing.svg)")
	for _, tb := range tables {
		assert.NoError(t, xml.Unmarshal(chartSVG(tb), new(struct{})), "%s.svg is well-formed", tb.id)
	}
}

// tableByID finds a table of the report by its id.
func tableByID(t *testing.T, tables []table, id string) table {
	t.Helper()
	for _, tb := range tables {
		if tb.id == id {
			return tb
		}
	}
	t.Fatalf("no table %q", id)
	return table{}
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
	tables := buildTables(r)
	transfers, complete := tableByID(t, tables, "transfers"), tableByID(t, tables, "complete")
	assert.Equal(t, []string{"bare `fetch` multipart, same parts (the server's side of multipart)", "210", "1.05×", "–"}, transfers.rows[1])
	assert.Equal(t, []string{"ossign `multipartUpload` (8 MiB × 4, progress, CRC-64 per part and whole)", "190", "0.95×", "0.90×"}, transfers.rows[3])
	assert.Equal(t, []string{"8", "64 MiB", "3.85"}, complete.rows[0])
	assert.Equal(t, []string{"64", "64 MiB", "12.4"}, complete.rows[1])
	assert.Equal(t, []string{"8", "8 MiB", "–"}, complete.rows[2], "not measured")
}
