package signer_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndpointStyles(t *testing.T) {
	now := time.Unix(1702781677, 0)
	cases := []struct {
		name     string
		target   signer.Target
		bucket   string
		key      string
		base     string // URL without query
		resource string // V4 canonical URI
	}{
		{"virtual-hosted default", signer.Target{Region: "cn-hangzhou"}, "examplebucket", "a/b c+d.txt",
			"https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a/b%20c%2Bd.txt", "/examplebucket/a/b%20c%2Bd.txt"},
		{"region with oss- prefix", signer.Target{Region: "oss-cn-hangzhou"}, "examplebucket", "k",
			"https://examplebucket.oss-cn-hangzhou.aliyuncs.com/k", "/examplebucket/k"},
		{"path-style", signer.Target{Region: "cn-hangzhou", PathStyle: true}, "examplebucket", "a/b",
			"https://oss-cn-hangzhou.aliyuncs.com/examplebucket/a/b", "/examplebucket/a/b"},
		{"custom domain", signer.Target{Region: "cn-hangzhou", Endpoint: "https://img.example.com", CNAME: true}, "examplebucket", "a/b",
			"https://img.example.com/a/b", "/examplebucket/a/b"},
		{"explicit http and port", signer.Target{Region: "cn-hangzhou", Endpoint: "http://OSS.Example.com:8080/"}, "examplebucket", "k",
			"http://examplebucket.oss.example.com:8080/k", "/examplebucket/k"},
		{"IPv4 forces path-style", signer.Target{Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9000"}, "examplebucket", "k",
			"http://127.0.0.1:9000/examplebucket/k", "/examplebucket/k"},
		{"IPv6 forces path-style", signer.Target{Region: "cn-hangzhou", Endpoint: "http://[::1]:9000"}, "examplebucket", "k",
			"http://[::1]:9000/examplebucket/k", "/examplebucket/k"},
		{"localhost forces path-style", signer.Target{Region: "cn-hangzhou", Endpoint: "localhost:9000"}, "examplebucket", "k",
			"https://localhost:9000/examplebucket/k", "/examplebucket/k"},
		{"encoded slash", signer.Target{Region: "cn-hangzhou", EncodeSlash: true}, "examplebucket", "a//b",
			"https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a%2F%2Fb", "/examplebucket/a//b"},
		{"bucket level", signer.Target{Region: "cn-hangzhou"}, "examplebucket", "",
			"https://examplebucket.oss-cn-hangzhou.aliyuncs.com/", "/examplebucket/"},
		{"bucket level path-style", signer.Target{Region: "cn-hangzhou", PathStyle: true}, "examplebucket", "",
			"https://oss-cn-hangzhou.aliyuncs.com/examplebucket/", "/examplebucket/"},
		{"http scheme", signer.Target{Region: "cn-hangzhou", Scheme: "http"}, "examplebucket", "k",
			"http://examplebucket.oss-cn-hangzhou.aliyuncs.com/k", "/examplebucket/k"},
		{"endpoint scheme wins", signer.Target{Region: "cn-hangzhou", Scheme: "http", Endpoint: "https://oss.example.com"}, "examplebucket", "k",
			"https://examplebucket.oss.example.com/k", "/examplebucket/k"},
		{"service level", signer.Target{Region: "cn-hangzhou"}, "", "",
			"https://oss-cn-hangzhou.aliyuncs.com/", "/"},
		{"unicode and reserved characters", signer.Target{Region: "cn-hangzhou"}, "examplebucket", "中文/#?%~*",
			"https://examplebucket.oss-cn-hangzhou.aliyuncs.com/%E4%B8%AD%E6%96%87/%23%3F%25~%2A", "/examplebucket/%E4%B8%AD%E6%96%87/%23%3F%25~%2A"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := signer.Request{Method: "GET", Bucket: tc.bucket, Key: tc.key}
			p, err := signer.Presign(tc.target, static, req, now)
			require.NoError(t, err)
			u, err := url.Parse(p.URL)
			require.NoError(t, err)
			u.RawQuery = ""
			assert.Equal(t, tc.base, u.String())
			assert.Contains(t, p.Explanation.CanonicalRequest, "\n"+tc.resource+"\n")

			h, err := signer.SignHeaders(tc.target, static, req, now)
			require.NoError(t, err)
			assert.Equal(t, tc.base, h.URL, "header form uses the same URL")
		})
	}
}

func TestHostAdditionalHeader(t *testing.T) {
	req := signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k", AdditionalHeaders: []string{"Host", "range"},
		Headers: []signer.Header{{Name: "Range", Value: "bytes=0-9"}, {Name: "x-oss-meta-a", Value: "1"}}}
	for _, tc := range []struct {
		target signer.Target
		host   string
	}{
		{signer.Target{Region: "cn-hangzhou"}, "examplebucket.oss-cn-hangzhou.aliyuncs.com"},
		{signer.Target{Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9000"}, "127.0.0.1:9000"},
	} {
		p, err := signer.Presign(tc.target, static, req, time.Unix(1702781677, 0))
		require.NoError(t, err)
		assert.Contains(t, p.Explanation.CanonicalRequest, "\nhost:"+tc.host+"\nrange:bytes=0-9\nx-oss-meta-a:1\n\nhost;range\n")
		assert.Contains(t, p.URL, "x-oss-additional-headers=host%3Brange")
		assert.Equal(t, "", headerOf(p.Headers, "host"), "the browser sets Host itself")
	}
}

func TestPresignExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 400_000_000, time.UTC)
	sts := signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: "sk", SecurityToken: "tok", Expiration: now.Add(10 * time.Minute)}
	cases := []struct {
		name    string
		version signer.Version
		creds   signer.Credentials
		expires time.Duration
		want    time.Time
		clamped bool
		param   string // the URL's lifetime parameter and its value
		value   string
	}{
		{"V4 default 15 min", signer.V4, static, 0, now.Truncate(time.Second).Add(15 * time.Minute), false, "x-oss-expires", "900"},
		{"V4 7 days", signer.V4, static, 7 * 24 * time.Hour, now.Truncate(time.Second).Add(7 * 24 * time.Hour), false, "x-oss-expires", "604800"},
		{"V4 clamped to token", signer.V4, sts, time.Hour, now.Truncate(time.Second).Add(10 * time.Minute), true, "x-oss-expires", "600"},
		{"V4 fractional seconds floor", signer.V4, static, 1500 * time.Millisecond, now.Truncate(time.Second).Add(time.Second), false, "x-oss-expires", "1"},
		{"V1 absolute", signer.V1, static, time.Hour, now.Truncate(time.Second).Add(time.Hour), false, "Expires", "1767229200"},
		{"V1 clamped to token", signer.V1, sts, 30 * 24 * time.Hour, now.Truncate(time.Second).Add(10 * time.Minute), true, "Expires", "1767226200"},
		{"V1 long-lived static key", signer.V1, static, 365 * 24 * time.Hour, now.Truncate(time.Second).Add(365 * 24 * time.Hour), false, "Expires", "1798761600"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := signer.Presign(signer.Target{Region: "cn-hangzhou", Version: tc.version}, tc.creds,
				signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k", Expires: tc.expires}, now)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Expiration)
			assert.Equal(t, tc.clamped, p.Clamped)
			u, err := url.Parse(p.URL)
			require.NoError(t, err)
			assert.Equal(t, tc.value, u.Query().Get(tc.param))
			assert.False(t, p.Expiration.After(tc.creds.Expiration) && !tc.creds.Expiration.IsZero(), "never outlives the credentials")
		})
	}
}

func TestTargetValidate(t *testing.T) {
	assert.NoError(t, signer.Target{Region: "oss-cn-hangzhou", Endpoint: "https://img.example.com", CNAME: true}.Validate())
	assert.ErrorIs(t, signer.Target{Region: "cn-hangzhou", Endpoint: "ftp://x"}.Validate(), &signer.Error{Code: signer.CodeInvalidEndpoint})
}
