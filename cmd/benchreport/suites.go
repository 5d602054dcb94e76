package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// results maps a benchmark name without its -GOMAXPROCS suffix ("BenchmarkChromiumSigning/ossign")
// to its metrics by unit ("µs/v4URL"), one value per run (-count).
type results map[string]map[string][]float64

// get returns the median of a metric's runs, and whether it was measured.
func (r results) get(bench, unit string) (float64, bool) {
	v := slices.Sorted(slices.Values(r[bench][unit]))
	if len(v) == 0 {
		return 0, false
	}
	return v[len(v)/2], true
}

// set records a metric measured outside `go test`.
func (r results) set(bench, unit string, v float64) {
	if r[bench] == nil {
		r[bench] = map[string][]float64{}
	}
	r[bench][unit] = append(r[bench][unit], v)
}

// suite is one benchmark command; its output is shown as it runs and parsed into results.
type suite struct {
	title string
	// env is added to the command's environment; wasmGo runs it with the wasm toolchain under Node.
	args   []string
	wasmGo bool
	// prefix is prepended to the benchmark names it reports (to tell the wasm run from the native).
	prefix string
	// processes runs the command this many times (default once), each run's figures going into
	// the medians: for benchmarks that a previous run in the same process disturbs.
	processes int
}

// suites are the benchmark runs, in order. They are bounded: -benchtime counts where a
// benchmark measures by itself, so that ./build.sh bench stays within 15 minutes on 2 cores.
var suites = []suite{
	{title: "Go signer, native (3 runs, medians)", args: []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", "500ms", "-count", "3", "./signer"}},
	{title: "Go signer compiled to wasm, run by Node (3 runs, medians)", wasmGo: true, prefix: "wasm:",
		args: []string{"test", "-run", "^$", "-bench", "Presign|SignHeader|PostPolicy|CRC64", "-benchmem", "-benchtime", "500ms", "-count", "3", "./signer"}},
	{title: "vending: GET /sts at cache hit", args: []string{"test", "-run", "^$", "-bench", "VendingCacheHit", "-benchtime", "20000x", "./vending"}},
	// Three processes rather than -count 3: a run's data directory, freed as it ends, slows the
	// next run's disk flushes in the same process (the disk is still discarding the blocks).
	{title: "emulator: CompleteMultipartUpload (5 completions, 3 processes, medians)", processes: 3,
		args: []string{"test", "-count", "1", "-run", "^$", "-bench", "CompleteMultipartUpload", "-benchtime", "5x", "./emulator"}},
	{title: "headless Chromium: signing, start-up, uploads", args: []string{"test", "-run", "^$", "-bench", "Chromium", "-benchtime", "1x", "-timeout", "30m", "./js/browsertest"}},
	{title: "server runtimes: Node, Deno, Bun, workerd, and ali-oss in Node", args: []string{"test", "-run", "^$", "-bench", "Runtimes", "-benchtime", "1x", "-timeout", "20m", "./js/runtimetest"}},
}

// run runs the suite (s.processes times), echoing its output, and adds what it measured to r.
func (s suite) run(r results) error {
	for range max(s.processes, 1) {
		if err := s.runOnce(r); err != nil {
			return err
		}
	}
	return nil
}

// runOnce runs the suite's command once and adds what it measured to r.
func (s suite) runOnce(r results) error {
	cmd := exec.Command("go", s.args...)
	cmd.Stderr = os.Stderr
	if s.wasmGo {
		toolchain, err := os.ReadFile(filepath.Join("wasm", "GOTOOLCHAIN"))
		if err != nil {
			return err
		}
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return err
		}
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOTOOLCHAIN="+strings.TrimSpace(string(toolchain)),
			"PATH="+os.Getenv("PATH")+":"+filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm"))
	}
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	if err := cmd.Run(); err != nil {
		return err
	}
	return parseBench(&out, s.prefix, r)
}

// parseBench reads `go test -bench` lines: name, iterations, then value-unit pairs.
func parseBench(rd io.Reader, prefix string, r results) error {
	scan := bufio.NewScanner(rd)
	for scan.Scan() {
		f := strings.Fields(scan.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("%q: %w", scan.Text(), err)
			}
			r.set(prefix+name, f[i+1], v)
		}
	}
	return scan.Err()
}
