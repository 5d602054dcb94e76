package browsertest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
