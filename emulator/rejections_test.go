package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRejections sends every kind of wrong request the issue lists, and a few more, and
// checks each is refused with OSS's status and error code. Requests are signed with the
// official SDK signer or presigner, then spoiled.
func TestRejections(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, withClock(clock))
	start := clock.Now()
	sts := e.stsCreds("user-42", `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject","oss:GetObject"],`+
		`"Resource":["acs:oss:*:*:bucket/users/42/*"]},{"Effect":"Allow","Action":"oss:ListObjects","Resource":"acs:oss:*:*:bucket",`+
		`"Condition":{"StringLike":{"oss:Prefix":"users/42/*"}}}]}`)
	key := "users/42/photo.jpg"
	presign := func(request any, v1 bool) *oss.PresignResult {
		res, err := e.client(osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), v1).
			Presign(context.Background(), request, oss.PresignExpires(10*time.Minute))
		require.NoError(t, err)
		return res
	}
	getReq := &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), ResponseContentType: oss.Ptr("image/jpeg")}
	putReq := &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), ContentType: oss.Ptr("image/jpeg")}
	headerSigned := func(method, key string, creds osscreds.Credentials, at time.Time, v1 bool) *http.Request {
		req := e.newRequest(method, e.objectURL(testBucket, key), []byte("body"))
		signHeader(t, req, testBucket, key, creds, at, v1)
		return req
	}
	editQuery := func(rawURL, name, value string) string {
		u, err := url.Parse(rawURL)
		require.NoError(t, err)
		q := u.Query()
		q.Set(name, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	wrongSecret := osscreds.Credentials{AccessKeyID: testKeyID, AccessKeySecret: "not-the-secret"}
	cases := []struct {
		name       string
		clock      time.Duration // the emulator's clock, from the test's start
		request    func() *http.Request
		wantStatus int
		wantCode   string
		wantEC     string
		check      func(t *testing.T, doc ossErrorDoc)
	}{
		{
			name:       "V4 header with a wrong secret",
			request:    func() *http.Request { return headerSigned("PUT", key, wrongSecret, start, false) },
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				require.NotEmpty(t, doc.CanonicalRequest, "V4 mismatches carry the emulator's canonical request")
				sum := sha256.Sum256([]byte(doc.CanonicalRequest))
				assert.True(t, strings.HasSuffix(doc.StringToSign, hex.EncodeToString(sum[:])), "StringToSign ends with the canonical request's hash")
				assert.Contains(t, doc.CanonicalRequest, "PUT\n/bucket/users/42/photo.jpg\n")
			},
		},
		{
			name:       "V1 header with a wrong secret",
			request:    func() *http.Request { return headerSigned("PUT", key, wrongSecret, start, true) },
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.True(t, strings.HasPrefix(doc.StringToSign, "PUT\n\n"), "StringToSign: %q", doc.StringToSign)
				assert.True(t, strings.HasSuffix(doc.StringToSign, "\n/bucket/users/42/photo.jpg"), "StringToSign: %q", doc.StringToSign)
			},
		},
		{
			name: "V4 URL with a tampered query parameter",
			request: func() *http.Request {
				return e.newRequest("GET", editQuery(presign(getReq, false).URL, "response-content-type", "text/html"), nil)
			},
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.Contains(t, doc.CanonicalRequest, "response-content-type=text%2Fhtml")
			},
		},
		{
			name: "V1 URL with a tampered signed query parameter",
			request: func() *http.Request {
				return e.newRequest("GET", editQuery(presign(getReq, true).URL, "response-content-type", "text/html"), nil)
			},
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.Contains(t, doc.StringToSign, "?response-content-type=text/html")
			},
		},
		{
			name: "V4 presigned PUT sent with another Content-Type",
			request: func() *http.Request {
				req := e.newRequest("PUT", presign(putReq, false).URL, []byte("x"))
				req.Header.Set("Content-Type", "text/plain")
				return req
			},
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.Contains(t, doc.CanonicalRequest, "\ncontent-type:text/plain\n", "the error shows the type that was sent")
			},
		},
		{
			name: "V1 presigned PUT sent with another Content-Type",
			request: func() *http.Request {
				req := e.newRequest("PUT", presign(putReq, true).URL, []byte("x"))
				req.Header.Set("Content-Type", "text/plain")
				return req
			},
			wantStatus: 403, wantCode: "SignatureDoesNotMatch",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.True(t, strings.HasPrefix(doc.StringToSign, "PUT\n\ntext/plain\n"), "StringToSign: %q", doc.StringToSign)
			},
		},
		{
			name:       "expired V4 URL",
			request:    func() *http.Request { return e.newRequest("GET", presign(getReq, false).URL, nil) },
			clock:      11 * time.Minute,
			wantStatus: 403, wantCode: "AccessDenied", wantEC: "0002-00000069",
			check: func(t *testing.T, doc ossErrorDoc) { assert.Equal(t, "Request has expired.", doc.Message) },
		},
		{
			name:       "expired V1 URL",
			request:    func() *http.Request { return e.newRequest("GET", presign(getReq, true).URL, nil) },
			clock:      11 * time.Minute,
			wantStatus: 403, wantCode: "AccessDenied", wantEC: "0002-00000069",
		},
		{
			name: "V4 URL with x-oss-expires over 7 days",
			request: func() *http.Request {
				return e.newRequest("GET", editQuery(presign(getReq, false).URL, "x-oss-expires", "604801"), nil)
			},
			wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000232",
		},
		{
			name:       "expired STS token",
			clock:      16 * time.Minute,
			request:    func() *http.Request { return headerSigned("PUT", key, sts, start.Add(16*time.Minute), false) },
			wantStatus: 403, wantCode: "SecurityTokenExpired", wantEC: "0002-00000007",
		},
		{
			name:       "STS token used outside its prefix",
			request:    func() *http.Request { return headerSigned("PUT", "users/43/photo.jpg", sts, start, false) },
			wantStatus: 403, wantCode: "AccessDenied",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.Contains(t, doc.Message, "oss:PutObject on acs:oss:cn-hangzhou:1234567890123456:bucket/users/43/photo.jpg")
			},
		},
		{
			name: "STS token listing outside its prefix",
			request: func() *http.Request {
				req := e.newRequest("GET", e.srv.OSSEndpoint+"/bucket/?list-type=2&prefix=users%2F43%2F", nil)
				signHeader(t, req, testBucket, "", sts, start, false)
				return req
			},
			wantStatus: 403, wantCode: "AccessDenied",
		},
		{
			name:       "STS token for a denied action",
			request:    func() *http.Request { return headerSigned("DELETE", key, sts, start, false) },
			wantStatus: 403, wantCode: "AccessDenied",
		},
		{
			name: "STS token that was tampered with",
			request: func() *http.Request {
				forged := sts
				forged.SecurityToken = strings.Replace(forged.SecurityToken, ".", "x.", 1)
				return headerSigned("PUT", key, forged, start, false)
			},
			wantStatus: 403, wantCode: "InvalidSecurityToken", wantEC: "0002-00000006",
		},
		{
			name: "STS AccessKeyId without its token",
			request: func() *http.Request {
				return headerSigned("PUT", key, osscreds.Credentials{AccessKeyID: sts.AccessKeyID, AccessKeySecret: sts.AccessKeySecret}, start, false)
			},
			wantStatus: 403, wantCode: "InvalidAccessKeyId",
		},
		{
			name: "unknown AccessKeyId",
			request: func() *http.Request {
				return headerSigned("PUT", key, osscreds.Credentials{AccessKeyID: "LTAInobody", AccessKeySecret: "x"}, start, true)
			},
			wantStatus: 403, wantCode: "InvalidAccessKeyId",
		},
		{
			name:       "V4 header signed 20 minutes early (skewed clock)",
			clock:      20 * time.Minute,
			request:    func() *http.Request { return headerSigned("PUT", key, rootCreds, start, false) },
			wantStatus: 403, wantCode: "RequestTimeTooSkewed", wantEC: "0002-00000504",
		},
		{
			name:       "V1 header signed 20 minutes late (skewed clock)",
			clock:      -20 * time.Minute,
			request:    func() *http.Request { return headerSigned("PUT", key, rootCreds, start, true) },
			wantStatus: 403, wantCode: "RequestTimeTooSkewed", wantEC: "0002-00000504",
		},
		{
			name: "V4 header signed for another region",
			request: func() *http.Request {
				req := e.newRequest("PUT", e.objectURL(testBucket, key), nil)
				signHeader(t, req, testBucket, key, rootCreds, start, false)
				req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "/cn-hangzhou/", "/cn-beijing/", 1))
				return req
			},
			wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000226",
		},
		{
			name: "malformed V1 Authorization",
			request: func() *http.Request {
				return withAuthorization(e.newRequest("GET", e.objectURL(testBucket, key), nil), "OSS ak")
			},
			wantStatus: 400, wantCode: "InvalidArgument",
		},
		{
			name: "malformed V4 Authorization",
			request: func() *http.Request {
				return withAuthorization(e.newRequest("GET", e.objectURL(testBucket, key), nil), "OSS4-HMAC-SHA256 Credential=ak/20240101/cn-hangzhou/oss/aliyun_v4_request")
			},
			wantStatus: 400, wantCode: "InvalidArgument",
		},
		{
			name: "unknown Authorization scheme",
			request: func() *http.Request {
				return withAuthorization(e.newRequest("GET", e.objectURL(testBucket, key), nil), "Bearer abc")
			},
			wantStatus: 400, wantCode: "InvalidArgument",
		},
		{
			name:       "anonymous request",
			request:    func() *http.Request { return e.newRequest("GET", e.objectURL(testBucket, key), nil) },
			wantStatus: 403, wantCode: "AccessDenied",
		},
		{
			name: "PostObject outside its policy",
			request: func() *http.Request {
				return e.postForm(postFormSpec{key: "other/photo.jpg", conditions: `["starts-with","$key","users/42/"]`, expiration: start.Add(time.Hour)})
			},
			wantStatus: 403, wantCode: "AccessDenied",
			check: func(t *testing.T, doc ossErrorDoc) {
				assert.Equal(t, `Invalid according to Policy: Policy Condition failed: ["starts-with","$key","users/42/"]`, doc.Message)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock.Set(start)
			req := tc.request()
			clock.Set(start.Add(tc.clock))
			resp := e.send(req)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			doc := parseError(t, resp.body)
			assert.Equal(t, tc.wantCode, doc.Code)
			assert.NotEmpty(t, doc.Message)
			assert.Equal(t, resp.header.Get("x-oss-request-id"), doc.RequestID)
			assert.NotEmpty(t, doc.HostID)
			if tc.wantEC != "" {
				assert.Equal(t, tc.wantEC, doc.EC)
				assert.Equal(t, tc.wantEC, resp.header.Get("x-oss-ec"))
			}
			if doc.Code == "SignatureDoesNotMatch" {
				assert.NotEmpty(t, doc.StringToSign)
			}
			if tc.check != nil {
				tc.check(t, doc)
			}
		})
	}

	t.Run("the STS token works inside its prefix", func(t *testing.T) {
		clock.Set(start)
		resp := e.send(headerSigned("PUT", key, sts, start, false))
		assert.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
		req := e.newRequest("GET", e.srv.OSSEndpoint+"/bucket/?list-type=2&prefix=users%2F42%2F", nil)
		signHeader(t, req, testBucket, "", sts, start, false)
		resp = e.send(req)
		assert.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
		assert.Contains(t, string(resp.body), "<Key>users/42/photo.jpg</Key>")
	})
}

// withAuthorization sets the Authorization header of req.
func withAuthorization(req *http.Request, v string) *http.Request {
	req.Header.Set("Authorization", v)
	return req
}
