package runtimetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// runtimeCandidates are where `npm ci` in js/ puts each runtime's binary: the package's .bin
// entry (which its postinstall script completes), then its Linux x64 platform package (an
// optional dependency, there even when npm ran no install scripts).
var runtimeCandidates = map[string][]string{
	"deno":    {".bin/deno", "@deno/linux-x64-glibc/deno"},
	"bun":     {".bin/bun", "@oven/bun-linux-x64/bin/bun", "@oven/bun-linux-x64-baseline/bin/bun"},
	"workerd": {".bin/workerd", "@cloudflare/workerd-linux-64/bin/workerd"},
}

var binaries sync.Map // runtime name → path, once found

// runtimeBinary is the path of a runtime installed in js/node_modules: the first candidate
// that answers --version.
func runtimeBinary(t testing.TB, name string) string {
	t.Helper()
	if path, ok := binaries.Load(name); ok {
		return path.(string)
	}
	var tried []string
	for _, c := range runtimeCandidates[name] {
		path := filepath.Join(repoRoot, "js", "node_modules", c)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
		cancel()
		if err == nil {
			binaries.Store(name, path)
			return path
		}
		tried = append(tried, fmt.Sprintf("%s: %v %s", c, err, bytes.TrimSpace(out)))
	}
	require.FailNow(t, name+" is not installed: run `npm ci` in js/ (./build.sh test does)", strings.Join(tried, "\n"))
	return ""
}

// scriptRuntime runs a script of the project directory and prints its result as JSON.
type scriptRuntime struct {
	name, script string
	// command is the runtime's command line before the script's name.
	command func(t testing.TB) []string
	// multipart: the runtime also uploads multipartBytes in parts.
	multipart bool
}

func nodeCommand(testing.TB) []string { return []string{"node"} }

func denoCommand(t testing.TB) []string {
	return []string{runtimeBinary(t, "deno"), "run", "--no-prompt", "--no-lock", "--allow-read=" + project, "--allow-net=127.0.0.1"}
}

func bunCommand(t testing.TB) []string { return []string{runtimeBinary(t, "bun"), "run"} }

// scriptRuntimes are the runtimes that run a script; workerd serves a worker instead.
var scriptRuntimes = []scriptRuntime{
	{name: "node-esm", script: "run.mjs", command: nodeCommand},
	{name: "node-cjs", script: "run.cjs", command: nodeCommand},
	{name: "deno", script: "run.mjs", command: denoCommand, multipart: true},
	{name: "bun", script: "run.mjs", command: bunCommand, multipart: true},
}

// runtimeEnv keeps the runtimes' caches in a temporary directory and their output plain.
func runtimeEnv(t testing.TB) []string {
	home := t.TempDir()
	return append(os.Environ(), "DENO_DIR="+filepath.Join(home, "deno"), "DENO_NO_UPDATE_CHECK=1", "NO_COLOR=1",
		"DO_NOT_TRACK=1", "BUN_INSTALL_CACHE_DIR="+filepath.Join(home, "bun"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
}

// runScript writes config.json for the project's scripts, runs the script with the runtime and
// returns the JSON of its last line of output.
func runScript(t testing.TB, rt scriptRuntime, script string, config any) []byte {
	t.Helper()
	raw, err := json.Marshal(config)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(project, "config.json"), raw, 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	argv := append(rt.command(t), script)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.SysProcAttr = project, runtimeEnv(t), killedWithTest()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%s %s:\n%s%s", rt.name, script, stdout.String(), stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return []byte(lines[len(lines)-1])
}

// workerdConfig is the capnp configuration of a worker: its modules (name → file, both
// relative to the config's directory), and an outbound network that reaches the loopback
// emulator when outbound is set (workerd's default allows public addresses only).
func workerdConfig(main string, modules [][2]string, wasm [2]string, outbound bool) string {
	var b strings.Builder
	b.WriteString("using Workerd = import \"/workerd/workerd.capnp\";\n")
	b.WriteString("const config :Workerd.Config = (\n  services = [(name = \"main\", worker = .worker)")
	if outbound {
		b.WriteString(", (name = \"loopback\", network = (allow = [\"local\"]))")
	}
	b.WriteString("],\n  sockets = [(name = \"http\", http = (), service = \"main\")],\n);\n")
	b.WriteString("const worker :Workerd.Worker = (\n  modules = [\n")
	fmt.Fprintf(&b, "    (name = %q, esModule = embed %q),\n", main, main)
	for _, m := range modules {
		fmt.Fprintf(&b, "    (name = %q, esModule = embed %q),\n", m[0], m[1])
	}
	fmt.Fprintf(&b, "    (name = %q, wasm = embed %q),\n  ],\n", wasm[0], wasm[1])
	b.WriteString("  compatibilityDate = \"2025-09-01\",\n")
	if outbound {
		b.WriteString("  globalOutbound = \"loopback\",\n")
	}
	b.WriteString(");\n")
	return b.String()
}

// startWorkerd serves config (a capnp file in dir) with workerd on a listener of 127.0.0.1
// the OS picked, handed over as a file descriptor, and returns its base URL. env is added to
// the process's environment (for fromEnvironment bindings). The process ends with the test.
func startWorkerd(t testing.TB, dir, config string, env ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	defer f.Close()
	cmd := exec.Command(runtimeBinary(t, "workerd"), "serve", config, "--socket-fd", "http=3", "--verbose")
	cmd.Dir, cmd.ExtraFiles, cmd.SysProcAttr = dir, []*os.File{f}, killedWithTest()
	cmd.Env = append(runtimeEnv(t), env...)
	logs, err := os.Create(filepath.Join(t.TempDir(), "workerd.log"))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logs.Close()
		if t.Failed() {
			out, _ := os.ReadFile(logs.Name())
			t.Logf("workerd output:\n%s", out)
		}
	})
	return "http://" + ln.Addr().String()
}

// workerdClient waits long enough for workerd to load its config and compile the module (the
// connection waits in the listener's backlog until then).
var workerdClient = &http.Client{Timeout: 2 * time.Minute}

// workerdEntry is the file dist/package.json's exports give the workerd condition.
func workerdEntry(t testing.TB) string {
	t.Helper()
	pkg, err := readPackageJSON(distDir)
	require.NoError(t, err)
	var root map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(pkg.Exports["."], &root))
	var file string
	require.NoError(t, json.Unmarshal(root["workerd"], &file), "exports[\".\"].workerd")
	return strings.TrimPrefix(file, "./")
}
