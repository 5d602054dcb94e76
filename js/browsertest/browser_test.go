package browsertest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signCase is one signing input, given to the page as JSON and to the Go signer.
type signCase struct {
	version     signer.Version
	key, method string
	contentType string
	query       map[string]string
	token       string
}

var (
	signedAt = time.Date(2026, 11, 23, 10, 20, 30, 0, time.UTC)
	cases    = []signCase{
		{version: signer.V4, key: "users/42/holiday photo+1.jpg", method: "PUT", contentType: "image/jpeg", token: "tok+/="},
		{version: signer.V4, key: "中文/a#b?c%d", method: "GET", query: map[string]string{"response-content-disposition": "attachment; filename=\"x y.txt\"", "x-oss-process": "image/resize,w_100"}},
		{version: signer.V1, key: "dir/a b+c.txt", method: "GET", query: map[string]string{"versionId": "CAEQ+1"}, token: "tok+/="},
		{version: signer.V1, key: "upload.bin", method: "PUT", contentType: "application/octet-stream"},
	}
)

// pageCase is the JSON the runner page reads (testdata/runner.mjs).
type pageCase struct {
	Now         int64             `json:"now"`
	Client      map[string]any    `json:"client"`
	Credentials map[string]string `json:"credentials"`
	Key         string            `json:"key"`
	Opts        map[string]any    `json:"opts"`
}

type pageResult struct {
	URL           string `json:"url"`
	Authorization string `json:"authorization"`
}

func (c signCase) credentials() signer.Credentials {
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: c.token}
	if c.token != "" {
		creds.Expiration = signedAt.Add(time.Hour)
	}
	return creds
}

func (c signCase) page() pageCase {
	creds := c.credentials()
	pc := pageCase{
		Now:         signedAt.UnixMilli(),
		Client:      map[string]any{"region": "cn-hangzhou", "bucket": "examplebucket", "signatureVersion": string(c.version)},
		Credentials: map[string]string{"AccessKeyId": creds.AccessKeyID, "AccessKeySecret": creds.AccessKeySecret},
		Key:         c.key,
		Opts:        map[string]any{"method": c.method, "queries": c.query, "headers": map[string]string{}},
	}
	if c.token != "" {
		pc.Credentials["SecurityToken"] = c.token
		pc.Credentials["Expiration"] = creds.Expiration.Format(time.RFC3339)
	}
	if c.contentType != "" {
		pc.Opts["headers"] = map[string]string{"Content-Type": c.contentType}
	}
	return pc
}

// expected signs c with the Go signer: the URL of signatureUrl (ali-oss's default 1800 s) and
// the Authorization of signRequest.
func (c signCase) expected(t *testing.T) pageResult {
	req := signer.Request{Method: c.method, Bucket: "examplebucket", Key: c.key, Expires: 1800 * time.Second}
	for name, value := range c.query {
		req.Query = append(req.Query, signer.Param{Name: name, Value: value})
	}
	if c.contentType != "" {
		req.Headers = []signer.Header{{Name: "Content-Type", Value: c.contentType}}
	}
	target := signer.Target{Region: "cn-hangzhou", Version: c.version}
	p, err := signer.Presign(target, c.credentials(), req, signedAt)
	require.NoError(t, err)
	req.Expires = 0
	h, err := signer.SignHeaders(target, c.credentials(), req, signedAt)
	require.NoError(t, err)
	var auth string
	for _, hd := range h.Headers {
		if hd.Name == "Authorization" {
			auth = hd.Value
		}
	}
	return pageResult{URL: p.URL, Authorization: auth}
}

// runPage signs every case in the page at path and checks each result against the Go signer.
func runPage(t *testing.T, path string) {
	page := make([]pageCase, len(cases))
	for i, c := range cases {
		page[i] = c.page()
	}
	input, err := json.Marshal(page)
	require.NoError(t, err)
	ctx := openPage(t, path)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]pageResult]("runCases("+string(input)+")", chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Len(t, got, len(cases))
	for i, c := range cases {
		want := c.expected(t)
		assert.Equal(t, want.URL, got[i].URL, "case %d (%s %s): presigned URL", i, c.version, c.key)
		assert.Equal(t, want.Authorization, got[i].Authorization, "case %d (%s %s): Authorization", i, c.version, c.key)
	}
}

func TestScriptTagBuild(t *testing.T) { runPage(t, "/pages/script.html") }

func TestBundledESM(t *testing.T) { runPage(t, "/pages/esm.html") }

func TestViteBundle(t *testing.T) { runPage(t, "/vite/index.html") }

func TestWebWorker(t *testing.T) { runPage(t, "/pages/worker.html") }

// A server sending ossign.wasm as application/octet-stream defeats streaming compilation; the
// loader falls back to compiling the bytes.
func TestWrongMIMETypeFallback(t *testing.T) {
	runPage(t, "/pages/script-wrongmime.html")
}

// TestScriptBuildPreloads checks the script build starts loading ossign.wasm as soon as it is
// evaluated, before any createClient, and not when its tag says data-preload="false".
func TestScriptBuildPreloads(t *testing.T) {
	fetched := `new Promise((resolve) => setTimeout(() => resolve(performance.getEntriesByType('resource').some((e) => e.name.endsWith('ossign.wasm'))), 500))`
	for path, want := range map[string]bool{"/pages/script.html": true, "/pages/script-wrongmime.html": false} {
		got, err := chromedp.Run(openPage(t, path), chromedp.Evaluate[bool](fetched, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		assert.Equal(t, want, got, path)
	}
}
