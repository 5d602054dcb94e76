package signer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What OSS computes is simulated by signing what it received: the request as it arrived.
func TestDiagnose(t *testing.T) {
	now := time.Unix(1702781677, 0)
	put := func(contentType string, query ...signer.Param) signer.Request {
		return signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "a b+c.txt", Query: query,
			Headers: []signer.Header{{Name: "Content-Type", Value: contentType}}}
	}
	cases := []struct {
		name         string
		target       signer.Target
		secret       string // OSS's view of the secret; "" = the same as ours
		signed, sent signer.Request
		sentTarget   *signer.Target
		wantPart     string // Part of the first difference; "" = none expected
		wantHint     string // substring of that difference's hint, or of the summary
	}{
		{name: "V4 Content-Type differs", target: signer.Target{Region: "cn-hangzhou"},
			signed: put("text/plain"), sent: put("application/octet-stream"),
			wantPart: "header content-type", wantHint: "Content-Type sent differs"},
		{name: "V1 Content-Type differs", target: signer.Target{Region: "cn-hangzhou", Version: signer.V1},
			signed: put("text/plain"), sent: put("image/png"),
			wantPart: "Content-Type", wantHint: "Content-Type sent differs"},
		{name: "V4 parameter added after signing", target: signer.Target{Region: "cn-hangzhou"},
			signed: put("text/plain"), sent: put("text/plain", signer.Param{Name: "x-oss-process", Value: "image/resize,w_10"}),
			wantPart: "query parameter x-oss-process", wantHint: "not signed"},
		{name: "V1 signed sub-resource changed", target: signer.Target{Region: "cn-hangzhou", Version: signer.V1},
			signed: put("text/plain", signer.Param{Name: "versionId", Value: "v1"}), sent: put("text/plain", signer.Param{Name: "versionId", Value: "v2"}),
			wantPart: "canonicalized resource", wantHint: "sub-resources"},
		{name: "V4 region differs", target: signer.Target{Region: "cn-hangzhou"}, sentTarget: &signer.Target{Region: "cn-beijing"},
			signed: put("text/plain"), sent: put("text/plain"),
			wantPart: "query parameter x-oss-credential", wantHint: "bare region id"},
		{name: "V4 wrong secret", target: signer.Target{Region: "cn-hangzhou"}, secret: "other",
			signed: put("text/plain"), sent: put("text/plain"), wantHint: "the secret differs"},
		{name: "V1 wrong secret", target: signer.Target{Region: "cn-hangzhou", Version: signer.V1}, secret: "other",
			signed: put("text/plain"), sent: put("text/plain"), wantHint: "the secret differs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ours, err := signer.Presign(tc.target, static, tc.signed, now)
			require.NoError(t, err)
			sentTarget, theirCreds := tc.target, static
			if tc.sentTarget != nil {
				sentTarget = *tc.sentTarget
			}
			if tc.secret != "" {
				theirCreds.AccessKeySecret = tc.secret
			}
			theirs, err := signer.Presign(sentTarget, theirCreds, tc.sent, now)
			require.NoError(t, err)
			// OSS's XML may carry CRLF line ends; the diagnosis must not care.
			crlf := strings.ReplaceAll(theirs.Explanation.CanonicalRequest, "\n", "\r\n")

			d := signer.Diagnose(ours.Explanation, theirs.Explanation.StringToSign, crlf)
			if tc.wantPart == "" {
				assert.Empty(t, d.Differences)
				assert.Contains(t, d.Summary, tc.wantHint)
				return
			}
			require.NotEmpty(t, d.Differences, d.Summary)
			assert.Equal(t, tc.wantPart, d.Differences[0].Part)
			assert.Contains(t, d.Differences[0].Hint, tc.wantHint)
			assert.Contains(t, d.Summary, tc.wantPart)
		})
	}
}

func TestDiagnoseWithoutServerStrings(t *testing.T) {
	d := signer.Diagnose(signer.Explanation{Version: signer.V4, StringToSign: "x"}, "", "")
	assert.Empty(t, d.Differences)
	assert.Contains(t, d.Summary, "no StringToSign")
}

func TestDiagnoseHeaderFormRegion(t *testing.T) {
	now := time.Unix(1702781677, 0)
	req := signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k"}
	ours, err := signer.SignHeaders(signer.Target{Region: "cn-hangzhou"}, static, req, now)
	require.NoError(t, err)
	theirs, err := signer.SignHeaders(signer.Target{Region: "cn-beijing"}, static, req, now)
	require.NoError(t, err)

	d := signer.Diagnose(ours.Explanation, theirs.Explanation.StringToSign, theirs.Explanation.CanonicalRequest)
	require.Len(t, d.Differences, 1)
	assert.Equal(t, "scope", d.Differences[0].Part)
	assert.Equal(t, "20231217/cn-hangzhou/oss/aliyun_v4_request", d.Differences[0].Ours)
	assert.Equal(t, "20231217/cn-beijing/oss/aliyun_v4_request", d.Differences[0].Theirs)
}
