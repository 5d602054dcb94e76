package vending

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
)

// startEmulatorVending starts an emulator (startEmulator) and a vending server for it,
// configured further by edit (which may be nil). call sends a request to the vending
// handler and requires 200.
func startEmulatorVending(t *testing.T, edit func(*Config)) (*emulator.Emulator, *Server, func(method, path, user, body string) *httptest.ResponseRecorder) {
	emu, cfg := startEmulator(t)
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	require.NoError(t, err)
	require.NoError(t, srv.CheckSTS(context.Background()))
	call := func(method, path, user, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("X-User", user)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return rec
	}
	return emu, srv, call
}

// startEmulator starts an emulator with buckets "demo" and "other", and returns it with a
// Config of a vending server for "demo" calling its STS through credentials-go, the user
// named by the X-User header, without rate limits or logs.
func startEmulator(t *testing.T) (*emulator.Emulator, Config) {
	emu, err := emulator.New(emulator.Config{DataDir: t.TempDir(), Buckets: []string{"demo", "other"}})
	require.NoError(t, err)
	es, err := emu.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { es.Close() })
	certs, err := LoadCertificates(es.CAFile)
	require.NoError(t, err)
	root, err := providers.NewStaticAKCredentialsProviderBuilder().
		WithAccessKeyId(emu.RootAccessKeyID()).WithAccessKeySecret(emu.RootAccessKeySecret()).Build()
	require.NoError(t, err)
	return emu, Config{Bucket: "demo", Region: emu.Region(), Endpoint: es.OSSEndpoint, RoleARN: emu.RoleARN(),
		STSEndpoint: es.STSHost, STSRootCAs: certs, Source: root, Logger: slog.New(slog.DiscardHandler),
		RateLimits:    RateLimits{PerIP: Limit{Rate: rate.Inf}, PerUser: Limit{Rate: rate.Inf}},
		Authenticator: AuthenticatorFunc(func(_ http.ResponseWriter, r *http.Request) (string, error) { return r.Header.Get("X-User"), nil })}
}

// TestEmulatorEndToEnd runs the whole chain with nothing faked: credentials-go → the
// emulator's STS over TLS (its CA) → a per-user token → the emulator's OSS, which enforces the
// session policy; and server-signed uploads from POST /sign.
func TestEmulatorEndToEnd(t *testing.T) {
	emu, srv, call := startEmulatorVending(t, func(c *Config) { c.STSQueueWait = 200 * time.Millisecond })
	v, err := wire.ParseVending(call(http.MethodGet, "/sts", "42", "").Body.Bytes())
	require.NoError(t, err)
	assert.Equal(t, "users/42/", v.Prefix)
	put := func(bucket, key string) int {
		s, err := signer.SignHeaders(signer.Target{Region: v.Region, Endpoint: v.Endpoint}, v.Credentials,
			signer.Request{Method: "PUT", Bucket: bucket, Key: key, Headers: []signer.Header{{Name: "Content-Type", Value: "text/plain"}}}, time.Now())
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPut, s.URL, strings.NewReader("hello"))
		require.NoError(t, err)
		for _, h := range s.Headers {
			req.Header.Set(h.Name, h.Value)
		}
		return statusOf(t, req)
	}
	assert.Equal(t, http.StatusOK, put("demo", "users/42/x"), "inside the user's prefix")
	assert.Equal(t, http.StatusForbidden, put("demo", "users/43/x"), "another user's prefix")
	assert.Equal(t, http.StatusForbidden, put("other", "users/42/x"), "another bucket")
	// The JS package lists a key's unfinished uploads to abort those a retried Initiate left.
	listUploads := func(prefix string) int {
		s, err := signer.SignHeaders(signer.Target{Region: v.Region, Endpoint: v.Endpoint}, v.Credentials,
			signer.Request{Method: "GET", Bucket: "demo", Query: []signer.Param{{Name: "uploads"}, {Name: "prefix", Value: prefix}}}, time.Now())
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodGet, s.URL, nil)
		require.NoError(t, err)
		for _, h := range s.Headers {
			req.Header.Set(h.Name, h.Value)
		}
		return statusOf(t, req)
	}
	assert.Equal(t, http.StatusOK, listUploads("users/42/x"), "the uploads of a key under the user's prefix")
	assert.Equal(t, http.StatusForbidden, listUploads("users/43/"), "another user's uploads")
	assert.Equal(t, http.StatusForbidden, listUploads(""), "the whole bucket's uploads")
	assert.Equal(t, int64(2), emu.Stats().AssumeRoleCalls, "one STS call for the server's own session, one for the user")

	// 1,000 concurrent requests from one new user: one STS call, counted by the emulator.
	before := emu.Stats().AssumeRoleCalls
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, "/sts", nil)
			req.Header.Set("X-User", "7")
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			assert.Equal(t, http.StatusOK, rec.Code)
		})
	}
	wg.Wait()
	assert.Equal(t, before+1, emu.Stats().AssumeRoleCalls)

	// 2,000 concurrent new users: the calls the emulator counts keep to the budget (its burst,
	// and its rate over the time taken, a queue wait included).
	before = emu.Stats().AssumeRoleCalls
	start := time.Now()
	statuses := make([]int, 2000)
	for i := range statuses {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, "/sts", nil)
			req.Header.Set("X-User", fmt.Sprint("new-", i))
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			statuses[i] = rec.Code
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	calls := emu.Stats().AssumeRoleCalls - before
	bound := int64(DefaultSTSBudget.Burst) + int64(float64(DefaultSTSBudget.Rate)*(elapsed+srv.cfg.STSQueueWait).Seconds()) + 1
	assert.LessOrEqual(t, calls, bound, "AssumeRole calls counted by the emulator, in %v", elapsed)
	served := 0
	for _, status := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, status)
		if status == http.StatusOK {
			served++
		}
	}
	assert.Equal(t, calls, int64(served), "one call per user served")

	for _, mode := range []string{"put", "post"} {
		var a struct {
			URL             string
			Headers, Fields map[string]string
		}
		require.NoError(t, json.Unmarshal(call(http.MethodPost, "/sign", "42", `{"contentType":"image/png","size":5,"mode":"`+mode+`"}`).Body.Bytes(), &a))
		if mode == "put" {
			assert.Equal(t, http.StatusForbidden, statusOf(t, uploadPut(t, a.URL, a.Headers, "123456")), "a size other than the signed one")
			assert.Equal(t, http.StatusOK, statusOf(t, uploadPut(t, a.URL, a.Headers, "12345")))
			assert.Equal(t, http.StatusConflict, statusOf(t, uploadPut(t, a.URL, a.Headers, "54321")), "the URL cannot overwrite its upload")
			continue
		}
		assert.Equal(t, http.StatusNoContent, statusOf(t, uploadForm(t, a.URL, a.Fields, "12345")))
	}
}

// uploadPut is a PUT of body to url with headers (Content-Length is the body's).
func uploadPut(t *testing.T, url string, headers map[string]string, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		if k != "Content-Length" {
			req.Header.Set(k, v)
		}
	}
	return req
}

func uploadForm(t *testing.T, url string, fields map[string]string, body string) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", "x.png")
	require.NoError(t, err)
	_, err = fw.Write([]byte(body))
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, url, &buf)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func statusOf(t *testing.T, req *http.Request) int {
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// Finding 8 of the review: server-signed uploads accepted what the server did not sign. A PUT
// URL carries exactly what /sign returned, or OSS (here the emulator) refuses it. A form may not
// change or leave out a field its policy pins (type, disposition, cache policy, no overwrite,
// status, storage class, size); it may add fields the policy does not name, as on OSS: an ACL
// is refused (it needs oss:PutObjectAcl, which the server's uploader session lacks), metadata
// and a redirect are the uploader's own business.
func TestSignedUploadsCarryOnlyWhatWasSigned(t *testing.T) {
	_, _, call := startEmulatorVending(t, nil)
	sign := func(mode string) (a struct {
		URL             string
		Headers, Fields map[string]string
	}) {
		require.NoError(t, json.Unmarshal(call(http.MethodPost, "/sign", "42", `{"contentType":"image/png","size":5,"mode":"`+mode+`"}`).Body.Bytes(), &a))
		return a
	}
	cases := []struct {
		mode, name string
		extra      map[string]string // headers (put) or fields (post) set over the signed ones ("" drops one)
		body       string            // default "12345", the declared size
		status     int
	}{
		{mode: "put", name: "unsigned Cache-Control", extra: map[string]string{"Cache-Control": "public, max-age=31536000"}, status: http.StatusForbidden},
		{mode: "put", name: "unsigned Content-Disposition", extra: map[string]string{"Content-Disposition": "inline; filename=x.html"}, status: http.StatusForbidden},
		{mode: "put", name: "unsigned ACL", extra: map[string]string{"x-oss-object-acl": "public-read"}, status: http.StatusForbidden},
		{mode: "put", name: "unsigned metadata", extra: map[string]string{"x-oss-meta-owner": "43"}, status: http.StatusForbidden},
		{mode: "put", name: "exactly the signed headers", status: http.StatusOK},
		{mode: "post", name: "another Content-Type", extra: map[string]string{"Content-Type": "text/html"}, status: http.StatusForbidden},
		{mode: "post", name: "another Content-Disposition", extra: map[string]string{"Content-Disposition": "attachment; filename=x.html"}, status: http.StatusForbidden},
		{mode: "post", name: "no Cache-Control", extra: map[string]string{"Cache-Control": ""}, status: http.StatusForbidden},
		{mode: "post", name: "overwrite allowed", extra: map[string]string{"x-oss-forbid-overwrite": "false"}, status: http.StatusForbidden},
		{mode: "post", name: "another status", extra: map[string]string{"success_action_status": "201"}, status: http.StatusForbidden},
		{mode: "post", name: "another storage class", extra: map[string]string{"x-oss-storage-class": "Archive"}, status: http.StatusForbidden},
		{mode: "post", name: "a byte more", body: "123456", status: http.StatusBadRequest},
		{mode: "post", name: "public-read ACL", extra: map[string]string{"x-oss-object-acl": "public-read"}, status: http.StatusForbidden},
		{mode: "post", name: "metadata (stays open: the uploader's own object)", extra: map[string]string{"x-oss-meta-owner": "43"}, status: http.StatusNoContent},
		{mode: "post", name: "redirect (stays open: the uploader's own browser)", extra: map[string]string{"success_action_redirect": "https://app.example.com/done"}, status: http.StatusSeeOther},
		{mode: "post", name: "exactly the signed fields", status: http.StatusNoContent},
	}
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range cases {
		t.Run(tc.mode+": "+tc.name, func(t *testing.T) {
			a := sign(tc.mode)
			body := cmp.Or(tc.body, "12345")
			if tc.mode == "put" {
				req := uploadPut(t, a.URL, a.Headers, body)
				for k, v := range tc.extra {
					req.Header.Set(k, v)
				}
				assert.Equal(t, tc.status, statusOf(t, req))
				return
			}
			fields := maps.Clone(a.Fields)
			for k, v := range tc.extra {
				fields[k] = v
				if v == "" {
					delete(fields, k)
				}
			}
			resp, err := noRedirects.Do(uploadForm(t, a.URL, fields, body))
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}
