package browsertest

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// imageResult is what loadImage reports.
type imageResult struct {
	OK      bool `json:"ok"`
	Width   int  `json:"width"`
	Tainted bool `json:"tainted"`
}

// fetchResult is what fetchInfo reports.
type fetchResult struct {
	Status        int    `json:"status"`
	Size          int    `json:"size"`
	Code          string `json:"code"`
	RequestID     string `json:"requestId"`
	ETag          string `json:"etag"`
	ContentType   string `json:"contentType"`
	ContentLength string `json:"contentLength"`
	ContentRange  string `json:"contentRange"`
	AcceptRanges  string `json:"acceptRanges"`
	Disposition   string `json:"disposition"`
	Text          string `json:"text"`
}

// TestWorkerImages shows private objects in plain <img> elements through ossign-sw.js, with
// credentials that may read pics/ only: the images show with their natural width (resized by
// x-oss-process when the URL asks) and their pixels readable (the worker's answer is a CORS
// response, so a canvas they are drawn on is not tainted, unlike an <img> of a URL signed in
// the page or of a redirect to one), an object outside pics/ is a broken image whose response
// carries OSS's AccessDenied and request id, and requests outside the prefix reach the server
// without the worker signing anything.
func TestWorkerImages(t *testing.T) {
	env := newWorkerEnv(t)
	photo := pngOf(t, 37, 23)
	for _, key := range []string{"pics/a.png", "pics/中文 b+c.png", "private/x.png"} {
		env.putObject(key, photo, "image/png", "")
	}
	tab := env.openWorkerPage(t, "creds=only%3Dpics%2F", time.Minute)
	images := []struct {
		name, src string
		want      imageResult
	}{
		{"private object", "oss/pics/a.png", imageResult{OK: true, Width: 37}},
		{"awkward key, percent-encoded", "oss/pics/%E4%B8%AD%E6%96%87%20b+c.png", imageResult{OK: true, Width: 37}},
		{"resized by OSS", "oss/pics/a.png?process=image/resize,w_20", imageResult{OK: true, Width: 20}},
		{"not the user's to read", "oss/private/x.png", imageResult{}},
		{"missing", "oss/pics/nothing.png", imageResult{}},
	}
	for _, img := range images {
		got := evalJSON[imageResult](t, tab, "return loadImage("+jsString(img.src)+");")
		assert.Equal(t, img.want, got, img.name)
	}

	responses := []struct {
		name, url, init string
		status          int
		code            string
	}{
		{name: "AccessDenied", url: "oss/private/x.png", status: 403, code: "AccessDenied"},
		{name: "NoSuchKey", url: "oss/pics/nothing.png", status: 404, code: "NoSuchKey"},
		{name: "unknown query parameter", url: "oss/pics/a.png?size=big", status: 400, code: "InvalidArgument"},
		{name: "no key", url: "oss/", status: 400, code: "InvalidObjectName"},
		{name: "not a GET", url: "oss/pics/a.png", init: `{method: 'DELETE'}`, status: 405, code: "MethodNotAllowed"},
	}
	for _, r := range responses {
		init := r.init
		if init == "" {
			init = "{}"
		}
		got := evalJSON[fetchResult](t, tab, "return fetchInfo("+jsString(r.url)+", "+init+");")
		assert.Equal(t, r.status, got.Status, "%s: %s", r.name, got.Text)
		assert.Equal(t, r.code, got.Code, r.name)
		assert.Contains(t, got.Text, "<Code>"+r.code+"</Code>", r.name)
		if r.status == 403 || r.status == 404 {
			assert.Regexp(t, `^[0-9A-F]{24}$`, got.RequestID, "%s: OSS's request id", r.name)
		}
	}

	whole := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/pics/a.png');`)
	require.Equal(t, 200, whole.Status)
	assert.Equal(t, len(photo), whole.Size)
	assert.Equal(t, "image/png", whole.ContentType)
	assert.Equal(t, "bytes", whole.AcceptRanges)
	head := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/pics/a.png', {method: 'HEAD'});`)
	assert.Equal(t, fetchResult{Status: 200, ETag: whole.ETag, ContentType: "image/png", ContentLength: whole.ContentLength, AcceptRanges: "bytes",
		RequestID: head.RequestID}, head, "HEAD: the headers, no body")
	notModified := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/pics/a.png', {headers: {'If-None-Match': `+jsString(whole.ETag)+`}});`)
	assert.Equal(t, 304, notModified.Status, "If-None-Match with the object's ETag")
	part := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/pics/a.png', {headers: {Range: 'bytes=8-15'}});`)
	assert.Equal(t, 206, part.Status)
	assert.Equal(t, 8, part.Size)
	assert.Equal(t, "bytes 8-15/"+whole.ContentLength, part.ContentRange)

	before, logged := statsOf(t, tab), len(env.logs.entries(t))
	for _, url := range []string{"outside/a.png", "ossx/a.png", "oss"} {
		evalJSON[imageResult](t, tab, "return loadImage("+jsString(url)+");")
	}
	after := statsOf(t, tab)
	assert.Equal(t, before, after, "requests outside the prefix never reach the worker's fetch handler nor its signing")
	assert.EqualValues(t, 1, env.outside.Load(), "outside/a.png went to the server")
	assert.Len(t, env.logs.entries(t), logged, "nothing more reached OSS")
	assert.Positive(t, after.Signatures)
	version := workerVersion(t, tab, env.base+"/ossign-sw.js")
	assert.True(t, len(version.TypedRouterRules) > 0 || strings.Contains(version.RouterRules, "network"),
		"static routing sends what is outside the prefix to the network without starting the worker: %+v", version)

	// A forced reload bypasses the worker: the page asks it to take control again.
	_, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, func(ctx context.Context, target *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, target, page.Reload, page.ReloadParams{IgnoreCache: oss.Ptr(true)})
	}))
	require.NoError(t, err)
	_, err = chromedp.Run(tab, chromedp.Poll[bool]("window.ready === true", chromedp.WithPollingTimeout(30*time.Second)))
	require.NoError(t, err, "registerServiceWorker resolves after a forced reload")
	assert.False(t, evalJSON[bool](t, tab, `return window.controlledAtStart;`), "the forced reload bypassed the worker")
	assert.Equal(t, imageResult{OK: true, Width: 37}, evalJSON[imageResult](t, tab, `return loadImage('oss/pics/a.png');`))
}

// TestWorkerRestart stops the worker (CDP ServiceWorker.stopWorker, as the browser does when
// it is idle) between two loads of the page: the second load's image shows, served by a new
// instance of the worker that took the module from its cache and fetched credentials again.
// With a bearer token, the new instance asks the page for it (the token lives in memory only);
// after forgetServiceWorkerCredentials (a logout) it asks again, and a page without the right
// token gets the vending server's 401 as VendingFailed.
func TestWorkerRestart(t *testing.T) {
	cases := []struct{ name, query string }{
		{"cookie", ""},
		{"bearer token", "creds=bearer%3D1&token=jwt-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newWorkerEnv(t)
			env.bearer.Store("jwt-1")
			env.putObject("pics/a.png", pngOf(t, 37, 23), "image/png", "")
			tab := env.openWorkerPage(t, tc.query, time.Minute)
			first := evalJSON[imageResult](t, tab, `return loadImage('oss/pics/a.png?process=image/resize,w_30');`)
			assert.Equal(t, imageResult{OK: true, Width: 30}, first)
			before := statsOf(t, tab)
			assert.Equal(t, 1, before.Credentials)

			env.stopWorker(t, tab)
			require.NoError(t, chromedp.Do(tab, chromedp.Reload()))
			_, err := chromedp.Run(tab, chromedp.Poll[bool]("window.ready === true", chromedp.WithPollingTimeout(30*time.Second)))
			require.NoError(t, err)
			second := evalJSON[imageResult](t, tab, `return loadImage('oss/pics/a.png?process=image/resize,w_31');`)
			assert.Equal(t, imageResult{OK: true, Width: 31}, second, "the image after the restart")
			after := statsOf(t, tab)
			assert.NotEqual(t, before.Instance, after.Instance, "a new instance of the worker answered")
			assert.Equal(t, "cache", after.Module, "the new instance compiled the module from its cache")
			assert.Equal(t, 1, after.Credentials)
			assert.EqualValues(t, 2, env.credentialCalls.Load(), "credentials fetched again after the restart, not stored")
			if tc.query == "" {
				return
			}
			env.bearer.Store("jwt-2")
			rotated := evalJSON[imageResult](t, tab, `window.token = 'jwt-2'; await forgetServiceWorkerCredentials();
				return loadImage('oss/pics/a.png?process=image/resize,w_32');`)
			assert.Equal(t, imageResult{OK: true, Width: 32}, rotated, "the page's new token")
			refused := evalJSON[fetchResult](t, tab, `window.token = 'jwt-stale'; await forgetServiceWorkerCredentials();
				return fetchInfo('oss/pics/a.png');`)
			assert.Equal(t, 401, refused.Status, refused.Text)
			assert.Equal(t, "VendingFailed", refused.Code)
		})
	}
}

// TestWorkerUpdate releases a new worker while a page uses the old one: the new one takes
// over at once (skipWaiting, clients.claim), keeps the module's cache of its own build and
// deletes another build's, and the page's next image comes from it.
func TestWorkerUpdate(t *testing.T) {
	env := newWorkerEnv(t)
	env.putObject("pics/a.png", pngOf(t, 37, 23), "image/png", "")
	tab := env.openWorkerPage(t, "", time.Minute)
	assert.Equal(t, imageResult{OK: true, Width: 37}, evalJSON[imageResult](t, tab, `return loadImage('oss/pics/a.png');`))
	before := statsOf(t, tab)
	evalJSON[bool](t, tab, `await (await caches.open('ossign-sw:ossign.00000000.wasm')).put('/old.wasm', new Response('an older build')); return true;`)

	env.release.Store("release 2")
	caches := evalJSON[[]string](t, tab, `const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
		await (await navigator.serviceWorker.getRegistration()).update();
		await changed;
		const worker = navigator.serviceWorker.controller; // controls the page already, activates next
		if (worker.state !== 'activated') await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
		return (await caches.keys()).filter((name) => name.startsWith('ossign-sw:'));`)
	assert.Equal(t, []string{"ossign-sw:" + hashedWasmFile(t)}, caches, "the new worker kept its build's module and deleted the other")
	assert.Equal(t, imageResult{OK: true, Width: 20}, evalJSON[imageResult](t, tab, `return loadImage('oss/pics/a.png?process=image/resize,w_20');`))
	after := statsOf(t, tab)
	assert.NotEqual(t, before.Instance, after.Instance, "the new release answers")
	assert.Equal(t, "cache", after.Module, "the same build's module, from the cache")
}

// TestWorkerVideoSeeks plays a two-minute recording (23 MB of PCM in WAV) in a <video>
// through the worker and seeks to the middle: the element gets there through a Range request
// answered 206, and OSS sends fewer bytes than the file (the emulator's log).
func TestWorkerVideoSeeks(t *testing.T) {
	env := newWorkerEnv(t)
	wav := wavTone(120, 48000)
	env.putObject("media/tone.wav", wav, "audio/wav", "")
	tab := env.openWorkerPage(t, "", 2*time.Minute)
	type seek struct{ Duration, At float64 }
	got := evalJSON[seek](t, tab, `
		const v = document.createElement('video');
		v.preload = 'metadata';
		v.muted = true;
		const event = (name) => new Promise((resolve, reject) => {
			v.addEventListener(name, resolve, { once: true });
			v.addEventListener('error', () => reject(new Error('media error ' + v.error?.code + ': ' + v.error?.message)), { once: true });
		});
		const metadata = event('loadedmetadata');
		v.src = 'oss/media/tone.wav';
		document.body.append(v);
		await metadata;
		const seeked = event('seeked');
		v.currentTime = v.duration / 2;
		await seeked;
		const result = { Duration: v.duration, At: v.currentTime };
		v.removeAttribute('src');
		v.load(); // lets go of the responses, so that the emulator logs what it sent
		return result;`)
	assert.InDelta(t, 120, got.Duration, 0.5)
	assert.InDelta(t, 60, got.At, 0.5)
	var gets []logEntry
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		gets = gets[:0]
		for _, e := range env.logs.entries(t) {
			if e.Key == "media/tone.wav" && e.Op == "GetObject" {
				gets = append(gets, e)
			}
		}
		if seekedRange(gets, len(wav)) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.True(t, seekedRange(gets, len(wav)), "a 206 answer to a Range from the middle: %+v", gets)
	var sent int64
	for _, e := range gets {
		sent += e.SentBytes
	}
	assert.Less(t, sent, int64(len(wav)), "OSS sent fewer bytes than the file: %+v", gets)
	t.Logf("%d requests, %d of %d bytes sent", len(gets), sent, len(wav))
}

// seekedRange reports whether a logged GET answered 206 to a Range starting in the second
// quarter of an object of size bytes or later.
func seekedRange(gets []logEntry, size int) bool {
	for _, e := range gets {
		var start int
		if _, err := fmt.Sscanf(e.Range, "bytes=%d-", &start); err == nil && e.Status == http.StatusPartialContent && start > size/4 {
			return true
		}
	}
	return false
}

// wavTone is seconds of a 440 Hz tone as 16-bit stereo PCM in a WAV file.
func wavTone(seconds, rate int) []byte {
	const channels, bytesPerSample = 2, 2
	n := seconds * rate
	data := make([]byte, 44+n*channels*bytesPerSample)
	le := binary.LittleEndian
	copy(data[0:], "RIFF")
	le.PutUint32(data[4:], uint32(len(data)-8))
	copy(data[8:], "WAVEfmt ")
	le.PutUint32(data[16:], 16)
	le.PutUint16(data[20:], 1) // PCM
	le.PutUint16(data[22:], channels)
	le.PutUint32(data[24:], uint32(rate))
	le.PutUint32(data[28:], uint32(rate*channels*bytesPerSample))
	le.PutUint16(data[32:], channels*bytesPerSample)
	le.PutUint16(data[34:], 8*bytesPerSample)
	copy(data[36:], "data")
	le.PutUint32(data[40:], uint32(n*channels*bytesPerSample))
	for i := range n {
		v := uint16(int16(8000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate))))
		le.PutUint16(data[44+4*i:], v)
		le.PutUint16(data[46+4*i:], v)
	}
	return data
}

// TestWorkerDownloads clicks links under the prefix that ask for an attachment: the browser
// downloads the object under the name the link gives (response-content-disposition, or
// download=name, or the key's last segment for a bare download).
func TestWorkerDownloads(t *testing.T) {
	env := newWorkerEnv(t)
	body := []byte("quarterly figures\n")
	env.putObject("docs/r.bin", body, "application/octet-stream", "")
	tab := env.openWorkerPage(t, "", time.Minute)
	dir := t.TempDir()
	_, err := chromedp.Call(tab, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: oss.Ptr(true)})
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = chromedp.Call(tab, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDefault})
	})
	cases := []struct{ name, href, want string }{
		{"response-content-disposition", "oss/docs/r.bin?response-content-disposition=" + url.QueryEscape(`attachment; filename="given.txt"`), "given.txt"},
		{"download", "oss/docs/r.bin?download", "r.bin"},
		{"download=name", "oss/docs/r.bin?download=" + url.QueryEscape("Report 2026 – 中文.txt"), "Report 2026 – 中文.txt"},
	}
	for _, tc := range cases {
		begun := chromedp.Events(tab, cdpbrowser.DownloadWillBegin)
		progress := chromedp.Events(tab, cdpbrowser.DownloadProgress)
		evalJSON[bool](t, tab, `const a = document.createElement('a'); a.href = `+jsString(tc.href)+`; document.body.append(a); a.click(); return true;`)
		for ev, err := range begun {
			require.NoError(t, err)
			assert.Equal(t, tc.want, ev.SuggestedFilename, tc.name)
			break
		}
		for ev, err := range progress {
			require.NoError(t, err)
			if ev.State == cdpbrowser.DownloadProgressStateCompleted {
				break
			}
			require.NotEqual(t, cdpbrowser.DownloadProgressStateCanceled, ev.State, tc.name)
		}
		got, err := os.ReadFile(filepath.Join(dir, tc.want))
		require.NoError(t, err, tc.name)
		assert.Equal(t, body, got, tc.name)
	}
}

// TestWorkerSignatureDiagnosis signs with a wrong secret: the element's response is OSS's 403
// SignatureDoesNotMatch, and the worker's console explains it (the client's diagnosis).
func TestWorkerSignatureDiagnosis(t *testing.T) {
	env := newWorkerEnv(t)
	env.putObject("pics/a.png", pngOf(t, 37, 23), "image/png", "")
	tab := env.openWorkerPage(t, "creds=secret%3Dwrong", time.Minute)
	version := workerVersion(t, tab, env.base+"/ossign-sw.js", serviceworker.VersionRunningStatusRunning)
	worker, cancel := chromedp.NewContext(browser, chromedp.WithTargetID(version.TargetID))
	defer cancel()
	console := watchConsole(worker)
	got := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/pics/a.png');`)
	assert.Equal(t, 403, got.Status)
	assert.Equal(t, "SignatureDoesNotMatch", got.Code)
	deadline := time.Now().Add(10 * time.Second)
	var logged []string
	for len(logged) == 0 && time.Now().Before(deadline) {
		logged = console.errors(func(m chromedp.ConsoleMessage) bool { return !strings.Contains(m.Text, "SignatureDoesNotMatch") })
		time.Sleep(50 * time.Millisecond)
	}
	require.NotEmpty(t, logged, "the worker's console explains the SignatureDoesNotMatch")
	assert.Contains(t, logged[0], "ossign-sw.js: GET /")
	assert.Contains(t, logged[0], "secret")
	assert.NotContains(t, logged[0], "security-token=ey", "no token in the console")
}

// TestWorkerCredentialsExpire keeps showing images through two workers for two minutes, a
// new image every half second, with credentials that live 60 s: one worker is told their true
// expiry (it refreshes ahead of it), the other is told 10 minutes (it meets
// SecurityTokenExpired at OSS, refreshes and signs again). No image breaks.
func TestWorkerCredentialsExpire(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, creds string }{
		{"true expiry", "lifetime=60s"},
		{"expiry told wrong", "lifetime=60s&claim=10m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newWorkerEnv(t)
			env.putObject("pics/big.png", pngOf(t, 400, 240), "image/png", "")
			tab := env.openWorkerPage(t, "creds="+url.QueryEscape(tc.creds), 3*time.Minute)
			type run struct{ Loads, Broken int }
			got := evalJSON[run](t, tab, `
				let loads = 0, broken = 0;
				for (const end = Date.now() + 120e3; Date.now() < end; loads++) {
					const width = 10 + loads; // a new URL each time: no cache answers for the worker
					const img = await loadImage('oss/pics/big.png?process=image/resize,w_' + width);
					if (!img.ok || img.width !== width) broken++;
					await new Promise((resolve) => setTimeout(resolve, 500));
				}
				return { Loads: loads, Broken: broken };`)
			assert.Zero(t, got.Broken, "broken images out of %d", got.Loads)
			assert.Greater(t, got.Loads, 100)
			assert.GreaterOrEqual(t, env.credentialCalls.Load(), int64(2), "credentials fetched again")
			expired := 0
			for _, e := range env.logs.entries(t) {
				if e.Code == "SecurityTokenExpired" {
					expired++
				}
			}
			if tc.creds == "lifetime=60s" {
				assert.Zero(t, expired, "refreshed before the expiry")
			} else {
				assert.Positive(t, expired, "met the expired token at OSS, and went on")
			}
		})
	}
}
