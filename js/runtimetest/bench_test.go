package runtimetest

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	benchCalls     = 20000 // V4 URLs per timed round (ali-oss: benchCallsAli)
	benchCallsAli  = 5000
	benchColdRuns  = 7 // fresh processes per cold-start figure
	workerdRounds  = 5
	benchURLRounds = "5"
)

// benchFigures is what bench.mjs and bench-alioss.cjs print.
type benchFigures struct {
	ColdMs     float64 `json:"coldMs"`
	UsPerV4URL float64 `json:"usPerV4URL"`
}

func median(v []float64) float64 {
	v = slices.Sorted(slices.Values(v))
	return v[len(v)/2]
}

// benchScript runs script with the arguments (`calls` once, `cold` in benchColdRuns fresh
// processes) and reports µs per V4 URL and the median cold start.
func benchScript(b *testing.B, rt scriptRuntime, script string, args []string, calls string) {
	run := func(mode string) benchFigures {
		argv := append(append(rt.command(b), script), append(slices.Clone(args), mode, calls, benchURLRounds)...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir, cmd.Env, cmd.SysProcAttr = project, runtimeEnv(b), killedWithTest()
		out, err := cmd.Output()
		require.NoError(b, err, "%s %s: %s", rt.name, script, out)
		var f benchFigures
		require.NoError(b, json.Unmarshal(out, &f), "%s", out)
		return f
	}
	var cold []float64
	for range benchColdRuns {
		cold = append(cold, run("cold").ColdMs)
	}
	b.ReportMetric(run("calls").UsPerV4URL, "µs/v4URL")
	b.ReportMetric(median(cold), "ms-cold")
}

// timeRequest is the wall time of one GET.
func timeRequest(b *testing.B, url string) time.Duration {
	start := time.Now()
	resp, err := workerdClient.Get(url)
	require.NoError(b, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(b, http.StatusOK, resp.StatusCode, "%s", body)
	return time.Since(start)
}

// benchWorkerd times V4 URLs in workerd from outside, since its clocks stand still while a
// request computes: (a request signing benchCalls URLs − a request signing none) / benchCalls,
// median of rounds. Cold start: process start → first signed URL, less the same for a worker
// without ossign (workerd compiles the wasm module when it loads its config).
func benchWorkerd(b *testing.B) {
	wasm := [2]string{"ossign.wasm", "node_modules/ossign/ossign.wasm"}
	ossignModules := [][2]string{{"bench-ops.mjs", "bench-ops.mjs"}, {"ossign", "node_modules/ossign/" + workerdEntry(b)}}
	configs := map[string]string{
		"bench.capnp": workerdConfig("bench-worker.mjs", ossignModules, wasm, false),
		// The baseline worker imports nothing; the wasm module is declared all the same.
		"plain.capnp": workerdConfig("plain-worker.mjs", nil, wasm, false),
	}
	for name, config := range configs {
		require.NoError(b, os.WriteFile(filepath.Join(project, name), []byte(config), 0o644))
	}
	firstAnswer := func(config, path string) float64 {
		start := time.Now()
		base := startWorkerd(b, project, config)
		timeRequest(b, base+path)
		return float64(time.Since(start).Microseconds()) / 1000
	}
	var cold []float64
	for range benchColdRuns {
		cold = append(cold, firstAnswer("bench.capnp", "/?n=1")-firstAnswer("plain.capnp", "/"))
	}
	base := startWorkerd(b, project, "bench.capnp")
	n := strconv.Itoa(benchCalls)
	timeRequest(b, base+"/?n="+n) // warm-up: client, tier-up
	var perCall []float64
	for range workerdRounds {
		empty := timeRequest(b, base+"/?n=0")
		full := timeRequest(b, base+"/?n="+n)
		perCall = append(perCall, float64((full-empty).Nanoseconds())/1000/benchCalls)
	}
	b.ReportMetric(median(perCall), "µs/v4URL")
	b.ReportMetric(median(cold), "ms-cold")
}

// BenchmarkRuntimes measures a V4 presigned URL (µs per call) and the cold start (import →
// first signature, ms) of the package in Node, Deno, Bun and workerd, and ali-oss's
// signatureUrlV4 in Node in the same run (ali-oss does not run on workerd). ./build.sh bench
// (cmd/benchreport) runs it with -benchtime 1x: each figure is a median of its own.
func BenchmarkRuntimes(b *testing.B) {
	node := scriptRuntimes[0]
	aliOSS := filepath.Join(repoRoot, "js", "node_modules", "ali-oss")
	b.Run("ali-oss-node", func(b *testing.B) {
		benchScript(b, node, "bench-alioss.cjs", []string{aliOSS}, strconv.Itoa(benchCallsAli))
	})
	for _, rt := range []scriptRuntime{node, scriptRuntimes[2], scriptRuntimes[3]} {
		b.Run(rt.name, func(b *testing.B) {
			benchScript(b, rt, "bench.mjs", nil, strconv.Itoa(benchCalls))
		})
	}
	b.Run("workerd", benchWorkerd)
}
