package emulator_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGetObjectRange checks OSS's Range rules on a 10-byte object: one range served 206;
// malformed, multiple or out-of-range ones ignored (200, whole object) unless
// x-oss-range-behavior: standard, which cuts an end past the object and refuses a start past it.
func TestGetObjectRange(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, "ten", "", nil, []byte("0123456789")).status)
	cases := []struct {
		name         string
		rangeHeader  string
		standard     bool
		wantStatus   int
		wantBody     string
		contentRange string
	}{
		{name: "first bytes", rangeHeader: "bytes=0-3", wantStatus: 206, wantBody: "0123", contentRange: "bytes 0-3/10"},
		{name: "open end", rangeHeader: "bytes=7-", wantStatus: 206, wantBody: "789", contentRange: "bytes 7-9/10"},
		{name: "suffix", rangeHeader: "bytes=-2", wantStatus: 206, wantBody: "89", contentRange: "bytes 8-9/10"},
		{name: "only the first of several ranges", rangeHeader: "bytes=1-2,5-6", wantStatus: 206, wantBody: "12", contentRange: "bytes 1-2/10"},
		{name: "end past the object: whole object", rangeHeader: "bytes=5-20", wantStatus: 200, wantBody: "0123456789"},
		{name: "start past the object: whole object", rangeHeader: "bytes=10-20", wantStatus: 200, wantBody: "0123456789"},
		{name: "malformed unit: whole object", rangeHeader: "byte=0-3", wantStatus: 200, wantBody: "0123456789"},
		{name: "reversed: whole object", rangeHeader: "bytes=5-3", wantStatus: 200, wantBody: "0123456789"},
		{name: "standard: end past the object is cut", rangeHeader: "bytes=5-20", standard: true, wantStatus: 206, wantBody: "56789", contentRange: "bytes 5-9/10"},
		{name: "standard: start past the object is refused", rangeHeader: "bytes=10-20", standard: true, wantStatus: 416, contentRange: "bytes */10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Range": tc.rangeHeader}
			if tc.standard {
				h["x-oss-range-behavior"] = "standard"
			}
			resp := e.rootRequest("GET", testBucket, "ten", "", h, nil)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			assert.Equal(t, tc.contentRange, resp.header.Get("Content-Range"))
			if tc.wantStatus == 416 {
				assert.Equal(t, "InvalidRange", parseError(t, resp.body).Code)
				return
			}
			assert.Equal(t, tc.wantBody, string(resp.body))
			assert.Equal(t, crc64ECMA([]byte("0123456789")), resp.header.Get("x-oss-hash-crc64ecma"), "the whole object's CRC, as OSS")
		})
	}
}

// TestGetObjectConditions checks If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since.
func TestGetObjectConditions(t *testing.T) {
	e := newEnv(t)
	put := e.rootRequest("PUT", testBucket, "cond", "", nil, []byte("data"))
	require.Equal(t, http.StatusOK, put.status)
	etag := put.header.Get("ETag")
	resp := e.rootRequest("HEAD", testBucket, "cond", "", nil, nil)
	modified := resp.header.Get("Last-Modified")
	cases := []struct {
		name       string
		header     map[string]string
		wantStatus int
	}{
		{"If-Match the ETag", map[string]string{"If-Match": etag}, 200},
		{"If-Match another ETag", map[string]string{"If-Match": `"0000"`}, 412},
		{"If-None-Match the ETag", map[string]string{"If-None-Match": etag}, 304},
		{"If-None-Match another ETag", map[string]string{"If-None-Match": `"0000"`}, 200},
		{"If-Modified-Since the modification time", map[string]string{"If-Modified-Since": modified}, 304},
		{"If-Modified-Since long ago", map[string]string{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 200},
		{"If-Unmodified-Since long ago", map[string]string{"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 412},
		{"If-Unmodified-Since the modification time", map[string]string{"If-Unmodified-Since": modified}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.rootRequest("GET", testBucket, "cond", "", tc.header, nil)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			if tc.wantStatus == 412 {
				assert.Equal(t, "PreconditionFailed", parseError(t, resp.body).Code)
			}
		})
	}
}

// TestObjectHeaders checks what PutObject stores and GetObject returns: standard headers,
// user metadata, x-oss-* descriptions, response-* overrides, and Content-Type by extension.
func TestObjectHeaders(t *testing.T) {
	e := newEnv(t)
	put := e.rootRequest("PUT", testBucket, "doc.html", "", map[string]string{
		"Cache-Control": "max-age=60", "Content-Disposition": "inline", "x-oss-meta-owner": "42",
	}, []byte("<p>hi</p>"))
	require.Equal(t, http.StatusOK, put.status, "body: %s", put.body)
	assert.NotEmpty(t, put.header.Get("Content-MD5"))

	resp := e.rootRequest("GET", testBucket, "doc.html", "", nil, nil)
	require.Equal(t, http.StatusOK, resp.status)
	assert.True(t, strings.HasPrefix(resp.header.Get("Content-Type"), "text/html"), "Content-Type from the extension: %q", resp.header.Get("Content-Type"))
	assert.Equal(t, "max-age=60", resp.header.Get("Cache-Control"))
	assert.Equal(t, "inline", resp.header.Get("Content-Disposition"))
	assert.Equal(t, "42", resp.header.Get("x-oss-meta-owner"))
	assert.Equal(t, "Normal", resp.header.Get("x-oss-object-type"))
	assert.Equal(t, "Standard", resp.header.Get("x-oss-storage-class"))
	assert.Equal(t, put.header.Get("ETag"), resp.header.Get("ETag"))
	assert.Equal(t, put.header.Get("Content-MD5"), resp.header.Get("Content-MD5"))
	assert.Equal(t, "bytes", resp.header.Get("Accept-Ranges"))

	resp = e.rootRequest("GET", testBucket, "doc.html",
		"response-cache-control=no-store&response-content-encoding=identity&response-content-language=fr&response-expires=0", nil, nil)
	require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
	assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
	assert.Equal(t, "identity", resp.header.Get("Content-Encoding"))
	assert.Equal(t, "fr", resp.header.Get("Content-Language"))
	assert.Equal(t, "0", resp.header.Get("Expires"))
}

// TestPutObjectChecks checks Content-MD5, x-oss-forbid-overwrite and DeleteObject's 204.
func TestPutObjectChecks(t *testing.T) {
	e := newEnv(t)
	goodMD5 := base64.StdEncoding.EncodeToString(md5Of("data"))
	cases := []struct {
		name       string
		key        string
		header     map[string]string
		wantStatus int
		wantCode   string
	}{
		{"matching Content-MD5", "md5/ok", map[string]string{"Content-MD5": goodMD5}, 200, ""},
		{"other Content-MD5", "md5/bad", map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(md5Of("other"))}, 400, "InvalidDigest"},
		{"Content-MD5 that is not an MD5", "md5/invalid", map[string]string{"Content-MD5": "bm90IGFuIG1kNQ=="}, 400, "InvalidDigest"},
		{"forbid overwrite of a new key", "once", map[string]string{"x-oss-forbid-overwrite": "true"}, 200, ""},
		{"forbid overwrite of an existing key", "once", map[string]string{"x-oss-forbid-overwrite": "true"}, 409, "FileAlreadyExists"},
		{"key starting with a slash", "/abs", nil, 400, "InvalidObjectName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.rootRequest("PUT", testBucket, tc.key, "", tc.header, []byte("data"))
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			if tc.wantCode != "" {
				assert.Equal(t, tc.wantCode, parseError(t, resp.body).Code)
			}
		})
	}
	assert.False(t, e.exists("md5/bad"), "a body refused for its digest is not stored")
	assert.Equal(t, http.StatusNoContent, e.rootRequest("DELETE", testBucket, "once", "", nil, nil).status)
	assert.Equal(t, http.StatusNoContent, e.rootRequest("DELETE", testBucket, "once", "", nil, nil).status, "deleting a missing key is 204 too")
	assert.False(t, e.exists("once"))
}
