package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestUploadWithServerSignedURL drives a page that only gets server-signed uploads from the
// vending server's POST /sign (`ossign dev`, its emulator failing 30% of requests): putWithURL
// uploads with progress and retries, postWithForm posts the form, and neither loads
// ossign.wasm. The page then reads both objects back with its own client.
func TestUploadWithServerSignedURL(t *testing.T) {
	page, logs := startDev(t, filepath.Join(workDir, "pages"), "-fail", "0.3", "-fault-seed", "5")
	ctx := openPageFor(t, page+"/url-upload.html", time.Minute)
	type result struct {
		Put, Post               map[string]any
		Progress                progressCheck
		WasmBefore, WasmAfter   bool
		Sent, PutBack, PostBack string
	}
	got := evalJSON[result](t, ctx, `
		const retry = { retries: 8, baseDelay: 50, maxDelay: 500 };
		const file = new File([makeBytes(300000, 9)], 'photo.png', { type: 'image/png' });
		const sign = async (mode) => {
			const r = await fetch('/sign', { method: 'POST', headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ contentType: file.type, size: file.size, mode }) });
			if (!r.ok) throw new Error('/sign: HTTP ' + r.status);
			return r.json();
		};
		const log = progressLog();
		const putTarget = await sign('put');
		const put = await ossign.putWithURL(putTarget, file, { onProgress: log.onProgress, retry, renew: () => sign('put') });
		const form = await sign('post');
		const post = await ossign.postWithForm(form, file, { retry });
		const wasm = () => performance.getEntriesByType('resource').some((e) => e.name.includes('.wasm'));
		const wasmBefore = wasm();
		const client = await ossign.createClient({ credentials: '/sts' });
		const back = async (key) => sha256((await client.get(key, { retry })).body);
		return { Put: { key: putTarget.Key, size: put.size, etag: put.etag }, Post: { key: form.Key, size: post.size },
			Progress: log.check(file.size), WasmBefore: wasmBefore, WasmAfter: wasm(),
			Sent: await sha256(file), PutBack: await back(putTarget.Key), PostBack: await back(form.Key) };`)
	assert.False(t, got.WasmBefore, "putWithURL and postWithForm load no wasm")
	assert.True(t, got.WasmAfter, "the check sees the wasm once a client is created")
	assert.True(t, got.Progress.Monotonic && got.Progress.EndsAtTotal, "progress: %+v", got.Progress)
	assert.EqualValues(t, 300000, got.Put["size"])
	assert.NotEmpty(t, got.Put["etag"])
	assert.Equal(t, got.Sent, got.PutBack, "the PUT stored the bytes")
	assert.Equal(t, got.Sent, got.PostBack, "the form stored the bytes")
	assert.Contains(t, logs.String(), "code=ServiceUnavailable", "503s were injected and retried")
}

// presigned is a URL the official Go SDK presigned with the emulator's root key, and the
// headers to send with it, as JSON for putWithURL and getWithURL.
func (e *transferEnv) presigned(request any) string {
	e.t.Helper()
	res, err := e.sdk().Presign(context.Background(), request, oss.PresignExpires(10*time.Minute))
	require.NoError(e.t, err)
	target, err := json.Marshal(map[string]any{"url": res.URL, "method": res.Method, "headers": res.SignedHeaders})
	require.NoError(e.t, err)
	return string(target)
}

// TestURLTransfersCheckCRCWhenLoaded sends uploads through URLs the Go SDK presigned while the
// emulator corrupts every upload: before the page loads ossign.wasm, putWithURL cannot check
// and does not load it for that; once a client has loaded it, the same upload fails with
// CRC64Mismatch. getWithURL, under dropped connections, resumes by Range.
func TestURLTransfersCheckCRCWhenLoaded(t *testing.T) {
	env := newTransferEnv(t)
	put := env.presigned(&oss.PutObjectRequest{Bucket: oss.Ptr(transferBucket), Key: oss.Ptr("url/a.bin"), ContentType: oss.Ptr("application/octet-stream")})
	ctx := openTransferPage(t, time.Minute)
	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{CorruptFraction: 1}))
	type result struct {
		Unchecked, Checked, Sent string
		WasmBefore               bool
	}
	got := evalJSON[result](t, ctx, `
		const target = `+put+`, file = makeFile(200000, 3);
		const outcome = (p) => p.then(() => 'stored', (err) => err.code);
		const unchecked = await outcome(ossign.putWithURL(target, file));
		const wasmBefore = performance.getEntriesByType('resource').some((e) => e.name.includes('.wasm'));
		window.client = await ossign.createClient(`+env.clientOptions("")+`);
		return { Unchecked: unchecked, WasmBefore: wasmBefore, Checked: await outcome(ossign.putWithURL(target, file, { retry: false })), Sent: await sha256(file) };`)
	assert.Equal(t, "stored", got.Unchecked, "no module loaded: nothing to check with")
	assert.False(t, got.WasmBefore, "putWithURL loaded no wasm")
	assert.Equal(t, "CRC64Mismatch", got.Checked, "with the module loaded, the corrupted upload is caught")

	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{}))
	evalJSON[bool](t, ctx, `await client.put('url/b.bin', makeFile(200000, 3)); return true;`)
	get := env.presigned(&oss.GetObjectRequest{Bucket: oss.Ptr(transferBucket), Key: oss.Ptr("url/b.bin")})
	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{DropFraction: 0.6, Seed: 3}))
	back := evalJSON[string](t, ctx, `
		const res = await ossign.getWithURL(`+get+`, { as: 'arraybuffer', retry: { retries: 20, baseDelay: 5, maxDelay: 50 } });
		return sha256(res.body);`)
	require.NoError(t, env.emu.SetFaults(emulator.FaultConfig{}))
	assert.Equal(t, got.Sent, back, "the download resumed to every byte")
	resumed := false
	for _, e := range env.logs.entries(t) {
		resumed = resumed || (e.Key == "url/b.bin" && e.Op == "GetObject" && e.Status == http.StatusPartialContent)
	}
	assert.True(t, resumed, "by Range")
}
