// Package browsertest runs the built JS package in real headless Chromium: the script-tag
// build, an esbuild bundle of the ESM entry, and a dedicated Web Worker must sign exactly as
// the Go signer does. TestMain builds dist/ with cmd/bundle into a temporary directory, serves
// it on 127.0.0.1 and starts one Chromium for every test.
package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	envRoutes sync.Map        // test environment id → its routes, served under /env/<id>/
	serverURL string          // the static server: /dist, /bundle, /pages
	browser   context.Context // the shared Chromium; tests open tabs in it
	workDir   string          // temporary tree the server serves
	repoRoot  string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		code = 1
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	var err error
	if repoRoot, err = filepath.Abs("../.."); err != nil {
		return 1, err
	}
	if workDir, err = os.MkdirTemp("", "ossign-browsertest-"); err != nil {
		return 1, err
	}
	defer os.RemoveAll(workDir)
	if err := buildTree(workDir); err != nil {
		return 1, err
	}
	srv := httptest.NewServer(handler(workDir))
	defer srv.Close()
	serverURL = srv.URL

	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return 1, fmt.Errorf("chromium is not installed (./build.sh test installs Debian's chromium): %w", err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(filepath.Join(workDir, "profile")))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		return 1, fmt.Errorf("starting chromium: %w", err)
	}
	browser = ctx
	return m.Run(), nil
}

// buildTree lays out what the server serves: dist/ (cmd/bundle), pages/ (testdata), bundle/
// (esbuild of pages/esm-entry.mjs resolving "ossign" through node_modules/ossign → dist) and
// vite/ (Vite's build of pages/vite/index.html, the same entry).
func buildTree(dir string) error {
	dist := filepath.Join(dir, "dist")
	if err := run(repoRoot, "go", "run", "./cmd/bundle", "-out", dist); err != nil {
		return err
	}
	if err := os.CopyFS(filepath.Join(dir, "pages"), os.DirFS("testdata")); err != nil {
		return err
	}
	// ali-oss's browser build, for the benchmark's side-by-side figures, served brotli-compressed
	// as ossign's files are.
	if err := os.CopyFS(filepath.Join(dir, "alioss"), os.DirFS(filepath.Join(repoRoot, "js", "node_modules", "ali-oss", "dist"))); err != nil {
		return err
	}
	if err := writeBrotli(filepath.Join(dir, "alioss", "aliyun-oss-sdk.min.js")); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(dist, filepath.Join(dir, "node_modules", "ossign")); err != nil {
		return err
	}
	esbuild := filepath.Join(repoRoot, "js", "node_modules", ".bin", "esbuild")
	if _, err := os.Stat(esbuild); err != nil {
		return fmt.Errorf("esbuild is missing: run `npm ci` in js/ (./build.sh test does): %w", err)
	}
	bundle := filepath.Join(dir, "bundle")
	if err := run(dir, esbuild, "pages/esm-entry.mjs", "--bundle", "--format=esm", "--log-level=warning", "--outfile="+filepath.Join(bundle, "app.js")); err != nil {
		return err
	}
	// esbuild leaves new URL('./ossign.wasm', import.meta.url) alone: the asset goes beside the bundle.
	wasm, err := os.ReadFile(filepath.Join(dist, "ossign.wasm"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bundle, "ossign.wasm"), wasm, 0o644); err != nil {
		return err
	}
	// Vite follows new URL('./ossign.wasm', import.meta.url) and emits the wasm as an asset.
	vite := filepath.Join(repoRoot, "js", "node_modules", ".bin", "vite")
	return run(dir, vite, "build", filepath.Join(dir, "pages", "vite"), "--base", "/vite/", "--outDir", filepath.Join(dir, "vite"), "--logLevel", "warn")
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %w\n%s", name, args, err, out)
	}
	return nil
}

// handler serves the tree, again under /c/ as a production static server would
// (compressedFiles), /wrongmime/ossign.wasm with a Content-Type that defeats
// WebAssembly.instantiateStreaming, as misconfigured servers do, and under /env/<id>/ the
// routes of the test environment registered as id (see transferEnv).
func handler(dir string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(dir)))
	mux.Handle("/c/", http.StripPrefix("/c", compressedFiles(dir)))
	mux.HandleFunc("/env/{id}/", func(w http.ResponseWriter, r *http.Request) {
		h, ok := envRoutes.Load(r.PathValue("id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.StripPrefix("/env/"+r.PathValue("id"), h.(http.Handler)).ServeHTTP(w, r)
	})
	mux.HandleFunc("/wrongmime/ossign.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeFile(w, r, filepath.Join(dir, "dist", "ossign.wasm"))
	})
	return mux
}

// openPage opens path in a new tab, after running the before actions in it, and waits for the
// page to set window.ready; the tab lives for at most a minute.
func openPage(t testing.TB, path string, before ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	return openPageFor(t, path, time.Minute, before...)
}

// openPageFor is openPage with a tab that lives for at most timeout; path may also be a whole
// URL on another server.
func openPageFor(t testing.TB, path string, timeout time.Duration, before ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	if !strings.HasPrefix(path, "http://") {
		path = serverURL + path
	}
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, append(before, chromedp.Navigate(path))...); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("window.ready === true", chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s never became ready: %v", path, err)
	}
	return ctx
}
