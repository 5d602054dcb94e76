package browsertest

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// downloadResult is what the download pages report for one download.
type downloadResult struct {
	As       string
	Sum      string
	Progress progressCheck
	Error    string
}

// TestDownloadResumesInEveryForm downloads a 3 MB object as a Blob, text, an ArrayBuffer and a
// stream while the emulator drops 60% of connections halfway through their bodies: each
// download resumes by Range from the bytes it has (the emulator answers 206), gets every byte
// once (SHA-256), checks the CRC-64, and its progress only goes up and ends at the size.
func TestDownloadResumesInEveryForm(t *testing.T) {
	env := newTransferEnv(t)
	ctx := openTransferPage(t, 2*time.Minute)
	const size = 3 << 20
	sent := evalJSON[string](t, ctx, `
		window.client = await ossign.createClient(`+env.clientOptions("")+`);
		const file = makeFile(`+strconv.Itoa(size)+`, 41);
		await client.put('down/big.bin', file);
		return sha256(file);`)
	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{DropFraction: 0.6, Seed: 11}))
	got := evalJSON[[]downloadResult](t, ctx, `
		const out = [];
		for (const as of ['blob', 'text', 'arraybuffer', 'stream']) {
			const log = progressLog();
			const res = await client.get('down/big.bin', { as, onProgress: log.onProgress, retry: { retries: 20, baseDelay: 5, maxDelay: 50 } });
			const body = as === 'text' ? new TextEncoder().encode(res.body) : as === 'stream' ? await new Response(res.body).arrayBuffer() : res.body;
			out.push({ As: as, Sum: as === 'text' ? '' : await sha256(body), Progress: log.check(`+strconv.Itoa(size)+`) });
		}
		return out;`)
	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{}))
	require.Len(t, got, 4)
	for _, r := range got {
		if r.As != "text" { // random bytes do not survive text decoding
			assert.Equal(t, sent, r.Sum, "%s: every byte, once", r.As)
		}
		assert.True(t, r.Progress.Monotonic && r.Progress.EndsAtTotal, "%s: progress %+v", r.As, r.Progress)
	}
	resumed := 0
	for _, e := range env.logs.entries(t) {
		if e.Op == "GetObject" && e.Status == http.StatusPartialContent {
			resumed++
		}
	}
	assert.Positive(t, resumed, "downloads resumed by Range")
	assert.Positive(t, env.emu.Stats().InjectedDrops)
}

// TestDownloadObjectChanged replaces an object while a stream of it is being read and its
// connection has dropped: the resumed request carries If-Match, the emulator answers 412 and
// the stream errors with ObjectChanged, instead of joining two versions.
func TestDownloadObjectChanged(t *testing.T) {
	env := newTransferEnv(t)
	sdk := env.sdk()
	env.routes.HandleFunc("/replace", func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, env.emu.SetFaults(emulator.FaultConfig{}))
		_, err := sdk.PutObject(context.Background(), &oss.PutObjectRequest{
			Bucket: oss.Ptr(transferBucket), Key: oss.Ptr("down/changing.bin"), Body: bytes.NewReader(bytes.Repeat([]byte("new"), 1<<20))})
		assert.NoError(t, err)
	})
	env.routes.HandleFunc("/drop-all", func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, env.emu.SetFaults(emulator.FaultConfig{DropFraction: 1}))
	})
	ctx := openTransferPage(t, time.Minute)
	got := evalJSON[map[string]string](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		await client.put('down/changing.bin', makeFile(2 << 20, 5));
		await fetch(`+strconv.Quote(env.base+"/drop-all")+`); // the download's answer will be cut halfway
		const res = await client.get('down/changing.bin', { as: 'stream', retry: { retries: 3, baseDelay: 5, maxDelay: 20 } });
		const reader = res.body.getReader();
		await reader.read();
		await fetch(`+strconv.Quote(env.base+"/replace")+`); // replaced meanwhile
		try {
			for (;;) if ((await reader.read()).done) return { code: 'none' };
		} catch (err) {
			return { code: err.code, cause: err.cause?.code ?? '', message: err.message };
		}`)
	assert.Equal(t, "ObjectChanged", got["code"], got["message"])
	assert.Equal(t, "PreconditionFailed", got["cause"])
	refused := false
	for _, e := range env.logs.entries(t) {
		refused = refused || (e.Op == "GetObject" && e.Status == http.StatusPreconditionFailed)
	}
	assert.True(t, refused, "the emulator refused the resumed request with 412")
}
