// Package runtimetest runs the built npm package in the server-side JavaScript runtimes, each
// installed from npm as a pinned dev dependency of js/: Node 20 (ESM and CommonJS), Deno, Bun
// and Cloudflare's workerd. TestMain builds dist/ with cmd/bundle into a temporary directory and
// installs it the way npm would (the files package.json lists, under node_modules/ossign) into a
// temporary project, where each runtime imports it by its name: the package's exports
// conditions pick the file, and the file finds ossign.wasm by itself.
package runtimetest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var (
	repoRoot string
	distDir  string // cmd/bundle's output
	project  string // the application directory: node_modules/ossign, the scripts of testdata
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "runtimetest:", err)
		code = 1
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	var err error
	if repoRoot, err = filepath.Abs("../.."); err != nil {
		return 1, err
	}
	work, err := os.MkdirTemp("", "ossign-runtimetest-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(work)
	distDir = filepath.Join(work, "dist")
	build := exec.Command("go", "run", "./cmd/bundle", "-out", distDir)
	build.Dir, build.Stderr = repoRoot, os.Stderr
	if err := build.Run(); err != nil {
		return 1, fmt.Errorf("building dist/: %w", err)
	}
	project = filepath.Join(work, "app")
	if err := installPackage(distDir, filepath.Join(project, "node_modules", "ossign")); err != nil {
		return 1, err
	}
	if err := os.CopyFS(project, os.DirFS("testdata")); err != nil {
		return 1, err
	}
	cases, err := os.ReadFile(filepath.Join(repoRoot, "js", "test", "cases.mjs"))
	if err != nil {
		return 1, err
	}
	if err := os.WriteFile(filepath.Join(project, "cases.mjs"), cases, 0o644); err != nil {
		return 1, err
	}
	// Deno resolves bare specifiers through the dependencies package.json declares.
	app := `{"name": "app", "private": true, "type": "module", "dependencies": {"ossign": "*"}}`
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(app), 0o644); err != nil {
		return 1, err
	}
	return m.Run(), nil
}

// packageJSON is what the tests read of dist/package.json.
type packageJSON struct {
	Files   []string `json:"files"`
	Exports map[string]json.RawMessage
}

func readPackageJSON(dir string) (packageJSON, error) {
	var pkg packageJSON
	raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return pkg, err
	}
	return pkg, json.Unmarshal(raw, &pkg)
}

// installPackage copies what `npm pack` would publish (package.json and its files) to dst.
func installPackage(dist, dst string) error {
	pkg, err := readPackageJSON(dist)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, pattern := range append([]string{"package.json"}, pkg.Files...) {
		paths, err := filepath.Glob(filepath.Join(dist, pattern)) // `files` takes globs, as npm does
		if err != nil || len(paths) == 0 {
			return fmt.Errorf("package.json lists %s: no such file in %s", pattern, dist)
		}
		for _, path := range paths {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(path)), b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
