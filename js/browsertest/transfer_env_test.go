package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// transferBucket is the bucket of every transfer environment.
const transferBucket = "photos"

// transferEnv is an emulator for one test, allowing the page server's origin by CORS, with
// a credentials route on the page server (same origin as the page):
//
//	/env/<id>/creds?lifetime=60s&claim=10m   STS credentials minted by the emulator, valid for
//	                                         lifetime (default 1h), claiming to expire after
//	                                         claim (default: the truth)
type transferEnv struct {
	t    testing.TB
	emu  *emulator.Emulator
	srv  *emulator.Server
	logs *requestLog
	// base is the URL of this environment's routes on the page server.
	base string
	// credentialCalls counts /creds requests.
	credentialCalls atomic.Int64
	// routes are this environment's routes on the page server (under base).
	routes *http.ServeMux
}

var envCount atomic.Int64

// newTransferEnv starts an emulator (bucket "photos", CORS for the page server) that adjust may
// configure first, and registers its routes until the test ends.
func newTransferEnv(t testing.TB, adjust ...func(*emulator.Config)) *transferEnv {
	t.Helper()
	logs := &requestLog{}
	cfg := emulator.Config{
		DataDir: t.TempDir(), Buckets: []string{transferBucket},
		CORS:   emulator.CORSRule{AllowedOrigins: []string{serverURL}},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	}
	for _, f := range adjust {
		f(&cfg)
	}
	emu, err := emulator.New(cfg)
	require.NoError(t, err)
	srv, err := emu.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	id := strconv.FormatInt(envCount.Add(1), 10)
	env := &transferEnv{t: t, emu: emu, srv: srv, logs: logs, base: serverURL + "/env/" + id, routes: http.NewServeMux()}
	env.routes.HandleFunc("/creds", env.serveCredentials)
	envRoutes.Store(id, env.routes)
	t.Cleanup(func() { envRoutes.Delete(id) })
	return env
}

// serveCredentials answers flat vending JSON with credentials the emulator minted.
func (e *transferEnv) serveCredentials(w http.ResponseWriter, r *http.Request) {
	e.credentialCalls.Add(1)
	lifetime, claim := time.Hour, time.Duration(0)
	if v := r.URL.Query().Get("lifetime"); v != "" {
		lifetime, _ = time.ParseDuration(v)
	}
	if v := r.URL.Query().Get("claim"); v != "" {
		claim, _ = time.ParseDuration(v)
	}
	creds, err := e.emu.IssueCredentials("browser", "", lifetime)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	expiration := creds.Expiration
	if claim > 0 {
		expiration = time.Now().Add(claim)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{
		"Code": "Success", "AccessKeyId": creds.AccessKeyID, "AccessKeySecret": creds.AccessKeySecret,
		"SecurityToken": creds.SecurityToken, "Expiration": expiration.UTC().Format(time.RFC3339),
		"Bucket": transferBucket, "Region": e.emu.Region(), "Endpoint": e.srv.OSSEndpoint,
	})
}

// clientOptions is the createClient options object (JS) for this environment, with more
// credentials route parameters (e.g. "lifetime=60s").
func (e *transferEnv) clientOptions(params string) string {
	return `{credentials: ` + strconv.Quote(e.base+"/creds?"+params) + `, secure: false}`
}

// openTransferPage opens the transfer test page (ossign.mjs and helpers) in a new tab that
// lives for at most timeout.
func openTransferPage(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	return openPageFor(t, "/pages/transfer.html", timeout)
}

// evalJSON runs an async JS function body in the page and decodes what it returns.
func evalJSON[T any](t testing.TB, ctx context.Context, body string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T]("(async () => {"+body+"})()", chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	return v
}

// requestLog collects the emulator's JSON log lines.
type requestLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends log output.
func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns what was logged.
func (l *requestLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// logEntry is one OSS request line of the emulator's log.
type logEntry struct {
	Msg        string `json:"msg"`
	Method     string `json:"method"`
	Op         string `json:"op"`
	Key        string `json:"key"`
	Status     int    `json:"status"`
	Code       string `json:"code"`
	Fault      string `json:"fault"`
	BodyBytes  int64  `json:"body_bytes"`
	PartNumber string `json:"part_number"`
}

// entries returns the OSS request lines logged so far.
func (l *requestLog) entries(t *testing.T) []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var e logEntry
		require.NoError(t, json.Unmarshal([]byte(line), &e))
		if e.Msg == "oss" {
			out = append(out, e)
		}
	}
	return out
}
