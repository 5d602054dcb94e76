package signer_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretMarker = "SECRET-must-not-leak-0123456789"

func TestValidationErrors(t *testing.T) {
	now := time.Unix(1702781677, 0)
	good := signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k"}
	creds := signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: secretMarker, SecurityToken: "tok-" + secretMarker, Expiration: now.Add(time.Hour)}
	v4 := signer.Target{Region: "cn-hangzhou"}
	withReq := func(edit func(*signer.Request)) signer.Request {
		r := good
		edit(&r)
		return r
	}
	cases := []struct {
		name   string
		target signer.Target
		creds  *signer.Credentials
		req    signer.Request
		code   signer.ErrorCode
		msg    string // substring of the message
	}{
		{"empty key with bucket-less request", v4, nil, withReq(func(r *signer.Request) { r.Bucket = "" }), signer.CodeInvalidBucket, "no bucket"},
		{"bucket upper case", v4, nil, withReq(func(r *signer.Request) { r.Bucket = "Example" }), signer.CodeInvalidBucket, `"Example"`},
		{"bucket too short", v4, nil, withReq(func(r *signer.Request) { r.Bucket = "ab" }), signer.CodeInvalidBucket, "3–63"},
		{"bucket leading dash", v4, nil, withReq(func(r *signer.Request) { r.Bucket = "-abc" }), signer.CodeInvalidBucket, "3–63"},
		{"bucket underscore", v4, nil, withReq(func(r *signer.Request) { r.Bucket = "a_bc" }), signer.CodeInvalidBucket, "3–63"},
		{"key leading slash", v4, nil, withReq(func(r *signer.Request) { r.Key = "/a" }), signer.CodeInvalidKey, `not starting with "/"`},
		{"key leading backslash", v4, nil, withReq(func(r *signer.Request) { r.Key = `\a` }), signer.CodeInvalidKey, "1–1023 bytes"},
		{"key too long", v4, nil, withReq(func(r *signer.Request) { r.Key = strings.Repeat("é", 512) }), signer.CodeInvalidKey, "1–1023 bytes"},
		{"key not UTF-8", v4, nil, withReq(func(r *signer.Request) { r.Key = "a\xffb" }), signer.CodeInvalidKey, "UTF-8"},
		{"method", v4, nil, withReq(func(r *signer.Request) { r.Method = "PATCH" }), signer.CodeInvalidMethod, "GET, PUT, HEAD, POST or DELETE"},
		{"empty method", v4, nil, withReq(func(r *signer.Request) { r.Method = "" }), signer.CodeInvalidMethod, `""`},
		{"V4 expiry over 7 days", v4, nil, withReq(func(r *signer.Request) { r.Expires = 604801 * time.Second }), signer.CodeInvalidExpiry, "604800"},
		{"negative expiry", v4, nil, withReq(func(r *signer.Request) { r.Expires = -time.Second }), signer.CodeInvalidExpiry, "1 s"},
		{"sub-second expiry", v4, nil, withReq(func(r *signer.Request) { r.Expires = time.Millisecond }), signer.CodeInvalidExpiry, "1 s"},
		{"no region", signer.Target{}, nil, good, signer.CodeInvalidRegion, "no region"},
		{"region upper case", signer.Target{Region: "CN-Hangzhou"}, nil, good, signer.CodeInvalidRegion, "lower case"},
		{"internal region", signer.Target{Region: "cn-beijing-internal"}, nil, good, signer.CodeInvalidRegion, `"cn-beijing"`},
		{"region just the prefix", signer.Target{Region: "oss-"}, nil, good, signer.CodeInvalidRegion, "cn-hangzhou"},
		{"V1 region-less default endpoint", signer.Target{Version: signer.V1}, nil, good, signer.CodeInvalidRegion, "no region"},
		{"cloudbox without endpoint", signer.Target{Region: "cb-123"}, nil, good, signer.CodeInvalidEndpoint, "CloudBox"},
		{"endpoint with path", signer.Target{Region: "cn-hangzhou", Endpoint: "https://oss.example.com/x"}, nil, good, signer.CodeInvalidEndpoint, "host[:port]"},
		{"scheme ftp", signer.Target{Region: "cn-hangzhou", Scheme: "ftp"}, nil, good, signer.CodeInvalidEndpoint, `"https" or "http"`},
		{"endpoint ftp", signer.Target{Region: "cn-hangzhou", Endpoint: "ftp://oss.example.com"}, nil, good, signer.CodeInvalidEndpoint, "http or https"},
		{"endpoint bad port", signer.Target{Region: "cn-hangzhou", Endpoint: "127.0.0.1:99999"}, nil, good, signer.CodeInvalidEndpoint, "host[:port]"},
		{"endpoint userinfo", signer.Target{Region: "cn-hangzhou", Endpoint: "user@host"}, nil, good, signer.CodeInvalidEndpoint, "host[:port]"},
		{"path style and cname", signer.Target{Region: "cn-hangzhou", Endpoint: "cdn.example.com", CNAME: true, PathStyle: true}, nil, good, signer.CodeInvalidEndpoint, "exclude"},
		{"version", signer.Target{Region: "cn-hangzhou", Version: "v2"}, nil, good, signer.CodeInvalidVersion, `"v1" or "v4"`},
		{"header name", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "bad name", Value: "x"}} }), signer.CodeInvalidHeader, "invalid header name"},
		{"header newline", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "x-oss-meta-a", Value: "a\nb"}} }), signer.CodeInvalidHeader, "offset 1"},
		{"header non-ASCII", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "x-oss-meta-a", Value: "é"}} }), signer.CodeInvalidHeader, "percent-encode"},
		{"header twice", v4, nil, withReq(func(r *signer.Request) {
			r.Headers = []signer.Header{{Name: "Content-Type", Value: "a"}, {Name: "content-type", Value: "b"}}
		}), signer.CodeInvalidHeader, "twice"},
		{"header authorization", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "Authorization", Value: "x"}} }), signer.CodeInvalidHeader, "written by the signer"},
		{"header date", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "Date", Value: "x"}} }), signer.CodeInvalidHeader, "x-oss-date"},
		{"header host", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "Host", Value: "x"}} }), signer.CodeInvalidHeader, "AdditionalHeaders"},
		{"header content sha256", v4, nil, withReq(func(r *signer.Request) { r.Headers = []signer.Header{{Name: "x-oss-content-sha256", Value: "abc"}} }), signer.CodeInvalidHeader, "UNSIGNED-PAYLOAD"},
		{"additional header name", v4, nil, withReq(func(r *signer.Request) { r.AdditionalHeaders = []string{"a;b"} }), signer.CodeInvalidHeader, "AdditionalHeaders"},
		{"query empty name", v4, nil, withReq(func(r *signer.Request) { r.Query = []signer.Param{{Value: "x"}} }), signer.CodeInvalidQuery, "empty name"},
		{"query twice", v4, nil, withReq(func(r *signer.Request) { r.Query = []signer.Param{{Name: "a"}, {Name: "a", Value: "b"}} }), signer.CodeInvalidQuery, "twice"},
		{"query reserved", v4, nil, withReq(func(r *signer.Request) { r.Query = []signer.Param{{Name: "security-token", Value: "x"}} }), signer.CodeInvalidQuery, "written by the signer"},
		{"sub-resource empty", v4, nil, withReq(func(r *signer.Request) { r.SubResources = []string{""} }), signer.CodeInvalidQuery, "SubResources"},
		{"no access key id", v4, &signer.Credentials{AccessKeySecret: secretMarker}, good, signer.CodeMissingCredentials, "AccessKeyId"},
		{"no secret", v4, &signer.Credentials{AccessKeyID: "id"}, good, signer.CodeMissingCredentials, "AccessKeySecret"},
		{"STS key without token", v4, &signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: secretMarker}, good, signer.CodeInvalidCredentials, "SecurityToken"},
		{"secret with space", v4, &signer.Credentials{AccessKeyID: "id", AccessKeySecret: secretMarker + " "}, good, signer.CodeInvalidCredentials, "AccessKeySecret"},
		{"token with newline", v4, &signer.Credentials{AccessKeyID: "id", AccessKeySecret: secretMarker, SecurityToken: "a\n" + secretMarker}, good, signer.CodeInvalidCredentials, "SecurityToken"},
		{"expired", v4, &signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: secretMarker, SecurityToken: secretMarker, Expiration: now}, good, signer.CodeExpiredCredentials, "expired at 2023-12-17T02:54:37Z"},
		{"expires within the second", v4, &signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: secretMarker, SecurityToken: secretMarker, Expiration: now.Add(500 * time.Millisecond)}, good, signer.CodeExpiredCredentials, "within a second"},
	}
	// V1 has no 7-day limit and does not sign additional headers.
	v4Only := map[string]bool{"V4 expiry over 7 days": true, "additional header name": true}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := creds
			if tc.creds != nil {
				c = *tc.creds
			}
			for _, version := range []signer.Version{signer.V1, signer.V4} {
				target := tc.target
				if target.Version == "" {
					target.Version = version
				}
				_, err := signer.Presign(target, c, tc.req, now)
				if target.Version == signer.V1 && v4Only[tc.name] {
					require.NoError(t, err, "V1 accepts it")
					continue
				}
				if tc.name == "expires within the second" {
					// Header signing only needs the credentials to be valid at now.
					require.Error(t, err)
				} else {
					_, headerErr := signer.SignHeaders(target, c, tc.req, now)
					if tc.code == signer.CodeInvalidExpiry {
						require.NoError(t, headerErr, "header signing has no expiry")
					} else {
						require.Equal(t, err, headerErr, "both forms validate alike")
					}
				}
				var se *signer.Error
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tc.code, se.Code)
				assert.Contains(t, se.Message, tc.msg)
				assert.NotContains(t, se.Message, secretMarker, "a secret leaked into an error message")
				assert.True(t, errors.Is(err, &signer.Error{Code: tc.code}))
			}
		})
	}
}

func TestInputsAreNotModified(t *testing.T) {
	headers := []signer.Header{{Name: "x-oss-meta-b", Value: " 2 "}, {Name: "Content-Type", Value: "text/plain"}, {Name: "x-oss-meta-a", Value: "1"}}
	query := []signer.Param{{Name: "z", Value: "1"}, {Name: "a"}}
	additional := []string{"Range", "cache-control"}
	req := signer.Request{Method: "put", Bucket: "examplebucket", Key: "k", Headers: headers, Query: query, AdditionalHeaders: additional}
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "t"}
	before := []any{append([]signer.Header(nil), headers...), append([]signer.Param(nil), query...), append([]string(nil), additional...)}
	for _, v := range []signer.Version{signer.V1, signer.V4} {
		_, err := signer.Presign(signer.Target{Region: "cn-hangzhou", Version: v}, creds, req, time.Unix(1e9, 0))
		require.NoError(t, err)
		_, err = signer.SignHeaders(signer.Target{Region: "cn-hangzhou", Version: v}, creds, req, time.Unix(1e9, 0))
		require.NoError(t, err)
	}
	assert.Equal(t, before, []any{headers, query, additional})
	assert.Equal(t, "put", req.Method)
}
