package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// machine is what the report says about where and with what it ran.
type machine struct {
	date, os, cpu, cores, memory, goVersion, wasmGo, node, chromium, aliOSS, serverRuntimes string
}

// describeMachine reads the machine's facts and the tools' versions.
func describeMachine() (machine, error) {
	m := machine{date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), cores: itoa(runtime.NumCPU())}
	m.os = command("uname", "-srm")
	m.cpu = procField("/proc/cpuinfo", "model name")
	m.memory = procField("/proc/meminfo", "MemTotal")
	m.goVersion = command("go", "version")
	if b, err := os.ReadFile(filepath.Join("wasm", "GOTOOLCHAIN")); err == nil {
		m.wasmGo = strings.TrimSpace(string(b))
	}
	m.node = command("node", "--version")
	m.chromium = command("chromium", "--version")
	var err error
	if m.aliOSS, err = npmVersion("ali-oss"); err != nil {
		return m, err
	}
	var runtimes []string
	for _, name := range []string{"deno", "bun", "workerd"} {
		v, err := npmVersion(name)
		if err != nil {
			return m, err
		}
		runtimes = append(runtimes, name+" "+v)
	}
	m.serverRuntimes = strings.Join(runtimes, ", ") + " (npm packages of js/)"
	return m, nil
}

// npmVersion is the version of a package installed in js/node_modules ("" when missing).
func npmVersion(name string) (string, error) {
	var pkg struct{ Version string }
	b, err := os.ReadFile(filepath.Join("js", "node_modules", name, "package.json"))
	if err != nil {
		return "", nil
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", err
	}
	return pkg.Version, nil
}

// facts are the rows of the report's header table.
func (m machine) facts() [][2]string {
	return [][2]string{
		{"command", "`./build.sh bench`"}, {"date", m.date}, {"OS", m.os}, {"CPU", m.cpu + " (" + m.cores + " cores)"},
		{"memory", m.memory}, {"Go", m.goVersion + "; ossign.wasm built with " + m.wasmGo}, {"Node", m.node},
		{"Chromium", m.chromium + " (headless)"}, {"ali-oss", m.aliOSS}, {"server runtimes", m.serverRuntimes},
	}
}

// command returns a command's first line of output, or "?".
func command(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

// procField returns a field of a /proc file ("model name : …").
func procField(file, name string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
