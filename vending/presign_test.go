package vending

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signAnswer is a POST /sign answer.
type signAnswer struct {
	Key, URL, Method, Expiration string
	Headers, Fields              map[string]string
}

// sign sends POST /sign for user with body.
func (h *harness) sign(user, body string) (*http.Response, signAnswer) {
	resp := h.request(http.MethodPost, "/sign", map[string]string{"Authorization": "Bearer " + h.token(user, nil)}, body)
	var a signAnswer
	if resp.StatusCode == http.StatusOK {
		require.NoError(h.t, json.NewDecoder(resp.Body).Decode(&a))
	}
	return resp, a
}

func TestSignPut(t *testing.T) {
	h := newHarness(t, nil)
	resp, a := h.sign("42", `{"filename":"../../etc/passwd","contentType":"image/jpeg","size":12345,"mode":"put"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Regexp(t, `^users/42/2026/01/[0-9a-f]{32}\.jpg$`, a.Key, "the server picks the key; the file name is ignored")
	assert.Equal(t, http.MethodPut, a.Method)
	assert.Equal(t, map[string]string{"Content-Type": "image/jpeg", "Content-Length": "12345", "Content-Disposition": "inline",
		"Cache-Control": "private", "x-oss-forbid-overwrite": "true"}, a.Headers, "everything the upload carries is signed")
	assert.Equal(t, "2026-01-02T03:14:05Z", a.Expiration, "10 minutes by default")

	u, err := url.Parse(a.URL)
	require.NoError(t, err)
	assert.Equal(t, "examplebucket.oss-cn-hangzhou.aliyuncs.com", u.Host)
	assert.Equal(t, "/"+a.Key, u.Path)
	q := u.Query()
	assert.Equal(t, "OSS4-HMAC-SHA256", q.Get("x-oss-signature-version"))
	assert.Equal(t, "600", q.Get("x-oss-expires"))
	assert.Equal(t, "cache-control;content-disposition;content-length", q.Get("x-oss-additional-headers"), "the size and the pinned headers are signed")
	assert.Equal(t, "STS.fakeKey1/20260102/cn-hangzhou/oss/aliyun_v4_request", q.Get("x-oss-credential"))
	assert.True(t, strings.HasPrefix(q.Get("x-oss-security-token"), "fakeTOKEN1"))

	req := h.sts.lastRequest(t)
	assert.Equal(t, "ossign-uploader", req.sessionName)
	assert.Equal(t, `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject"],"Resource":["acs:oss:*:*:examplebucket/users/*"]}]}`, req.policy)

	for _, user := range []string{"43", "44", "42"} {
		resp, a := h.sign(user, `{"contentType":"image/png","size":1}`)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.True(t, strings.HasPrefix(a.Key, "users/"+user+"/"), a.Key)
		assert.True(t, strings.HasSuffix(a.Key, ".png"), a.Key)
	}
	assert.Equal(t, int64(1), h.sts.calls.Load(), "every user's uploads are signed with one cached server session")
}

func TestSignPost(t *testing.T) {
	h := newHarness(t, nil)
	resp, a := h.sign("42", `{"contentType":"application/pdf","size":2048,"mode":"post"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Regexp(t, `^users/42/2026/01/[0-9a-f]{32}\.pdf$`, a.Key)
	assert.Equal(t, http.MethodPost, a.Method)
	assert.Equal(t, "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/", a.URL)
	assert.Equal(t, "2026-01-02T03:14:05Z", a.Expiration)
	assert.Empty(t, a.Headers)
	assert.Equal(t, a.Key, a.Fields["key"])
	assert.Equal(t, "application/pdf", a.Fields["Content-Type"])
	assert.Equal(t, "OSS4-HMAC-SHA256", a.Fields["x-oss-signature-version"])
	assert.NotEmpty(t, a.Fields["x-oss-signature"])

	raw, err := base64.StdEncoding.DecodeString(a.Fields["policy"])
	require.NoError(t, err)
	var policy struct {
		Expiration string
		Conditions []any
	}
	require.NoError(t, json.Unmarshal(raw, &policy))
	assert.Equal(t, "2026-01-02T03:14:05.000Z", policy.Expiration)
	assert.Contains(t, policy.Conditions, map[string]any{"bucket": testBucket})
	assert.Contains(t, policy.Conditions, map[string]any{"key": a.Key}, "exactly this key")
	assert.Contains(t, policy.Conditions, []any{"content-length-range", 2048.0, 2048.0}, "exactly the declared size")
	assert.Contains(t, policy.Conditions, map[string]any{"content-type": "application/pdf"})
	for name, value := range map[string]string{"success_action_status": "204", "content-disposition": "attachment", "cache-control": "private",
		"x-oss-forbid-overwrite": "true", "x-oss-storage-class": "Standard"} {
		assert.Contains(t, policy.Conditions, map[string]any{name: value}, "pinned by the policy")
	}
	assert.Equal(t, "attachment", a.Fields["Content-Disposition"], "a PDF is downloaded, never rendered on the bucket's origin")
	assert.Equal(t, "204", a.Fields["success_action_status"])
	assert.Contains(t, policy.Conditions, map[string]any{"x-oss-security-token": a.Fields["x-oss-security-token"]})
}

func TestSignNeverOutlivesServerCredentials(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Presign.Expires = MaxPresignExpires })
	resp, _ := h.sign("42", `{"contentType":"image/png","size":10}`) // server credentials until 03:19:05
	require.Equal(t, http.StatusOK, resp.StatusCode)
	h.clock.Advance(9 * time.Minute) // 6 minutes left, still served from the cache
	for _, mode := range []string{"put", "post"} {
		t.Run(mode, func(t *testing.T) {
			resp, a := h.sign("42", `{"contentType":"image/png","size":10,"mode":"`+mode+`"}`)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "2026-01-02T03:19:05Z", a.Expiration, "clamped from 03:28:05 to the credentials' expiry")
		})
	}
	assert.Equal(t, int64(1), h.sts.calls.Load())
}

func TestSignRequestErrors(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Presign.MaxBytes = 1000 })
	token := "Bearer " + h.token("42", nil)
	cases := []struct {
		name, contentType, body string
		status                  int
		code, message           string
	}{
		{"not JSON content type", "text/plain", `{"contentType":"image/png","size":1}`, http.StatusUnsupportedMediaType, CodeInvalidRequest, "application/json"},
		{"form post (CSRF)", "application/x-www-form-urlencoded", `contentType=image/png&size=1`, http.StatusUnsupportedMediaType, CodeInvalidRequest, "application/json"},
		{"no body", "application/json", ``, http.StatusBadRequest, CodeInvalidRequest, "one JSON object"},
		{"malformed JSON", "application/json", `{"contentType":`, http.StatusBadRequest, CodeInvalidRequest, "one JSON object"},
		{"two objects", "application/json", `{"size":1}{"size":2}`, http.StatusBadRequest, CodeInvalidRequest, "one JSON object"},
		{"size as a string", "application/json", `{"contentType":"image/png","size":"1"}`, http.StatusBadRequest, CodeInvalidRequest, "one JSON object"},
		{"body over 4 KiB", "application/json", `{"contentType":"image/png","size":1,"filename":"` + strings.Repeat("x", 5000) + `"}`, http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "4 KiB"},
		{"unknown mode", "application/json", `{"contentType":"image/png","size":1,"mode":"multipart"}`, http.StatusBadRequest, CodeInvalidRequest, `"put" or "post"`},
		{"content type not allowed", "application/json", `{"contentType":"text/html","size":1}`, http.StatusBadRequest, CodeContentTypeNotAllowed, "image/jpeg"},
		{"content type with parameters", "application/json", `{"contentType":"image/png; x=1","size":1}`, http.StatusBadRequest, CodeContentTypeNotAllowed, "image/png"},
		{"no content type", "application/json", `{"size":1}`, http.StatusBadRequest, CodeContentTypeNotAllowed, "contentType"},
		{"empty upload", "application/json", `{"contentType":"image/png","size":0}`, http.StatusBadRequest, CodeSizeNotAllowed, "1 to 1000"},
		{"negative size", "application/json", `{"contentType":"image/png","size":-5}`, http.StatusBadRequest, CodeSizeNotAllowed, "1 to 1000"},
		{"too large", "application/json", `{"contentType":"image/png","size":1001}`, http.StatusBadRequest, CodeSizeNotAllowed, "1 to 1000"},
		{"upper-case type and mode are fine", "application/json; charset=utf-8", `{"contentType":"IMAGE/PNG","size":1000,"mode":"POST"}`, http.StatusOK, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.request(http.MethodPost, "/sign", map[string]string{"Authorization": token, "Content-Type": tc.contentType}, tc.body)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.code != "" {
				body := decode(t, resp)
				assert.Equal(t, tc.code, body["Code"])
				assert.Contains(t, body["Message"], tc.message)
			}
		})
	}
	assert.Equal(t, int64(1), h.sts.calls.Load(), "only the valid request needed credentials")
}

func TestSignSTSFailure(t *testing.T) {
	h := newHarness(t, nil)
	h.sts.setErr(errTestSTSDown)
	resp, _ := h.sign("42", `{"contentType":"image/png","size":1}`)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, CodeSTSUnavailable, decode(t, resp)["Code"])
}
