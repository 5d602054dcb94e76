package browsertest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// sdk is an official Go SDK client of the emulator with its root key: an independent look at
// what the page stored.
func (e *transferEnv) sdk() *oss.Client {
	addr := strings.TrimPrefix(e.srv.OSSEndpoint, "http://")
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	e.t.Cleanup(tr.CloseIdleConnections)
	return oss.NewClient(oss.LoadDefaultConfig().
		WithCredentialsProvider(osscreds.NewStaticCredentialsProvider(e.emu.RootAccessKeyID(), e.emu.RootAccessKeySecret())).
		WithEndpoint(e.srv.OSSEndpoint).WithRegion(e.emu.Region()).WithHttpClient(&http.Client{Transport: tr}))
}

// storedSHA256 reads bucket/key through the official Go SDK with the emulator's root key.
func (e *transferEnv) storedSHA256(key string) string {
	e.t.Helper()
	res, err := e.sdk().GetObject(context.Background(), &oss.GetObjectRequest{Bucket: oss.Ptr(transferBucket), Key: oss.Ptr(key)})
	require.NoError(e.t, err)
	defer res.Body.Close()
	h := sha256.New()
	_, err = io.Copy(h, res.Body)
	require.NoError(e.t, err)
	return hex.EncodeToString(h.Sum(nil))
}

// progressCheck is what progressLog().check() reports.
type progressCheck struct {
	Count       int   `json:"count"`
	Monotonic   bool  `json:"monotonic"`
	Last        int64 `json:"last"`
	EndsAtTotal bool  `json:"endsAtTotal"`
}

// TestTransferMultipart64MB uploads 64 MB by multipart and downloads it back: the same bytes
// in the page, in the bucket (read by the official SDK) and back in the page; progress events
// only go up and end at exactly the file size.
func TestTransferMultipart64MB(t *testing.T) {
	env := newTransferEnv(t)
	ctx := openTransferPage(t, 3*time.Minute)
	type result struct {
		Parts            int
		Upload, Download progressCheck
		Sent, Received   string
		Size             int64
		CRC64            string
	}
	got := evalJSON[result](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const file = makeFile(64 << 20, 7, 'big.bin');
		const up = progressLog(), down = progressLog();
		const res = await client.multipartUpload('big/64mb.bin', file, { onProgress: up.onProgress });
		const got = await client.get('big/64mb.bin', { as: 'arraybuffer', onProgress: down.onProgress });
		return { Parts: res.parts, Upload: up.check(file.size), Download: down.check(file.size),
			Sent: await sha256(file), Received: await sha256(got.body), Size: got.size, CRC64: res.crc64 };`)
	assert.Equal(t, 8, got.Parts, "8 MiB parts")
	assert.True(t, got.Upload.Monotonic, "upload progress only goes up")
	assert.True(t, got.Upload.EndsAtTotal, "upload progress ends at the size: %+v", got.Upload)
	assert.Greater(t, got.Upload.Count, 8, "progress within parts, not per part")
	assert.True(t, got.Download.Monotonic && got.Download.EndsAtTotal, "download progress: %+v", got.Download)
	assert.Equal(t, int64(64<<20), got.Size)
	assert.Equal(t, got.Sent, got.Received, "the bytes came back")
	assert.Equal(t, got.Sent, env.storedSHA256("big/64mb.bin"), "the bucket holds the bytes sent")
	assert.NotEmpty(t, got.CRC64)
	assert.Empty(t, env.emu.OpenUploads(transferBucket))
}

// TestTransferUnderFaults sends 10 files (PUT and multipart) up and back while the emulator
// fails 10% of requests with 503 and drops 5% of connections mid-body: every file arrives
// byte-identical, and the emulator accepted no short or empty part or object.
func TestTransferUnderFaults(t *testing.T) {
	env := newTransferEnv(t, func(c *emulator.Config) {
		c.Faults = emulator.FaultConfig{FailFraction: 0.10, DropFraction: 0.05, Seed: 8}
	})
	ctx := openTransferPage(t, 4*time.Minute)
	sizes := []int64{10, 90 << 10, 400 << 10, 700 << 10, 1200 << 10, 2 << 20, 2500 << 10, 3 << 20, 3300 << 10, 4 << 20}
	const partSize = 256 << 10
	type fileResult struct {
		Key            string
		Sent, Received string
	}
	sizesJSON, err := json.Marshal(sizes)
	require.NoError(t, err)
	got := evalJSON[[]fileResult](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const opts = { multipartThreshold: 1 << 20, partSize: `+strconv.Itoa(partSize)+`, retry: { retries: 8, baseDelay: 50, maxDelay: 1000 } };
		return Promise.all(`+string(sizesJSON)+`.map(async (size, i) => {
			const file = makeFile(size, 100 + i), key = 'faults/' + i + '.bin';
			await client.upload(key, file, opts);
			const back = await client.get(key, { retry: opts.retry });
			return { Key: key, Sent: await sha256(file), Received: await sha256(back.body) };
		}));`)
	require.Len(t, got, len(sizes))
	for i, f := range got {
		assert.Equal(t, f.Sent, f.Received, "%s came back", f.Key)
		assert.Equal(t, f.Sent, env.storedSHA256(f.Key), "%s is stored", f.Key)
		want := partSizes(sizes[i], partSize, sizes[i] > 1<<20)
		for _, e := range env.logs.entries(t) {
			if e.Key != f.Key || e.Status != http.StatusOK || (e.Op != "UploadPart" && e.Op != "PutObject") {
				continue
			}
			n, _ := strconv.Atoi(e.PartNumber)
			require.Contains(t, want, n, "%s: %s of an unknown part %q", f.Key, e.Op, e.PartNumber)
			assert.Equal(t, want[n], e.BodyBytes, "%s part %d: the emulator accepted %d bytes", f.Key, n, e.BodyBytes)
		}
	}
	assert.Empty(t, env.emu.OpenUploads(transferBucket), "no upload is left open, not even by an InitiateMultipartUpload sent twice")
	cleanups := 0
	for _, e := range env.logs.entries(t) {
		if e.Op == "ListMultipartUploads" && e.Status == http.StatusOK {
			cleanups++
		}
	}
	t.Logf("%d retried InitiateMultipartUpload calls looked for uploads to abort", cleanups)
	stats := env.emu.Stats()
	assert.Positive(t, stats.InjectedFailures, "503s were injected")
	assert.Positive(t, stats.InjectedDrops, "connections were dropped")
	t.Logf("%d requests, %d failed with 503, %d dropped", stats.OSSRequests, stats.InjectedFailures, stats.InjectedDrops)
}

// partSizes maps the part numbers of a file to their sizes (0 standing for a whole PUT).
func partSizes(size, partSize int64, multipart bool) map[int]int64 {
	if !multipart {
		return map[int]int64{0: size}
	}
	out := map[int]int64{}
	for n, at := 1, int64(0); at < size; n, at = n+1, at+partSize {
		out[n] = min(partSize, size-at)
	}
	return out
}

// TestTransferCredentialsExpire runs two uploads of over a minute with credentials that
// live 60 s: one client is told the true expiry (it refreshes ahead of time), the other is
// told 10 minutes (it learns from OSS's SecurityTokenExpired). Both complete unattended.
func TestTransferCredentialsExpire(t *testing.T) {
	t.Parallel()
	env := newTransferEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{Latency: 2 * time.Second} })
	ctx := openTransferPage(t, 4*time.Minute)
	type result struct {
		Truthful, Lied struct{ Sent, Refreshes int }
		Hashes         map[string]string
	}
	got := evalJSON[result](t, ctx, `
		const run = async (params, key, seed) => {
			const client = await ossign.createClient({ credentials: `+strconv.Quote(env.base+"/creds?")+` + params, secure: false });
			let refreshes = 0;
			client.on('credentialschange', () => refreshes++);
			const file = makeFile(31 * 102400 - 7, seed);
			await client.multipartUpload(key, file, { partSize: 102400, parallel: 2 });
			client.close();
			return { file, refreshes };
		};
		const [a, b] = await Promise.all([run('lifetime=60s', 'expiry/truthful.bin', 1), run('lifetime=60s&claim=10m', 'expiry/lied.bin', 2)]);
		return { Truthful: { Sent: a.file.size, Refreshes: a.refreshes }, Lied: { Sent: b.file.size, Refreshes: b.refreshes },
			Hashes: { 'expiry/truthful.bin': await sha256(a.file), 'expiry/lied.bin': await sha256(b.file) } };`)
	for key, sum := range got.Hashes {
		assert.Equal(t, sum, env.storedSHA256(key), key)
	}
	assert.Positive(t, got.Truthful.Refreshes, "credentials were refreshed during the upload")
	assert.Positive(t, got.Lied.Refreshes)
	expired := map[string]int{}
	for _, e := range env.logs.entries(t) {
		if e.Code == "SecurityTokenExpired" {
			expired[e.Key]++
		}
	}
	assert.Zero(t, expired["expiry/truthful.bin"], "the client told the truth refreshed before expiry")
	assert.Positive(t, expired["expiry/lied.bin"], "the other met the expired token at OSS, refreshed and went on")
}

// TestTransferClockSkew signs with a clock 20 minutes ahead of OSS's: the first header-signed
// request meets RequestTimeTooSkewed, the client takes OSS's ServerTime, and the transfers
// succeed.
func TestTransferClockSkew(t *testing.T) {
	env := newTransferEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{ClockShift: -20 * time.Minute} })
	ctx := openTransferPage(t, time.Minute)
	type result struct {
		Offset         float64
		Sent, Received string
	}
	got := evalJSON[result](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const file = makeFile(300 << 10, 5);
		await client.multipartUpload('skew/a.bin', file, { partSize: 102400 });
		const back = await client.get('skew/a.bin');
		return { Offset: client.clockOffset, Sent: await sha256(file), Received: await sha256(back.body) };`)
	assert.InDelta(t, -20*time.Minute.Milliseconds(), got.Offset, 5000, "the clock follows OSS's")
	assert.Equal(t, got.Sent, got.Received)
	skewed := 0
	for _, e := range env.logs.entries(t) {
		if e.Code == "RequestTimeTooSkewed" {
			skewed++
		}
	}
	assert.Equal(t, 1, skewed, "one refusal, then every request is signed at OSS's time")
}

// TestTransferCancelOne cancels one of two concurrent uploads: the other completes; the
// cancelled one leaves no object and no open multipart upload.
func TestTransferCancelOne(t *testing.T) {
	env := newTransferEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{Latency: 40 * time.Millisecond} })
	ctx := openTransferPage(t, 2*time.Minute)
	type result struct {
		Cancelled string
		KeptSum   string
	}
	got := evalJSON[result](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const stop = new AbortController();
		const a = makeFile(3 << 20, 11), b = makeFile(3 << 20, 12);
		const cancelled = client.multipartUpload('cancel/a.bin', a, { partSize: 102400, parallel: 3, signal: stop.signal,
			onProgress: (e) => { if (e.loaded > a.size / 3) stop.abort(); } }).then(() => 'completed', (err) => err.name);
		const kept = client.multipartUpload('cancel/b.bin', b, { partSize: 102400, parallel: 3 });
		const [outcome] = await Promise.all([cancelled, kept]);
		return { Cancelled: outcome, KeptSum: await sha256(b) };`)
	assert.Equal(t, "AbortError", got.Cancelled, "the cancelled upload rejects with the signal's reason")
	assert.Equal(t, got.KeptSum, env.storedSHA256("cancel/b.bin"), "the other upload completed")
	assert.Empty(t, env.emu.OpenUploads(transferBucket), "no multipart upload is left open")
	for _, e := range env.logs.entries(t) {
		if e.Key == "cancel/a.bin" && e.Op == "CompleteMultipartUpload" {
			t.Errorf("the cancelled upload was completed: %+v", e)
		}
	}
}

// TestTransferResumeAfterReload reloads the page in the middle of a resumable upload; the new
// page lists it as pending and resumes it: only the parts OSS does not have are sent.
func TestTransferResumeAfterReload(t *testing.T) {
	env := newTransferEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{Latency: 150 * time.Millisecond} })
	ctx := openTransferPage(t, 2*time.Minute)
	const parts = 21
	start := `
		const client = await ossign.createClient(` + env.clientOptions("") + `);
		const file = makeFile(20 * 102400 + 5000, 21, 'holiday.mov');`
	_ = evalJSON[bool](t, ctx, start+`
		window.loaded = 0;
		client.multipartUpload('resume/holiday.mov', file, { partSize: 102400, parallel: 2, resume: true,
			onProgress: (e) => { window.loaded = e.loaded; } });
		return true;`)
	_, err := chromedp.Run(ctx, chromedp.Poll[bool]("window.loaded > 8 * 102400"))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool]("window.ready === true"))
	require.NoError(t, err)
	// Requests the reload cut short end at the emulator within its latency.
	time.Sleep(time.Second)
	open := env.emu.OpenUploads(transferBucket)
	require.Len(t, open, 1, "the upload is still open on OSS")
	stored := open[0].Parts
	require.Greater(t, stored, 4)
	require.Less(t, stored, parts)
	sentBefore := countParts(env.logs.entries(t))

	type result struct {
		Pending       []map[string]any
		ResumedParts  int
		Sent, Stored  string
		Monotonic     bool
		FirstProgress int64
	}
	got := evalJSON[result](t, ctx, start+`
		const pending = await client.pendingUploads();
		const log = progressLog();
		const res = await client.multipartUpload('resume/holiday.mov', file, { partSize: 102400, resume: true, onProgress: log.onProgress });
		return { Pending: pending.map((p) => ({ key: p.key, name: p.name, size: p.size })), ResumedParts: res.resumedParts,
			Sent: await sha256(file), Monotonic: log.check(file.size).monotonic, FirstProgress: log.events[0] };`)
	require.Len(t, got.Pending, 1)
	assert.Equal(t, "resume/holiday.mov", got.Pending[0]["key"])
	assert.Equal(t, "holiday.mov", got.Pending[0]["name"])
	assert.Equal(t, stored, got.ResumedParts, "every part OSS had is kept")
	assert.Equal(t, parts-stored, countParts(env.logs.entries(t))-sentBefore, "only the missing parts are sent")
	assert.GreaterOrEqual(t, got.FirstProgress, int64(stored)*102400-102400, "progress starts from what was there")
	assert.Equal(t, got.Sent, env.storedSHA256("resume/holiday.mov"))
	assert.Empty(t, env.emu.OpenUploads(transferBucket))
}

// countParts counts the UploadPart requests the emulator accepted.
func countParts(entries []logEntry) int {
	n := 0
	for _, e := range entries {
		if e.Op == "UploadPart" && e.Status == http.StatusOK {
			n++
		}
	}
	return n
}

// TestTransferCorruptionDetected flips a byte of every upload as the emulator receives it:
// the CRC-64 check fails the upload, names the part, and the multipart upload is aborted.
func TestTransferCorruptionDetected(t *testing.T) {
	env := newTransferEnv(t, func(c *emulator.Config) { c.Faults = emulator.FaultConfig{CorruptFraction: 1} })
	ctx := openTransferPage(t, time.Minute)
	got := evalJSON[map[string]any](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const failure = (p) => p.then(() => ({ code: 'none' }), (err) => ({ code: err.code, part: err.partNumber ?? null, message: err.message }));
		return { put: await failure(client.put('corrupt/a.bin', makeFile(5000, 1))),
			multipart: await failure(client.multipartUpload('corrupt/b.bin', makeFile(300 << 10, 2), { partSize: 102400, parallel: 1 })) };`)
	put, multipart := got["put"].(map[string]any), got["multipart"].(map[string]any)
	assert.Equal(t, "CRC64Mismatch", put["code"], put["message"])
	assert.Equal(t, "CRC64Mismatch", multipart["code"], multipart["message"])
	assert.Equal(t, float64(1), multipart["part"], "the error names the part")
	assert.Contains(t, multipart["message"], "part 1 of corrupt/b.bin")
	assert.Empty(t, env.emu.OpenUploads(transferBucket))
	assert.Positive(t, env.emu.Stats().InjectedCorruptions)
}

// TestTransferCORSErrorsNamed: a bucket whose CORS rule hides ETag, and one that refuses the
// page's origin, give errors naming the rule to add, not a generic failure.
func TestTransferCORSErrorsNamed(t *testing.T) {
	hiding := newTransferEnv(t, func(c *emulator.Config) { c.CORS.ExposeHeaders = []string{"x-oss-request-id"} })
	refusing := newTransferEnv(t, func(c *emulator.Config) { c.CORS.AllowedOrigins = []string{"https://app.example.com"} })
	ctx := openTransferPage(t, time.Minute)
	got := evalJSON[map[string]map[string]string](t, ctx, `
		const failure = (p) => p.then(() => ({ code: 'none' }), (err) => ({ code: err.code, message: err.message }));
		const hiding = await ossign.createClient(`+hiding.clientOptions("")+`);
		const refusing = await ossign.createClient(`+refusing.clientOptions("")+`);
		return {
			multipart: await failure(hiding.multipartUpload('cors/a.bin', makeFile(200 << 10, 1), { partSize: 102400 })),
			refused: await failure(refusing.put('cors/b.bin', 'x', { retry: { retries: 1, baseDelay: 10, maxDelay: 20 } })),
		};`)
	assert.Equal(t, "CORSHeaderHidden", got["multipart"]["code"])
	assert.Contains(t, got["multipart"]["message"], "ETag header")
	assert.Contains(t, got["multipart"]["message"], "ExposeHeader ETag, x-oss-request-id, x-oss-hash-crc64ecma")
	assert.Empty(t, hiding.emu.OpenUploads(transferBucket))
	assert.Equal(t, "CORSBlocked", got["refused"]["code"])
	assert.Contains(t, got["refused"]["message"], "AllowedOrigin "+serverURL)
}

// apiResult is what api-flow.mjs reports.
type apiResult struct {
	PutCRC         bool     `json:"putCRC"`
	MultipartParts int      `json:"multipartParts"`
	PendingAfter   int      `json:"pendingAfter"`
	PostSize       int      `json:"postSize"`
	WholeSame      bool     `json:"wholeSame"`
	RangeSame      bool     `json:"rangeSame"`
	TextSame       bool     `json:"textSame"`
	HeadSize       int      `json:"headSize"`
	HeadType       string   `json:"headType"`
	Listed         []string `json:"listed"`
	AfterDelete    []string `json:"afterDelete"`
	Missing        string   `json:"missing"`
}

// check asserts a pass of the API flow under prefix.
func (r apiResult) check(t *testing.T, prefix string) {
	assert.True(t, r.PutCRC, "put reports OSS's CRC-64")
	assert.Equal(t, 4, r.MultipartParts)
	assert.Zero(t, r.PendingAfter, "a completed upload leaves no checkpoint")
	assert.Equal(t, 5000, r.PostSize)
	assert.True(t, r.WholeSame && r.RangeSame && r.TextSame, "the bytes came back: %+v", r)
	assert.Equal(t, 5000, r.HeadSize)
	assert.Equal(t, "text/plain", r.HeadType)
	assert.Equal(t, []string{prefix + "a b+c.txt", prefix + "form.bin", prefix + "large.bin"}, r.Listed)
	assert.Equal(t, []string{prefix + "a b+c.txt", prefix + "large.bin"}, r.AfterDelete)
	assert.Equal(t, "NoSuchKey", r.Missing)
}

// TestTransferAPI runs the whole transfer API on the main thread, signing with V4 and with V1.
func TestTransferAPI(t *testing.T) {
	env := newTransferEnv(t)
	ctx := openTransferPage(t, time.Minute)
	for _, version := range []string{"v4", "v1"} {
		t.Run(version, func(t *testing.T) {
			prefix := "api/" + version + "/"
			options := strings.TrimSuffix(env.clientOptions(""), "}") + `, signatureVersion: '` + version + `'}`
			evalJSON[apiResult](t, ctx, `return apiFlow(ossign, `+options+`, '`+prefix+`');`).check(t, prefix)
		})
	}
}

// TestTransferAPIInWorker runs the same flow in a dedicated module worker (XMLHttpRequest,
// IndexedDB checkpoints and the wasm module all inside the worker).
func TestTransferAPIInWorker(t *testing.T) {
	env := newTransferEnv(t)
	ctx := openTransferPage(t, time.Minute)
	type reply struct {
		Result apiResult
		Error  string
	}
	got := evalJSON[reply](t, ctx, `
		const worker = new Worker('/pages/transfer-worker.mjs', { type: 'module' });
		const done = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => resolve({ error: e.message }); });
		worker.postMessage({ options: { credentials: new URL(`+strconv.Quote(env.base+"/creds")+`, location.href).href, secure: false }, prefix: 'worker/' });
		return done;`)
	require.Empty(t, got.Error)
	got.Result.check(t, "worker/")
}

// TestAwkwardKeys uploads and downloads every key of a table of awkward keys through presigned
// URLs, or has ossign refuse it before any request with InvalidObjectName: never a 403.
func TestAwkwardKeys(t *testing.T) {
	env := newTransferEnv(t)
	ctx := openTransferPage(t, time.Minute)
	keys := []string{"a+b", "with space", "中文/文件.txt", "emoji 😀.png", "a%2Fb", "what?.txt", "hash#1", "trailing ",
		strings.Repeat("k", 1023), "a/./b", "a/../b", ".."}
	keysJSON, err := json.Marshal(keys)
	require.NoError(t, err)
	type outcome struct {
		Key, Result string
	}
	got := evalJSON[[]outcome](t, ctx, `
		const client = await ossign.createClient(`+env.clientOptions("")+`);
		const out = [];
		for (const key of `+string(keysJSON)+`) {
			let put;
			try {
				put = client.presign(key, { method: 'PUT', 'Content-Type': 'text/plain' });
			} catch (err) {
				out.push({ Key: key, Result: err.code });
				continue;
			}
			const up = await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'body of ' + key });
			const down = await fetch(client.signatureUrl(key));
			const text = await down.text();
			out.push({ Key: key, Result: up.status + ' ' + down.status + ' ' + (text === 'body of ' + key) });
		}
		return out;`)
	require.Len(t, got, len(keys))
	refused := map[string]bool{"a/./b": true, "a/../b": true, "..": true}
	for i, o := range got {
		require.Equal(t, keys[i], o.Key)
		if refused[o.Key] {
			assert.Equal(t, "InvalidObjectName", o.Result, "%q is refused before any request", o.Key)
		} else {
			assert.Equal(t, "200 200 true", o.Result, "%q goes up and comes back", o.Key)
		}
	}
	for _, e := range env.logs.entries(t) {
		assert.NotEqual(t, http.StatusForbidden, e.Status, "no request was refused: %+v", e)
		assert.False(t, refused[e.Key], "no request for a refused key: %+v", e)
	}
}
