package browsertest

import (
	"bufio"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	buildBinary sync.Once
	binaryErr   error
)

// ossignBinary builds cmd/ossign once for the tests that run it as a user would.
func ossignBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(workDir, "ossign")
	buildBinary.Do(func() { binaryErr = run(repoRoot, "go", "build", "-o", bin, "./cmd/ossign") })
	require.NoError(t, binaryErr)
	return bin
}

// startDev runs `ossign dev` on a port the OS picks with the built package and the given web
// root and flags, until the test ends; it returns the URL it prints and its log.
func startDev(t *testing.T, web string, flags ...string) (string, *requestLog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"dev", "-addr", "127.0.0.1:0", "-dist", filepath.Join(workDir, "dist"), "-web", web}, flags...)
	cmd := exec.CommandContext(ctx, ossignBinary(t), args...)
	logs := &requestLog{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	pageURL := make(chan string, 1)
	go func() {
		scan := bufio.NewScanner(stdout)
		for scan.Scan() {
			if u, ok := strings.CutPrefix(scan.Text(), "ossign dev: open "); ok {
				pageURL <- u
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-pageURL:
		return strings.TrimSuffix(u, "/"), logs
	case <-time.After(30 * time.Second):
		t.Fatalf("ossign dev printed no URL; its log:\n%s", logs.String())
		return "", nil
	}
}
