package vending

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer/wire"
)

func TestSTSResponse(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.getSTS("42", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	v, err := wire.ParseVending(body)
	require.NoError(t, err)
	assert.Equal(t, "STS.fakeKey1", v.Credentials.AccessKeyID)
	assert.Equal(t, testEpoch.Add(DefaultDuration), v.Credentials.Expiration)
	assert.Equal(t, testBucket, v.Bucket)
	assert.Equal(t, testRegion, v.Region)
	assert.Equal(t, "https://oss-cn-hangzhou.aliyuncs.com", v.Endpoint)
	assert.Equal(t, "users/42/", v.Prefix)
	assert.Contains(t, string(body), `"Code":"Success"`)
	assert.Contains(t, string(body), `"Expiration":"2026-01-02T03:19:05Z"`, "UTC with a literal Z")

	req := h.sts.lastRequest(t)
	assert.Equal(t, "ossign-42", req.sessionName)
	assert.Equal(t, DefaultDuration, req.duration)
	assert.Contains(t, req.policy, `"acs:oss:*:*:examplebucket/users/42/*"`)
}

func TestSTSFailureIsGeneric(t *testing.T) {
	h := newHarness(t, nil)
	h.sts.setErr(errors.New(`refresh session token failed: {"RequestId":"REQ-1","HostId":"sts.aliyuncs.com","Code":"NoPermission","Message":"You are not authorized to do this action. You should be authorized by RAM."}`))
	resp := h.getSTS("42", nil)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	body := decode(t, resp)
	assert.Equal(t, CodeSTSUnavailable, body["Code"])
	assert.NotContains(t, body["Message"], "NoPermission")
	assert.NotContains(t, body["Message"], "REQ-1")
	line := h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
	assert.Equal(t, "NoPermission", line["sts_code"])
	assert.Equal(t, "REQ-1", line["sts_request_id"])
	assert.Equal(t, "WARN", line["level"])

	assert.Equal(t, "1", resp.Header.Get("Retry-After"))

	h.sts.setErr(nil)
	h.clock.Advance(time.Second)
	assert.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode, "a failure holds the next call back for a second only")
}

func TestRoutes(t *testing.T) {
	h := newHarness(t, nil)
	auth := map[string]string{"Authorization": "Bearer " + h.token("42", nil)}
	cases := []struct {
		name, method, path string
		status             int
		code, allow        string
	}{
		{"health", http.MethodGet, "/healthz", http.StatusOK, "", ""},
		{"health head", http.MethodHead, "/healthz", http.StatusOK, "", ""},
		{"health post", http.MethodPost, "/healthz", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "GET, HEAD"},
		{"sts post", http.MethodPost, "/sts", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "GET, OPTIONS"},
		{"sign get", http.MethodGet, "/sign", http.StatusMethodNotAllowed, CodeMethodNotAllowed, "POST, OPTIONS"},
		{"unknown path", http.MethodGet, "/credentials", http.StatusNotFound, CodeNotFound, ""},
		{"sts with a trailing slash", http.MethodGet, "/sts/", http.StatusNotFound, CodeNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.request(tc.method, tc.path, auth, "")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			if tc.code != "" {
				body := decode(t, resp)
				assert.Equal(t, tc.code, body["Code"])
				assert.Equal(t, resp.Header.Get("X-Request-Id"), body["RequestId"])
			}
		})
	}
	assert.Zero(t, h.sts.calls.Load(), "no route above calls STS")
}

func TestExpirationFormat(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Duration = time.Hour })
	h.clock.Advance(700 * time.Millisecond) // fractional seconds are dropped (earlier, never later)
	body := decode(t, h.getSTS("42", nil))
	assert.Equal(t, "2026-01-02T04:04:05Z", body["Expiration"])
}

func TestPolicyRenderingFailureIsInternal(t *testing.T) {
	tmpl := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*"{{if eq .UserID "broken"}}{{.Tenant}}{{end}}}]}`
	h := newHarness(t, func(c *Config) { c.PolicyTemplate = tmpl })
	require.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode)
	resp := h.getSTS("broken", nil)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, map[string]any{"Code": CodeInternal, "Message": "internal error", "RequestId": resp.Header.Get("X-Request-Id")}, decode(t, resp))
	line := h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
	assert.Contains(t, line["error"], "Tenant")
	assert.Equal(t, int64(1), h.sts.calls.Load())
}
