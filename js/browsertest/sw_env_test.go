package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// workerEnv is a transfer environment whose routes also serve what a page using ossign-sw.js
// needs, under /env/<id>/ (the worker's scope):
//
//	ossign-sw.js, ossign.<hash8>.wasm   the Service Worker build and its module (dist/)
//	<page>.html                         the pages of testdata, among them sw.html?creds=…&token=…,
//	                                    which registers the worker with prefix /env/<id>/oss/ and
//	                                    the credentials route
//	outside/…                           a route outside the prefix: a 1×1 PNG; counts requests
type workerEnv struct {
	*transferEnv
	// outside counts the requests that reached outside/….
	outside atomic.Int64
	// release (a string) is appended to ossign-sw.js as a comment: a new release of the worker.
	release atomic.Value
}

// newWorkerEnv starts a transfer environment and adds the Service Worker's routes.
func newWorkerEnv(t testing.TB) *workerEnv {
	t.Helper()
	e := &workerEnv{transferEnv: newTransferEnv(t)}
	dist := filepath.Join(workDir, "dist")
	wasm := hashedWasmFile(t)
	e.routes.HandleFunc("/ossign-sw.js", func(w http.ResponseWriter, r *http.Request) {
		script, err := os.ReadFile(filepath.Join(dist, "ossign-sw.js"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if release, _ := e.release.Load().(string); release != "" {
			script = append(script, "\n// "+release+"\n"...)
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(script)
	})
	e.routes.HandleFunc("/"+wasm, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, filepath.Join(dist, wasm))
	})
	e.routes.HandleFunc("/{page}", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.PathValue("page"), ".html") {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(workDir, "pages", r.PathValue("page")))
	})
	pixel := pngOf(t, 1, 1)
	e.routes.HandleFunc("/outside/", func(w http.ResponseWriter, r *http.Request) {
		e.outside.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(pixel)
	})
	return e
}

// hashedWasmFile is the name of the content-hashed module in dist/ (manifest.json).
func hashedWasmFile(t testing.TB) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(workDir, "dist", "manifest.json"))
	require.NoError(t, err)
	var manifest map[string]struct{ File string }
	require.NoError(t, json.Unmarshal(raw, &manifest))
	require.NotEmpty(t, manifest["ossign.wasm"].File)
	return manifest["ossign.wasm"].File
}

// openWorkerPage opens sw.html with the given query (creds=…, token=…) in a new tab that lives
// at most timeout, and waits until the worker controls it.
func (e *workerEnv) openWorkerPage(t testing.TB, query string, timeout time.Duration) context.Context {
	t.Helper()
	return openPageFor(t, e.base+"/sw.html?"+query, timeout)
}

// putObject stores body under key (with the Go SDK and the root key) with its Content-Type and
// Cache-Control ("" for none).
func (e *transferEnv) putObject(key string, body []byte, contentType, cacheControl string) {
	e.t.Helper()
	client := e.sdk()
	req := &oss.PutObjectRequest{Bucket: oss.Ptr(transferBucket), Key: oss.Ptr(key), Body: bytes.NewReader(body)}
	if contentType != "" {
		req.ContentType = oss.Ptr(contentType)
	}
	if cacheControl != "" {
		req.CacheControl = oss.Ptr(cacheControl)
	}
	_, err := client.PutObject(context.Background(), req)
	require.NoError(e.t, err)
}

// putPublicObject stores body under key as putObject does, readable by anyone (public-read).
func (e *transferEnv) putPublicObject(key string, body []byte, contentType, cacheControl string) {
	e.t.Helper()
	client := e.sdk()
	_, err := client.PutObject(context.Background(), &oss.PutObjectRequest{Bucket: oss.Ptr(transferBucket), Key: oss.Ptr(key), Body: bytes.NewReader(body),
		ContentType: oss.Ptr(contentType), CacheControl: oss.Ptr(cacheControl), Acl: oss.ObjectACLPublicRead})
	require.NoError(e.t, err)
}

// pngOf is a PNG of width × height pixels (a gradient).
func pngOf(t testing.TB, width, height int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		for x := range width {
			img.Set(x, y, color.RGBA{uint8(x * 255 / width), uint8(y * 255 / height), 90, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// workerStats is what the worker controlling the tab did since it started (serviceWorkerStats).
type workerStats struct {
	Instance    string
	FetchEvents int
	Signatures  int
	Credentials int
	Module      string
}

// statsOf asks the worker controlling the tab for its figures.
func statsOf(t testing.TB, tab context.Context) workerStats {
	t.Helper()
	return evalJSON[workerStats](t, tab, `const s = await serviceWorkerStats();
		return { Instance: s.instance, FetchEvents: s.fetchEvents, Signatures: s.signatures, Credentials: s.credentials, Module: s.module };`)
}

// workerVersion waits until the tab's browser reports an activated version of the worker
// whose script URL starts with scriptPrefix, in one of the running states given (any, when
// none is), and returns it (CDP ServiceWorker domain).
func workerVersion(t testing.TB, tab context.Context, scriptPrefix string, states ...serviceworker.VersionRunningStatus) *serviceworker.Version {
	t.Helper()
	var found *serviceworker.Version
	_, err := chromedp.Run(tab, chromedp.WaitEvent(serviceworker.WorkerVersionUpdated, func(e serviceworker.EventWorkerVersionUpdated) bool {
		for _, v := range e.Versions {
			if strings.HasPrefix(v.ScriptURL, scriptPrefix) && v.Status == serviceworker.VersionStatusActivated && (len(states) == 0 || slices.Contains(states, v.RunningStatus)) {
				found = v
				return true
			}
		}
		return false
	}, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		// Enable reports every version; a second Enable reports nothing: disable first.
		if _, err := cdp.Call(ctx, target, serviceworker.Disable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, target, serviceworker.Enable, cdp.Empty{})
		return err
	})))
	require.NoError(t, err)
	return found
}

// stopWorker stops the environment's worker as the browser does when it is idle (CDP
// ServiceWorker.stopWorker) and waits until it has stopped.
func (e *workerEnv) stopWorker(t testing.TB, tab context.Context) {
	t.Helper()
	running := workerVersion(t, tab, e.base+"/ossign-sw.js")
	if running.RunningStatus == serviceworker.VersionRunningStatusStopped {
		return
	}
	_, err := chromedp.Run(tab, chromedp.WaitEvent(serviceworker.WorkerVersionUpdated, func(ev serviceworker.EventWorkerVersionUpdated) bool {
		for _, v := range ev.Versions {
			if v.VersionID == running.VersionID && v.RunningStatus == serviceworker.VersionRunningStatusStopped {
				return true
			}
		}
		return false
	}, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, serviceworker.StopWorker, serviceworker.StopWorkerParams{VersionID: running.VersionID})
		return err
	})))
	require.NoError(t, err)
}
