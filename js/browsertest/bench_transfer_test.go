package browsertest

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// BenchmarkChromiumTransfers measures upload throughput from Chromium to the emulator on
// loopback, MB/s for a 64 MB file on disk picked through a file input (as a user picks one):
// a plain fetch PUT of a presigned URL (the ceiling), the same
// multipart protocol with bare fetches (the server's side of multipart), ossign's put (one
// XHR, CRC-64 checked) and multipartUpload (with and without its CRC-64 check), and ali-oss's
// multipartUpload with the same part size and parallelism, interleaved (each round in another
// order, a second of quiet before each run), median of 3 rounds;
// and the wasm module's CRC-64 in MB/s, from memory and read from a Blob. Run with
// -benchtime=1x (./build.sh bench does).
func BenchmarkChromiumTransfers(b *testing.B) {
	const size, partSize, parallel, rounds = 64 << 20, 8 << 20, 4, 3
	env := newTransferEnv(b)
	ctx := openPageFor(b, "/pages/bench-transfer.html", 10*time.Minute)
	evalJSON[bool](b, ctx, `await setup(`+strconv.Quote(env.base+"/creds")+`, `+strconv.Itoa(size)+`); return true;`)
	picked := filepath.Join(b.TempDir(), "bench.bin")
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{64}).Read(data) // bytes that do not compress
	require.NoError(b, os.WriteFile(picked, data, 0o644))
	require.NoError(b, chromedp.Do(ctx, chromedp.SetUploadFiles("#pick", []string{picked})))
	require.Equal(b, size, evalJSON[int](b, ctx, `return usePicked();`))
	args := strconv.Itoa(partSize) + ", " + strconv.Itoa(parallel)
	runs := []struct{ name, call string }{
		{"fetch-PUT", "runs.fetchPUT()"},
		{"fetch-multipart", "runs.fetchMultipart(" + args + ")"},
		{"ossign-put", "runs.put()"},
		{"ossign-multipart", "runs.multipart(" + args + ")"},
		{"ossign-multipart-nocrc", "runs.multipartNoCRC(" + args + ")"},
		{"ali-oss-multipart", "runs.aliMultipart(" + args + ")"},
	}
	rates := map[string][]float64{}
	for round := range rounds {
		// Each round starts with another run, and every run with a second of quiet (the disk
		// finishes what the last one left it), so that no run always follows the same one.
		for i := range runs {
			r := runs[(round+i)%len(runs)]
			time.Sleep(time.Second)
			v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](r.call, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatalf("%s: %v", r.name, err)
			}
			rates[r.name] = append(rates[r.name], v)
		}
	}
	for _, r := range runs {
		slices.Sort(rates[r.name])
		b.ReportMetric(rates[r.name][rounds/2], "MB/s-"+r.name)
	}
	b.ReportMetric(median(rates["ossign-put"])/median(rates["fetch-PUT"]), "put/fetch-PUT")
	b.ReportMetric(median(rates["ossign-multipart"])/median(rates["fetch-PUT"]), "multipart/fetch-PUT")
	b.ReportMetric(median(rates["ossign-multipart"])/median(rates["fetch-multipart"]), "multipart/fetch-multipart")
	b.ReportMetric(median(rates["ossign-multipart"])/median(rates["ali-oss-multipart"]), "multipart/ali-oss")
	crc := evalJSON[map[string]float64](b, ctx, `return crc();`)
	b.ReportMetric(crc["memory"], "MB/s-crc64-wasm")
	b.ReportMetric(crc["blob"], "MB/s-crc64-wasm-from-Blob")
}

// median of sorted values.
func median(sorted []float64) float64 { return sorted[len(sorted)/2] }
