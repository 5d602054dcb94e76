package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distFS is a dist/ as cmd/bundle writes it (ossign.wasm with real brotli bytes beside it),
// with a content-hashed wasm and the demo's index.html.
func distFS(t *testing.T) (fstest.MapFS, []byte) {
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 some module bytes "), 2000)
	var br bytes.Buffer
	w := brotli.NewWriterLevel(&br, brotli.BestCompression)
	_, err := w.Write(wasm)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return fstest.MapFS{
		"ossign.wasm":           {Data: wasm},
		"ossign.wasm.br":        {Data: br.Bytes()},
		"ossign.wasm.gz":        {Data: []byte("gzip bytes")},
		"ossign.mjs":            {Data: []byte("export {}")},
		"ossign.mjs.gz":         {Data: []byte("gzip mjs")},
		"ossign.min.js":         {Data: []byte("var ossign")},
		"ossign.1a2b3c4d.wasm":  {Data: []byte("hashed wasm")},
		"manifest.json":         {Data: []byte(`{"ossign.wasm":"ossign.1a2b3c4d.wasm"}`)},
		"index.d.ts":            {Data: []byte("export {}")},
		"index.html":            {Data: []byte("<!doctype html>")},
		"favicon.svg":           {Data: []byte("<svg/>")},
		"sub/nothing-here.txt":  {Data: []byte("x")},
		"app-0123abcd.js":       {Data: []byte("hashed js")},
		"photo-deadbeefcafe.gz": {Data: []byte("not a sibling")},
	}, br.Bytes()
}

// TestDevStaticHandler is what ossign dev answers for dist/ and web/: among others, `curl -H
// 'Accept-Encoding: br'` on the wasm gets the brotli bytes with Content-Encoding, Vary and
// application/wasm.
func TestDevStaticHandler(t *testing.T) {
	files, brBytes := distFS(t)
	cases := []struct {
		name, method, path, acceptEncoding string
		status                             int
		body, encoding, contentType        string
		vary, caching                      string
	}{
		{name: "brotli when accepted", path: "/ossign.wasm", acceptEncoding: "gzip, deflate, br, zstd",
			body: string(brBytes), encoding: "br", contentType: "application/wasm", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "gzip when brotli is not accepted", path: "/ossign.wasm", acceptEncoding: "gzip, deflate",
			body: "gzip bytes", encoding: "gzip", contentType: "application/wasm", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "brotli refused with q=0", path: "/ossign.wasm", acceptEncoding: "br;q=0, gzip;q=0.5",
			body: "gzip bytes", encoding: "gzip", contentType: "application/wasm", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "any encoding by *", path: "/ossign.mjs", acceptEncoding: "*",
			body: "gzip mjs", encoding: "gzip", contentType: "text/javascript; charset=utf-8", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "identity without Accept-Encoding, still Vary", path: "/ossign.mjs",
			body: "export {}", contentType: "text/javascript; charset=utf-8", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "no sibling, no Vary", path: "/ossign.min.js", acceptEncoding: "br, gzip",
			body: "var ossign", contentType: "text/javascript; charset=utf-8", caching: "no-cache"},
		{name: "content-hashed wasm is immutable", path: "/ossign.1a2b3c4d.wasm", acceptEncoding: "br",
			body: "hashed wasm", contentType: "application/wasm", caching: "public, max-age=31536000, immutable"},
		{name: "content-hashed script is immutable", path: "/app-0123abcd.js",
			body: "hashed js", contentType: "text/javascript; charset=utf-8", caching: "public, max-age=31536000, immutable"},
		{name: "the manifest is revalidated", path: "/manifest.json",
			body: `{"ossign.wasm":"ossign.1a2b3c4d.wasm"}`, contentType: "application/json", caching: "no-cache"},
		{name: "type definitions are text", path: "/index.d.ts",
			body: "export {}", contentType: "text/plain; charset=utf-8", caching: "no-cache"},
		{name: "index.html for /", path: "/", body: "<!doctype html>", contentType: "text/html; charset=utf-8", caching: "no-cache"},
		{name: "favicon", path: "/favicon.svg", body: "<svg/>", contentType: "image/svg+xml", caching: "no-cache"},
		{name: "no directory listing", path: "/sub/", status: http.StatusNotFound},
		{name: "a directory is not a file", path: "/sub", status: http.StatusNotFound},
		{name: "missing", path: "/nope.js", status: http.StatusNotFound},
		{name: "no way out of the root", path: "/../../etc/passwd", status: http.StatusNotFound},
		{name: "HEAD", method: http.MethodHead, path: "/ossign.wasm", acceptEncoding: "br",
			encoding: "br", contentType: "application/wasm", vary: "Accept-Encoding", caching: "no-cache"},
		{name: "no writes", method: http.MethodPost, path: "/ossign.wasm", status: http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tc.path, nil)
			if tc.acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", tc.acceptEncoding)
			}
			rec := httptest.NewRecorder()
			staticHandler(files).ServeHTTP(rec, req)
			want := tc.status
			if want == 0 {
				want = http.StatusOK
			}
			require.Equal(t, want, rec.Code, rec.Body.String())
			if want != http.StatusOK {
				assert.Empty(t, rec.Header().Get("Content-Encoding"))
				return
			}
			assert.Equal(t, tc.body, rec.Body.String())
			assert.Equal(t, tc.encoding, rec.Header().Get("Content-Encoding"))
			assert.Equal(t, tc.contentType, rec.Header().Get("Content-Type"))
			assert.Equal(t, tc.vary, rec.Header().Get("Vary"))
			assert.Equal(t, tc.caching, rec.Header().Get("Cache-Control"))
		})
	}
}

func TestAcceptsEncoding(t *testing.T) {
	cases := []struct {
		header, encoding string
		want             bool
	}{
		{"gzip, deflate, br, zstd", "br", true},
		{"gzip, deflate", "br", false},
		{"BR", "br", true},
		{"br;q=0", "br", false},
		{"br; q=0.001", "br", true},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"gzip;q=0, *", "gzip", false},
		{"", "gzip", false},
		{"identity", "gzip", false},
	}
	for _, tc := range cases {
		t.Run(tc.header+" "+tc.encoding, func(t *testing.T) {
			assert.Equal(t, tc.want, accepts(tc.header, tc.encoding))
		})
	}
}

// contentHashed must not mistake ordinary names for hashed ones.
func TestContentHashedNames(t *testing.T) {
	for name, want := range map[string]bool{
		"ossign.1a2b3c4d.wasm": true, "ossign.0123456789abcdef.mjs": true, "index-9f86d081.js": true,
		"ossign.wasm": false, "ossign.min.js": false, "manifest.json": false, "ossign.1A2B3C4D.wasm": false,
		"ossign.1a2b3c.wasm": false, "index.d.ts": false, "ossign.1a2b3c4d": false,
	} {
		assert.Equal(t, want, strings.Contains(cachingOf(name), "immutable"), name)
	}
}

// TestDevServiceWorkerAllowed checks ossign dev lets the demo register dist/'s Service Worker
// for the whole site: /dist/ossign-sw.js, and only it, says Service-Worker-Allowed: /.
func TestDevServiceWorkerAllowed(t *testing.T) {
	dist, web := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dist, "ossign-sw.js"), []byte("self.onfetch = null"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dist, "ossign.mjs"), []byte("export {}"), 0o644))
	routes := devRoutes(http.NotFoundHandler(), dist, web)
	for path, allowed := range map[string]string{"/dist/ossign-sw.js": "/", "/dist/ossign.mjs": ""} {
		rec := httptest.NewRecorder()
		routes.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, path)
		assert.Equal(t, allowed, rec.Header().Get("Service-Worker-Allowed"), path)
		assert.Equal(t, "text/javascript; charset=utf-8", rec.Header().Get("Content-Type"), path)
	}
}
