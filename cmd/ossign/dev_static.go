package main

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// precompressedEncodings are the encodings ossign dev sends from a file's precompressed
// sibling (cmd/bundle writes .br and .gz next to each artifact), best first.
var precompressedEncodings = []struct{ name, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// contentTypes are the types ossign dev sends by extension; others come from the system's
// table. application/wasm lets browsers compile the module while it downloads.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".mjs":  "text/javascript; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ts":   "text/plain; charset=utf-8", // index.d.ts, not an MPEG transport stream
}

// contentHashed matches a file name that carries a content hash, such as ossign.1a2b3c4d.wasm
// or app-0123abcd.js: the bytes behind such a name never change.
var contentHashed = regexp.MustCompile(`[.-][0-9a-f]{8,64}\.[A-Za-z0-9]+$`)

const (
	// immutableCaching is the Cache-Control of content-hashed files: a year, never revalidated.
	immutableCaching = "public, max-age=31536000, immutable"
	// revalidatedCaching is the Cache-Control of every other file: kept, but revalidated
	// (Last-Modified) before each use, so a rebuilt dist/ shows at the next load.
	revalidatedCaching = "no-cache"
)

// staticHandler serves the files of root: index.html for a path ending in "/", a file's
// precompressed sibling when the request accepts its encoding (with Content-Encoding and
// Vary: Accept-Encoding, and the type of the file itself), long-lived immutable caching for
// content-hashed names and revalidation for the rest. It lists no directories.
func staticHandler(root fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" || strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if !isFile(root, name) {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentTypeOf(name))
		h.Set("Cache-Control", cachingOf(name))
		h.Set("X-Content-Type-Options", "nosniff")
		send := name
		for _, enc := range precompressedEncodings {
			if !isFile(root, name+enc.suffix) {
				continue
			}
			if send == name && accepts(r.Header.Get("Accept-Encoding"), enc.name) {
				send = name + enc.suffix
				h.Set("Content-Encoding", enc.name)
			}
			h.Set("Vary", "Accept-Encoding")
		}
		serveFile(w, r, root, send)
	})
}

// serveFile sends one file of root with http.ServeContent (Range, If-Modified-Since).
func serveFile(w http.ResponseWriter, r *http.Request, root fs.FS, name string) {
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	content, ok := f.(io.ReadSeeker)
	if err != nil || !ok {
		http.Error(w, "500 cannot read "+name, http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, "", info.ModTime(), content)
}

// isFile reports whether name is a regular file of root.
func isFile(root fs.FS, name string) bool {
	info, err := fs.Stat(root, name)
	return err == nil && info.Mode().IsRegular()
}

// contentTypeOf is the Content-Type of a file by its extension.
func contentTypeOf(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// cachingOf is the Cache-Control of a file by its name.
func cachingOf(name string) string {
	if contentHashed.MatchString(path.Base(name)) {
		return immutableCaching
	}
	return revalidatedCaching
}

// accepts reports whether an Accept-Encoding header accepts the encoding: named, or by "*",
// with a quality above zero.
func accepts(header, encoding string) bool {
	star := false
	for _, item := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, encoding) && name != "*" {
			continue
		}
		ok := quality(params) > 0
		if name != "*" {
			return ok
		}
		star = ok
	}
	return star
}

// quality reads q= from an Accept-Encoding item's parameters (1 when absent or unreadable).
func quality(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(name, "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				return q
			}
		}
	}
	return 1
}
