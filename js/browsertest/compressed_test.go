package browsertest

import (
	"bytes"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// compressedFiles serves dir as a production static server would, for the start-up benchmark:
// a file's precompressed .br (or .gz) sibling when the browser accepts it, the right
// Content-Type (application/wasm, text/javascript), and Cache-Control: max-age=3600 so that a
// warm load comes from the HTTP cache.
func compressedFiles(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=3600")
		h.Add("Vary", "Accept-Encoding")
		if t := contentType(name); t != "" {
			h.Set("Content-Type", t)
		}
		accepted := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if _, err := os.Stat(name + enc.ext); err == nil && strings.Contains(accepted, enc.token) {
				h.Set("Content-Encoding", enc.token)
				http.ServeFile(w, r, name+enc.ext)
				return
			}
		}
		http.ServeFile(w, r, name)
	})
}

// contentType is the Content-Type of a file by its extension.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	}
	return mime.TypeByExtension(path.Ext(name))
}

// writeBrotli writes name.br, name compressed at brotli's best quality (as cmd/bundle does for
// the package's own files).
func writeBrotli(name string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(name+".br", buf.Bytes(), 0o644)
}
