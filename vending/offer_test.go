package vending

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flagServer starts a dev-anonymous Server configured by the flags (the required ones, then
// args) and env, with a fake STS and clock, and returns what sends it a JSON request from
// loopback, and its logs.
func flagServer(t *testing.T, env map[string]string, args ...string) (func(method, path, body string) *httptest.ResponseRecorder, *syncBuffer) {
	cfg, err := parseFlags(t, env, append(append(append([]string{}, required...), "--dev-anonymous"), args...)...).Config()
	require.NoError(t, err)
	c, logs := newClock(), &syncBuffer{}
	cfg.Now, cfg.Logger = c.Now, slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := newServer(cfg, &fakeSTS{now: c.Now})
	require.NoError(t, err)
	return func(method, path, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://localhost:8080"+path, strings.NewReader(body))
		r.RemoteAddr = "127.0.0.1:1"
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w
	}, logs
}

// Finding 4 of the review: /sign's content-type and size limits were bypassed through GET /sts,
// which could not be turned off. --offer (or OSSIGN_OFFER) chooses the routes.
func TestOffer(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		args       []string
		sts, sign  int
		stsMessage string
	}{
		{name: "default: both", sts: http.StatusOK, sign: http.StatusOK},
		{name: "--offer sign", args: []string{"--offer", "sign"}, sts: http.StatusNotFound, sign: http.StatusOK, stsMessage: "use POST /sign, GET /healthz"},
		{name: "OSSIGN_OFFER=sign", env: map[string]string{"OSSIGN_OFFER": "sign"}, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "--offer sts", args: []string{"--offer", "sts"}, sts: http.StatusOK, sign: http.StatusNotFound},
		{name: "--offer STS,Sign", args: []string{"--offer", "STS, Sign"}, sts: http.StatusOK, sign: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call, _ := flagServer(t, tc.env, tc.args...)
			sts := call(http.MethodGet, "/sts", "")
			assert.Equal(t, tc.sts, sts.Code)
			if tc.sts == http.StatusNotFound {
				assert.NotContains(t, sts.Body.String(), "AccessKeySecret")
				assert.Contains(t, sts.Body.String(), tc.stsMessage)
			}
			sign := call(http.MethodPost, "/sign", `{"contentType":"image/png","size":10}`)
			assert.Equal(t, tc.sign, sign.Code, sign.Body.String())
		})
	}
	for _, bad := range []string{"", "none", "sts,upload"} {
		t.Run("refuses --offer "+bad, func(t *testing.T) {
			_, err := parseFlags(t, nil, append(append([]string{}, required...), "--offer", bad)...).Config()
			assert.ErrorContains(t, err, "--offer")
		})
	}
}

// Issue 20, finding 1: with the default --offer sts,sign, a signed-in user took raw credentials
// from /sts and stored what /sign refuses (text/html with a script). A /sign limit set without
// --offer now means /sign only, unless the /sts session policy cannot write; serving both
// routes with a policy that can write logs a warning naming the bypass.
func TestOfferDefaultFollowsSignLimits(t *testing.T) {
	readOnly := filepath.Join(t.TempDir(), "read-only.json")
	require.NoError(t, os.WriteFile(readOnly, []byte(`{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject","oss:ListObjects"],"Resource":["acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*"]}]}`), 0o600))
	types := []string{"--presign-types", "image/png=png"}
	cases := []struct {
		name      string
		env       map[string]string
		args      []string
		sts, sign int
		warned    bool
	}{
		{name: "no limit set: both, with a warning", sts: http.StatusOK, sign: http.StatusOK, warned: true},
		{name: "--presign-types: sign only", args: types, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "--presign-max-bytes: sign only", args: []string{"--presign-max-bytes", "1000000"}, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "OSSIGN_PRESIGN_TYPES: sign only", env: map[string]string{"OSSIGN_PRESIGN_TYPES": "image/png=png"}, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "OSSIGN_PRESIGN_MAX_BYTES: sign only", env: map[string]string{"OSSIGN_PRESIGN_MAX_BYTES": "5000"}, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "--presign-expires is no limit: both", args: []string{"--presign-expires", "5m"}, sts: http.StatusOK, sign: http.StatusOK, warned: true},
		{name: "a limit and --offer sts,sign: both, with a warning", args: append([]string{"--offer", "sts,sign"}, types...), sts: http.StatusOK, sign: http.StatusOK, warned: true},
		{name: "a limit and OSSIGN_OFFER=sts,sign: both, with a warning", env: map[string]string{"OSSIGN_OFFER": "sts,sign"}, args: types, sts: http.StatusOK, sign: http.StatusOK, warned: true},
		{name: "a limit and a session policy that cannot write: both, no warning", args: append([]string{"--policy-file", readOnly}, types...), sts: http.StatusOK, sign: http.StatusOK},
		{name: "--offer sts: no warning", args: []string{"--offer", "sts"}, sts: http.StatusOK, sign: http.StatusNotFound},
		{name: "--offer auto: both, with a warning", args: []string{"--offer", "auto"}, sts: http.StatusOK, sign: http.StatusOK, warned: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call, logs := flagServer(t, tc.env, tc.args...)
			assert.Equal(t, tc.sts, call(http.MethodGet, "/sts", "").Code, "GET /sts")
			assert.Equal(t, tc.sign, call(http.MethodPost, "/sign", `{"contentType":"image/png","size":10}`).Code, "POST /sign")
			var warning string
			for _, l := range logs.lines(t) {
				if msg := l["msg"].(string); l["level"] == "WARN" && strings.Contains(msg, "/sts") {
					warning = msg
				}
			}
			if !tc.warned {
				assert.Empty(t, warning)
				return
			}
			for _, want := range []string{"GET /sts", "bypass", "--presign-types", "--presign-max-bytes", "--offer sign", "oss:PutObject"} {
				assert.Contains(t, warning, want)
			}
		})
	}
}

// The Go API follows the same rule as the flags: a Presign limit without an Offer offers /sign
// only.
func TestOfferDefaultInConfig(t *testing.T) {
	cases := []struct {
		name    string
		presign PresignConfig
		offer   Offer
		want    Offer
	}{
		{name: "nothing set", want: DefaultOffer},
		{name: "MaxBytes", presign: PresignConfig{MaxBytes: 1 << 20}, want: Offer{Sign: true}},
		{name: "ContentTypes", presign: PresignConfig{ContentTypes: map[string]string{"image/png": "png"}}, want: Offer{Sign: true}},
		{name: "Expires only", presign: PresignConfig{Expires: time.Minute}, want: DefaultOffer},
		{name: "MaxBytes and both offered", presign: PresignConfig{MaxBytes: 1 << 20}, offer: DefaultOffer, want: DefaultOffer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, newClock(), io.Discard)
			cfg.Presign, cfg.Offer = tc.presign, tc.offer
			filled, err := cfg.withDefaults()
			require.NoError(t, err)
			assert.Equal(t, tc.want, filled.Offer)
		})
	}
}

func TestPolicyGrantsPut(t *testing.T) {
	statement := func(s string) string { return `{"Version":"1","Statement":[` + s + `]}` }
	cases := []struct {
		name   string
		policy string
		want   bool
	}{
		{"the default policy", "", true},
		{"read and list only", statement(`{"Effect":"Allow","Action":["oss:GetObject","oss:ListObjects"],"Resource":"*"}`), false},
		{"PutObject as a string", statement(`{"Effect":"Allow","Action":"oss:PutObject","Resource":"*"}`), true},
		{"any case", statement(`{"Effect":"allow","Action":["OSS:putobject"],"Resource":"*"}`), true},
		{"oss:Put*", statement(`{"Effect":"Allow","Action":["oss:Put*"],"Resource":"*"}`), true},
		{"oss:*", statement(`{"Effect":"Allow","Action":["oss:*"],"Resource":"*"}`), true},
		{"*", statement(`{"Effect":"Allow","Action":"*","Resource":"*"}`), true},
		{"oss:Put?bject", statement(`{"Effect":"Allow","Action":"oss:Put?bject","Resource":"*"}`), true},
		{"PutObjectAcl only", statement(`{"Effect":"Allow","Action":"oss:PutObjectAcl","Resource":"*"}`), false},
		{"a Deny of PutObject only", statement(`{"Effect":"Deny","Action":"oss:PutObject","Resource":"*"}`), false},
		{"NotAction: may grant it", statement(`{"Effect":"Allow","NotAction":"oss:DeleteObject","Resource":"*"}`), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.policy
			if src == "" {
				src = DefaultPolicyTemplate
			}
			p, err := parsePolicyTemplate("test", src, testBucket, DefaultPrefix)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.grantsPut(testBucket, DefaultPrefix))
		})
	}
}
