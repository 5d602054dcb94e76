package browsertest

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openRedirectPage opens sw.html in the environment's second scope (images/) with the worker
// registered there with redirect=images and the given query (creds=…).
func (e *workerEnv) openRedirectPage(t testing.TB, query string, timeout time.Duration) context.Context {
	t.Helper()
	return openPageFor(t, e.base+"/images/sw.html?redirect=images&"+query, timeout)
}

// TestWorkerRedirectsImages registers the worker with redirect=images and credentials that may
// read pics/ only: plain images show with their natural width, fetched by the browser from
// OSS (one signature and one OSS request each; the image is cross-origin, so a canvas it is
// drawn on is tainted), while <img crossorigin> and fetch() still get the body through the
// worker. An object the user may not read is a broken image whose response is OSS's own 403
// with its request id. Requests outside the prefix never reach the worker.
func TestWorkerRedirectsImages(t *testing.T) {
	env := newWorkerEnv(t)
	photo := pngOf(t, 37, 23)
	for _, key := range []string{"pics/a.png", "pics/中文 b+c.png", "private/x.png"} {
		env.putObject(key, photo, "image/png", "")
	}
	tab := env.openRedirectPage(t, "creds=only%3Dpics%2F", time.Minute)
	images := []struct {
		name, src, crossOrigin string
		want                   imageResult
		signatures             int
	}{
		{name: "private object", src: "oss/pics/a.png", want: imageResult{OK: true, Width: 37, Tainted: true}, signatures: 1},
		{name: "awkward key, percent-encoded", src: "oss/pics/%E4%B8%AD%E6%96%87%20b+c.png", want: imageResult{OK: true, Width: 37, Tainted: true}, signatures: 1},
		{name: "resized by OSS", src: "oss/pics/a.png?process=image/resize,w_20", want: imageResult{OK: true, Width: 20, Tainted: true}, signatures: 1},
		{name: "crossorigin: through the worker, pixels readable", src: "oss/pics/a.png?process=image/resize,w_21", crossOrigin: "anonymous",
			want: imageResult{OK: true, Width: 21}, signatures: 1},
		{name: "not the user's to read", src: "oss/private/x.png", want: imageResult{}, signatures: 1},
		{name: "the worker's own refusal: a typo in the query", src: "oss/pics/a.png?proces=image/resize,w_1", want: imageResult{}},
	}
	for _, img := range images {
		before, logged := statsOf(t, tab), len(env.logs.entries(t))
		crossOrigin := "undefined"
		if img.crossOrigin != "" {
			crossOrigin = jsString(img.crossOrigin)
		}
		got := evalJSON[imageResult](t, tab, "return loadImage("+jsString(img.src)+", "+crossOrigin+");")
		assert.Equal(t, img.want, got, img.name)
		after := statsOf(t, tab)
		assert.Equal(t, img.signatures, after.Signatures-before.Signatures, "%s: signatures", img.name)
		assert.Len(t, env.logs.entries(t), logged+img.signatures, "%s: requests at OSS", img.name)
	}

	// The denied image's response, as DevTools shows it: OSS's own, with its request id.
	denied := ossResponse(t, tab, env.srv.OSSEndpoint, func() {
		evalJSON[imageResult](t, tab, `return loadImage('oss/private/x.png?response-cache-control=no-store');`)
	})
	assert.EqualValues(t, 403, denied.Status)
	requestID, _ := headerValue(denied.Headers, "x-oss-request-id")
	assert.Regexp(t, `^[0-9A-F]{24}$`, requestID, "OSS's request id in the image's response")
	assert.Contains(t, denied.URL, "x-oss-signature", "the response URL is the signed one")

	fetched := evalJSON[fetchResult](t, tab, `return fetchInfo('oss/private/x.png');`)
	assert.Equal(t, 403, fetched.Status, "fetch() still goes through the worker")
	assert.Equal(t, "AccessDenied", fetched.Code)

	before, logged := statsOf(t, tab), len(env.logs.entries(t))
	for _, src := range []string{"outside/a.png", "ossx/a.png"} {
		evalJSON[imageResult](t, tab, "return loadImage("+jsString(src)+");")
	}
	assert.Equal(t, before, statsOf(t, tab), "requests outside the prefix never reach the worker")
	assert.EqualValues(t, 1, env.outside.Load(), "outside/a.png went to the server")
	assert.Len(t, env.logs.entries(t), logged, "nothing more reached OSS")
}

// TestWorkerRedirectsExpire keeps showing redirected images for 25 seconds, a new one every
// quarter second, with credentials that live 10 s. Told their true expiry, the worker signs
// every URL with credentials a due refresh renewed first: no image breaks and OSS never sees
// an expired token. Told 10 minutes, it cannot know: OSS answers SecurityTokenExpired to the
// browser, which the worker never sees, and images break (the trade-off the README states;
// without redirect, the worker signs again and nothing breaks: TestWorkerCredentialsExpire).
func TestWorkerRedirectsExpire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, creds string
		breaks      bool
	}{
		{"true expiry", "lifetime=10s", false},
		{"expiry told wrong", "lifetime=10s&claim=10m", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newWorkerEnv(t)
			env.putObject("pics/big.png", pngOf(t, 400, 240), "image/png", "")
			tab := env.openRedirectPage(t, "creds="+url.QueryEscape(tc.creds), time.Minute)
			type run struct{ Loads, Broken int }
			got := evalJSON[run](t, tab, `
				let loads = 0, broken = 0;
				for (const end = Date.now() + 25e3; Date.now() < end; loads++) {
					const width = 10 + loads; // a new URL each time: no cache answers
					const img = await loadImage('oss/pics/big.png?process=image/resize,w_' + width);
					if (!img.ok || img.width !== width || !img.tainted) broken++;
					await new Promise((resolve) => setTimeout(resolve, 250));
				}
				return { Loads: loads, Broken: broken };`)
			assert.Greater(t, got.Loads, 50)
			expired := 0
			for _, e := range env.logs.entries(t) {
				if e.Code == "SecurityTokenExpired" {
					expired++
				}
			}
			if tc.breaks {
				assert.Positive(t, got.Broken, "images signed with the expired token break")
				assert.Positive(t, expired)
				return
			}
			assert.Zero(t, got.Broken, "broken images out of %d", got.Loads)
			assert.Zero(t, expired, "every URL signed with credentials refreshed ahead of their expiry")
			assert.GreaterOrEqual(t, env.credentialCalls.Load(), int64(3), "credentials fetched again")
		})
	}
}

// ossResponse is the first response from OSS (endpoint) the tab receives once do has
// started it, as DevTools shows it: the URL of the request (Network.requestWillBeSent) and the
// status and headers of its response (Network.responseReceivedExtraInfo, which Chromium
// reports also for responses it keeps from the page, such as a no-cors image's error).
func ossResponse(t *testing.T, tab context.Context, endpoint string, do func()) rawResponse {
	t.Helper()
	_, err := chromedp.Call(tab, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	defer chromedp.Call(tab, network.Disable, cdp.Empty{})
	listen, stop := context.WithCancel(tab)
	defer stop()
	var mu sync.Mutex
	urls := map[network.RequestID]string{}
	responses := map[network.RequestID]*network.EventResponseReceivedExtraInfo{}
	found := make(chan rawResponse, 1)
	require.NoError(t, chromedp.Listen(listen, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		var id network.RequestID
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(ev.Request.URL, endpoint) {
				return
			}
			id, urls[ev.RequestID] = ev.RequestID, ev.Request.URL
		case *network.EventResponseReceivedExtraInfo:
			if _, fromOSS := headerValue(ev.Headers, "x-oss-request-id"); !fromOSS {
				return
			}
			id, responses[ev.RequestID] = ev.RequestID, ev
		default:
			return
		}
		if url, response := urls[id], responses[id]; url != "" && response != nil {
			select {
			case found <- rawResponse{URL: url, Status: response.StatusCode, Headers: response.Headers}:
			default:
			}
		}
	}))
	do()
	select {
	case r := <-found:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("no response from %s", endpoint)
		return rawResponse{}
	}
}

// rawResponse is a response as the browser's network stack saw it.
type rawResponse struct {
	URL     string
	Status  int64
	Headers network.Headers
}

// headerValue is the value of the header name (any case) in headers.
func headerValue(headers network.Headers, name string) (string, bool) {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			s, ok := v.(string)
			return s, ok
		}
	}
	return "", false
}
