package signer_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The official vectors of shared/spec/oss-signing.md §6 (AccessKeyId "ak", secret "sk").
// Each case names its vector id; a failure names the stage that diverged.

var (
	static  = signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	withSTS = signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "token"}
	dec2022 = mustParse(time.RFC1123, "Wed, 28 Dec 2022 10:27:41 GMT")
)

func mustParse(layout, v string) time.Time {
	t, err := time.Parse(layout, v)
	if err != nil {
		panic(err)
	}
	return t
}

// v1HeaderInput are the request headers of V1-H1/H2 (§6.1) minus x-oss-date, which the
// signer writes itself from the signing time.
var v1HeaderInput = []signer.Header{
	{Name: "Content-MD5", Value: "eB5eJF1ptWaXm4bijSPyxw=="},
	{Name: "Content-Type", Value: "text/html"},
	{Name: "x-oss-meta-author", Value: "alice"},
	{Name: "x-oss-meta-magic", Value: "abracadabra"},
}

func TestVectorsV1Header(t *testing.T) {
	target := signer.Target{Region: "cn-hangzhou", Version: signer.V1}
	cases := []struct {
		id            string
		req           signer.Request
		stringToSign  string
		authorization string
	}{
		{
			id:  "V1-H1",
			req: signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "nelson", Headers: v1HeaderInput},
			stringToSign: "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n" +
				"x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson",
			authorization: "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=",
		},
		{
			id: "V1-H2",
			req: signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "nelson", Headers: v1HeaderInput,
				Query: []signer.Param{{Name: "acl"}}},
			stringToSign: "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n" +
				"x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson?acl",
			authorization: "OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=",
		},
		{
			id: "V1-H3",
			req: signer.Request{Method: "GET", Bucket: "examplebucket", SubResources: []string{"resourceGroup"},
				Query: []signer.Param{{Name: "resourceGroup"}, {Name: "non-resousce", Value: "null"}}},
			stringToSign:  "GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?resourceGroup",
			authorization: "OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=",
		},
		{
			id: "V1-H4",
			req: signer.Request{Method: "GET", Bucket: "examplebucket", SubResources: []string{"resourceGroup"},
				Query: []signer.Param{{Name: "resourceGroup"}, {Name: "acl"}}},
			stringToSign:  "GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?acl&resourceGroup",
			authorization: "OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=",
		},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			got, err := signer.SignHeaders(target, static, tc.req, dec2022)
			require.NoError(t, err)
			require.Equal(t, tc.stringToSign, got.Explanation.StringToSign, "stage: string to sign")
			assert.Equal(t, tc.authorization, headerOf(got.Headers, "Authorization"), "stage: signature")
			assert.Equal(t, "Wed, 28 Dec 2022 10:27:41 GMT", headerOf(got.Headers, "x-oss-date"))
		})
	}
}

func TestVectorsV1Query(t *testing.T) {
	target := signer.Target{Region: "cn-hangzhou", Endpoint: "http://oss-cn-hangzhou.aliyuncs.com", Version: signer.V1}
	cases := []struct {
		id           string
		creds        signer.Credentials
		req          signer.Request
		expires      int64
		stringToSign string
		url          string // exact, when the vector gives one
		signature    string // the URL's Signature parameter, encoded
	}{
		{
			id: "V1-Q1", creds: static, expires: 1699807420,
			req:          signer.Request{Method: "GET", Bucket: "bucket", Key: "key", Query: []signer.Param{{Name: "versionId", Value: "versionId"}}},
			stringToSign: "GET\n\n\n1699807420\n/bucket/key?versionId=versionId",
			url:          "http://bucket.oss-cn-hangzhou.aliyuncs.com/key?Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId",
		},
		{
			id: "V1-Q2", creds: withSTS, expires: 1699808204,
			req:          signer.Request{Method: "GET", Bucket: "bucket", Key: "key+123", Query: []signer.Param{{Name: "versionId", Value: "versionId"}}},
			stringToSign: "GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId",
			url:          "http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?Expires=1699808204&OSSAccessKeyId=ak&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId",
		},
		{
			id: "V1-Q3", creds: withSTS, expires: 1699808204,
			req: signer.Request{Method: "GET", Bucket: "bucket", Key: "key",
				Headers: []signer.Header{{Name: "x-oss-head1", Value: "value"}, {Name: "abc", Value: "value"},
					{Name: "ZAbc", Value: "value"}, {Name: "XYZ", Value: "value"}, {Name: "content-type", Value: "application/octet-stream"}},
				Query: []signer.Param{{Name: "versionId", Value: "versionId?param1=value1"},
					{Name: "response-content-disposition", Value: "attachment; filename=example.txt"}}},
			stringToSign: "GET\n\napplication/octet-stream\n1699808204\nx-oss-head1:value\n" +
				"/bucket/key?response-content-disposition=attachment; filename=example.txt&security-token=token&versionId=versionId?param1=value1",
			signature: "3GJoEOv5LX2ASp0HJk%2FhAk%2BqLJc%3D",
		},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			now := time.Unix(tc.expires-900, 0)
			tc.req.Expires = 900 * time.Second
			got, err := signer.Presign(target, tc.creds, tc.req, now)
			require.NoError(t, err)
			require.Equal(t, tc.stringToSign, got.Explanation.StringToSign, "stage: string to sign")
			if tc.url != "" {
				assert.Equal(t, tc.url, got.URL, "stage: URL")
			}
			if tc.signature != "" {
				assert.Contains(t, got.URL, "&Signature="+tc.signature+"&", "stage: signature")
			}
			assert.Equal(t, time.Unix(tc.expires, 0).UTC(), got.Expiration)
			assert.False(t, got.Clamped)
		})
	}
}

// v4Query is the user part of the V4 vectors' query (§6.3); empty values are bare names.
var v4Query = []signer.Param{
	{Name: "param1", Value: "value1"}, {Name: "+param1", Value: "value3"}, {Name: "|param1", Value: "value4"},
	{Name: "+param2"}, {Name: "|param2"}, {Name: "param2"},
}

func v4Headers(contentType string) []signer.Header {
	return []signer.Header{
		{Name: "x-oss-head1", Value: "value"}, {Name: "abc", Value: "value"}, {Name: "ZAbc", Value: "value"},
		{Name: "XYZ", Value: "value"}, {Name: "content-type", Value: contentType},
	}
}

const v4UserQuery = "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2"

func TestVectorsV4Header(t *testing.T) {
	hangzhou := signer.Target{Region: "cn-hangzhou"}
	cloudBox := signer.Target{Region: "cb-123", Endpoint: "cb-123.cn-hangzhou.oss-cloudbox.aliyuncs.com"}
	headers := append(v4Headers("text/plain"), signer.Header{Name: "x-oss-content-sha256", Value: "UNSIGNED-PAYLOAD"})
	h1Canonical := "PUT\n/bucket/1234%2B-/123/1.txt\n" + v4UserQuery + "\n" +
		"content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD"
	cases := []struct {
		id            string
		target        signer.Target
		creds         signer.Credentials
		unix          int64
		additional    []string
		canonical     string
		stringToSign  string
		authorization string
	}{
		{
			id: "V4-H1", target: hangzhou, creds: static, unix: 1702743657, canonical: h1Canonical,
			stringToSign:  "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4",
			authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe",
		},
		{
			id: "V4-H2", target: hangzhou, creds: withSTS, unix: 1702784856,
			canonical: "PUT\n/bucket/1234%2B-/123/1.txt\n" + v4UserQuery + "\n" +
				"content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231217T034736Z\nx-oss-head1:value\nx-oss-security-token:token\n\n\nUNSIGNED-PAYLOAD",
			authorization: "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea",
		},
		{
			id: "V4-H3", target: hangzhou, creds: static, unix: 1702747512, additional: []string{"ZAbc", "abc"},
			canonical: "PUT\n/bucket/1234%2B-/123/1.txt\n" + v4UserQuery + "\n" +
				"abc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD",
			authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f",
		},
		{
			id: "V4-H3 (noisy additional list)", target: hangzhou, creds: static, unix: 1702747512,
			additional:    []string{"x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"},
			authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f",
		},
		{
			id: "V4-H4", target: cloudBox, creds: static, unix: 1702743657,
			authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43",
		},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			req := signer.Request{Method: "PUT", Bucket: "bucket", Key: "1234+-/123/1.txt", Query: v4Query,
				Headers: headers, AdditionalHeaders: tc.additional}
			got, err := signer.SignHeaders(tc.target, tc.creds, req, time.Unix(tc.unix, 0))
			require.NoError(t, err)
			if tc.canonical != "" {
				require.Equal(t, tc.canonical, got.Explanation.CanonicalRequest, "stage: canonical request")
			}
			if tc.stringToSign != "" {
				require.Equal(t, tc.stringToSign, got.Explanation.StringToSign, "stage: string to sign")
			}
			assert.Equal(t, tc.authorization, headerOf(got.Headers, "Authorization"), "stage: signature")
		})
	}
}

func TestVectorsV4Query(t *testing.T) {
	hangzhou := signer.Target{Region: "cn-hangzhou", Endpoint: "http://oss-cn-hangzhou.aliyuncs.com"}
	cloudBox := signer.Target{Region: "cb-123", Endpoint: "http://cb-123.cn-hangzhou.oss-cloudbox.aliyuncs.com"}
	cases := []struct {
		id         string
		target     signer.Target
		creds      signer.Credentials
		unix       int64
		expires    time.Duration
		additional []string
		query      string // the URL's expected query (all parameters), when the vector gives it
		hash       string // SHA-256 of the canonical request, when the vector gives it
		signature  string
	}{
		{
			id: "V4-Q1", target: hangzhou, creds: static, unix: 1702781677, expires: 599 * time.Second,
			query:     v4UserQuery + "&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256",
			hash:      "48814c11f278d51662015bf2f896b66ca10b6de0187ed8d952e341bbce0aa336",
			signature: "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe",
		},
		{
			id: "V4-Q2", target: hangzhou, creds: withSTS, unix: 1702785388, expires: 599 * time.Second,
			query:     v4UserQuery + "&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T035628Z&x-oss-expires=599&x-oss-security-token=token&x-oss-signature-version=OSS4-HMAC-SHA256",
			signature: "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5",
		},
		{
			id: "V4-Q3", target: hangzhou, creds: static, unix: 1702783809, expires: 599 * time.Second, additional: []string{"ZAbc", "abc"},
			query:     v4UserQuery + "&x-oss-additional-headers=abc%3Bzabc&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T033009Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256",
			signature: "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7",
		},
		{
			id: "V4-Q4", target: cloudBox, creds: static, unix: 1702781677, expires: 599 * time.Second, additional: []string{"ZAbc", "abc"},
			signature: "07284191b9b4978ac3520cd39ee2dea2747eda454089359371ff463a6c7ba20f",
		},
		{
			id: "V4-Q4b", target: cloudBox, creds: static, unix: 1702783809, expires: 599 * time.Second,
			additional: []string{"x-oss-no-exist", "abc", "x-oss-head1", "ZAbc"},
			signature:  "16782cc8a7a554523db055eb804b508522e7e370073108ad88ee2f47496701dd",
		},
		{
			id: "V4-Q5", target: hangzhou, creds: static, unix: 1702781677, expires: 432000 * time.Second,
			signature: "31029123dc7732d2d2cfd4006ea4fdb6cf86da6478f813e2bf8f87877c7b9fec",
		},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			req := signer.Request{Method: "PUT", Bucket: "bucket", Key: "1234+-/123/1.txt", Query: v4Query,
				Headers: v4Headers("application/octet-stream"), AdditionalHeaders: tc.additional, Expires: tc.expires}
			got, err := signer.Presign(tc.target, tc.creds, req, time.Unix(tc.unix, 0))
			require.NoError(t, err)
			u, err := url.Parse(got.URL)
			require.NoError(t, err)
			assert.Equal(t, "/1234%2B-/123/1.txt", u.EscapedPath(), "stage: URL path")
			if tc.query != "" {
				require.Equal(t, tc.query+"&x-oss-signature="+tc.signature, u.RawQuery, "stage: canonical query / URL")
			}
			if tc.hash != "" {
				require.Equal(t, tc.hash, sha256Hex(got.Explanation.CanonicalRequest), "stage: canonical request")
			}
			assert.Equal(t, tc.signature, got.Explanation.Signature, "stage: signature")
			assert.Equal(t, tc.signature, u.Query().Get("x-oss-signature"), "stage: URL")
			assert.Equal(t, time.Unix(tc.unix, 0).Add(tc.expires).UTC(), got.Expiration)
		})
	}
}

// TestVectorsAliOSS checks the ali-oss reference outputs of §9 (ali-oss 6.23.0, clock pinned at
// 2024-01-02T03:04:05Z, token "tok", key "dir/a b+c.txt", expires 3600 s).
func TestVectorsAliOSS(t *testing.T) {
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "tok"}
	now := time.Unix(1704164645, 0)
	plain := []signer.Header{{Name: "Content-Type", Value: "text/plain"}}
	cases := []struct {
		id      string
		version signer.Version
		method  string
		headers []signer.Header
		param   string
		want    string
	}{
		{"ALI-V1-GET", signer.V1, "GET", nil, "Signature", "GQGlyfhFS5SHVsW29Cil2jtg2ns="},
		{"ALI-V1-PUT-ContentType", signer.V1, "PUT", plain, "Signature", "o8UPgxvq3jwfzaU0HRw+L6I88uc="},
		{"ALI-V4-PUT", signer.V4, "PUT", nil, "x-oss-signature", "52d92627e6910d2286d5c2aa9e24ce674d3b3514bedfbc137c4a8aef430d7040"},
		{"ALI-V4-PUT-ContentType", signer.V4, "PUT", plain, "x-oss-signature", "4d36b3d7cb8441b7ba51883dc6a25846820685f0de523b8738aa2228257002ac"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			target := signer.Target{Region: "oss-cn-hangzhou", Version: tc.version}
			req := signer.Request{Method: tc.method, Bucket: "examplebucket", Key: "dir/a b+c.txt", Headers: tc.headers, Expires: time.Hour}
			got, err := signer.Presign(target, creds, req, now)
			require.NoError(t, err)
			u, err := url.Parse(got.URL)
			require.NoError(t, err)
			assert.Equal(t, "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc.txt", u.Scheme+"://"+u.Host+u.EscapedPath())
			assert.Equal(t, tc.want, u.Query().Get(tc.param), "stage: signature")
			if tc.version == signer.V1 {
				assert.Equal(t, "1704168245", u.Query().Get("Expires"))
				assert.Equal(t, "tok", u.Query().Get("security-token"))
			} else {
				assert.Equal(t, "tok", u.Query().Get("x-oss-security-token"))
			}
		})
	}
}
