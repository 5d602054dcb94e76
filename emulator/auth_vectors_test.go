package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vectorEmulator is an emulator with the spec vectors' key (ak/sk), region and buckets, its
// clock at now.
func vectorEmulator(t *testing.T, now time.Time) *Emulator {
	t.Helper()
	e, err := New(Config{
		DataDir: t.TempDir(), Buckets: []string{"bucket", "examplebucket"},
		RootAccessKeyID: "ak", RootAccessKeySecret: "sk", Now: func() time.Time { return now },
	})
	require.NoError(t, err)
	return e
}

// vectorCall is a call for a vector request addressed to bucket/key.
func vectorCall(e *Emulator, method, target, bucket, key string, header map[string]string) *call {
	r := httptest.NewRequest(method, target, nil)
	r.Host = bucket + ".oss-cn-hangzhou.aliyuncs.com"
	for name, v := range header {
		r.Header.Set(name, v)
	}
	return &call{e: e, r: r, now: e.now(), route: route{bucket: bucket, key: key}}
}

// v4VectorHeaders are the headers of the spec's V4 vectors (§6.3), unsigned ones included.
func v4VectorHeaders(contentType string, extra map[string]string) map[string]string {
	h := map[string]string{"x-oss-head1": "value", "abc": "value", "ZAbc": "value", "XYZ": "value", "Content-Type": contentType}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// v4VectorQuery is the user part of the V4 vectors' query (§6.3).
const v4VectorQuery = "%2Bparam1=value3&%2Bparam2=&param1=value1&param2=&%7Cparam1=value4&%7Cparam2="

// vectorCase is a signed request from the spec's vectors.
type vectorCase struct {
	name        string
	now         time.Time
	method      string
	target      string
	bucket, key string
	header      map[string]string
	// signature is where the signature sits: "Authorization" or a query parameter.
	signature string
}

// v4VectorKey is the object of the V4 vectors, and its path.
const v4VectorKey, v4VectorPath = "1234+-/123/1.txt", "/bucket/1234%2B-/123/1.txt"

// v4HeaderVector is a V4 header-form vector (§6.4) signed at unix with x-oss-date stamp.
func v4HeaderVector(name string, unix int64, stamp, authorization string) vectorCase {
	return vectorCase{
		name: name, now: time.Unix(unix, 0), method: "PUT", target: v4VectorPath + "?" + v4VectorQuery,
		bucket: "bucket", key: v4VectorKey, signature: "Authorization",
		header: v4VectorHeaders("text/plain", map[string]string{
			"x-oss-content-sha256": "UNSIGNED-PAYLOAD", "x-oss-date": stamp, "Authorization": "OSS4-HMAC-SHA256 " + authorization,
		}),
	}
}

// v4QueryVector is a V4 URL vector (§6.5) checked at unix; params hold its date, expiry and
// additional headers.
func v4QueryVector(name string, unix int64, params, signature string) vectorCase {
	return vectorCase{
		name: name, now: time.Unix(unix, 0), method: "PUT",
		target: v4VectorPath + "?" + v4VectorQuery + "&" + params + "&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request" +
			"&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-signature=" + signature,
		bucket: "bucket", key: v4VectorKey, header: v4VectorHeaders("application/octet-stream", nil), signature: "x-oss-signature",
	}
}

// TestOfficialVectors runs the spec's official signing vectors (§6, from the SDKs' own tests)
// through the emulator's verifiers: each must be accepted as is and refused with one byte of
// its signature changed. They cover the SDK-based V1 and V4 header verifiers (including the
// legacy sub-resources the SDK does not list itself) and the emulator's own V4 URL verifier.
func TestOfficialVectors(t *testing.T) {
	date1H := "Wed, 28 Dec 2022 10:27:41 GMT"
	v1Headers := map[string]string{
		"Content-MD5": "eB5eJF1ptWaXm4bijSPyxw==", "Content-Type": "text/html",
		"x-oss-meta-author": "alice", "x-oss-meta-magic": "abracadabra", "x-oss-date": date1H,
	}
	cases := []vectorCase{
		{
			name: "V1-H1", now: time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC), method: "PUT",
			target: "/examplebucket/nelson", bucket: "examplebucket", key: "nelson",
			header: with(v1Headers, "Authorization", "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M="), signature: "Authorization",
		},
		{
			name: "V1-H2 (acl sub-resource)", now: time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC), method: "PUT",
			target: "/examplebucket/nelson?acl", bucket: "examplebucket", key: "nelson",
			header: with(v1Headers, "Authorization", "OSS ak:/afkugFbmWDQ967j1vr6zygBLQk="), signature: "Authorization",
		},
		{
			name: "V1-H3 (legacy resourceGroup sub-resource)", now: time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC), method: "GET",
			target: "/examplebucket/?resourceGroup&non-resousce=null", bucket: "examplebucket",
			header: map[string]string{"x-oss-date": date1H, "Authorization": "OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs="}, signature: "Authorization",
		},
		{
			name: "V1-H4", now: time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC), method: "GET",
			target: "/examplebucket/?resourceGroup&acl", bucket: "examplebucket",
			header: map[string]string{"x-oss-date": date1H, "Authorization": "OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk="}, signature: "Authorization",
		},
		{
			name: "V1-Q1", now: time.Unix(1699807420-60, 0), method: "GET",
			target: "/bucket/key?Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId",
			bucket: "bucket", key: "key", signature: "Signature",
		},
		v4HeaderVector("V4-H1", 1702743657, "20231216T162057Z",
			"Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"),
		v4HeaderVector("V4-H3 (additional headers)", 1702747512, "20231216T172512Z",
			"Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"),
		v4QueryVector("V4-Q1", 1702781677+60, "x-oss-date=20231217T025437Z&x-oss-expires=599",
			"a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"),
		v4QueryVector("V4-Q3 (additional headers)", 1702783809+60, "x-oss-additional-headers=abc%3Bzabc&x-oss-date=20231217T033009Z&x-oss-expires=599",
			"6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7"),
		v4QueryVector("V4-Q5 (5 days)", 1702781677+4*86400, "x-oss-date=20231217T025437Z&x-oss-expires=432000",
			"31029123dc7732d2d2cfd4006ea4fdb6cf86da6478f813e2bf8f87877c7b9fec"),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := vectorEmulator(t, tc.now)
			p, err := e.authenticate(vectorCall(e, tc.method, tc.target, tc.bucket, tc.key, tc.header))
			require.NoError(t, err)
			assert.Equal(t, "ak", p.accessKeyID)

			// One changed character of the signature must be refused.
			target, header := tc.target, with(tc.header, "", "")
			switch {
			case tc.signature != "Authorization":
				target = flipAt(target, strings.Index(target, tc.signature+"=")+len(tc.signature)+1)
			case strings.HasPrefix(header["Authorization"], "OSS "):
				header["Authorization"] = flipAt(header["Authorization"], strings.Index(header["Authorization"], ":")+1)
			default:
				header["Authorization"] = flipAt(header["Authorization"], strings.Index(header["Authorization"], "Signature=")+len("Signature="))
			}
			_, err = e.authenticate(vectorCall(e, tc.method, target, tc.bucket, tc.key, header))
			var oe *ossError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "SignatureDoesNotMatch", oe.code)
		})
	}
}

// TestCanonicalRequestV4 checks the emulator's own V4 canonical request against the spec's
// V4-H1 text and hash (§6.4) and V4-Q1 hash (§6.5).
func TestCanonicalRequestV4(t *testing.T) {
	pairs, err := decodeQuery(v4VectorQuery)
	require.NoError(t, err)
	header := http.Header{}
	for k, v := range v4VectorHeaders("text/plain", map[string]string{"x-oss-content-sha256": "UNSIGNED-PAYLOAD", "x-oss-date": "20231216T162057Z"}) {
		header.Set(k, v)
	}
	h1 := v4Request{method: "PUT", bucket: "bucket", key: "1234+-/123/1.txt", query: pairs, header: header}
	want := "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n" +
		"content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD"
	assert.Equal(t, want, h1.canonicalRequest())
	assert.Equal(t, "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4", sha256Hex(h1.canonicalRequest()))

	q1Pairs, err := decodeQuery(v4VectorQuery + "&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request" +
		"&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256")
	require.NoError(t, err)
	q1Header := http.Header{}
	for k, v := range v4VectorHeaders("application/octet-stream", nil) {
		q1Header.Set(k, v)
	}
	q1 := v4Request{method: "PUT", bucket: "bucket", key: "1234+-/123/1.txt", query: q1Pairs, header: q1Header}
	assert.Equal(t, "48814c11f278d51662015bf2f896b66ca10b6de0187ed8d952e341bbce0aa336", sha256Hex(q1.canonicalRequest()))
}

// TestURIEncode checks UriEncode on the characters the spec singles out (§0, §1.6).
func TestURIEncode(t *testing.T) {
	cases := []struct {
		name, in  string
		keepSlash bool
		want      string
	}{
		{"unreserved kept", "AZaz09-_.~", false, "AZaz09-_.~"},
		{"space and plus", "a b+c", false, "a%20b%2Bc"},
		{"slash encoded", "a/b", false, "a%2Fb"},
		{"slash kept", "a/b", true, "a/b"},
		{"reserved characters", "!'()*;=&", false, "%21%27%28%29%2A%3B%3D%26"},
		{"UTF-8 bytes, upper-case hex", "ü", false, "%C3%BC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, uriEncode(tc.in, tc.keepSlash))
		})
	}
}

// with returns a copy of m with name set to value (nothing is set for an empty name).
func with(m map[string]string, name, value string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	if name != "" {
		out[name] = value
	}
	return out
}

// flipAt replaces the character at i (of a hex or Base64 signature) with another one.
func flipAt(s string, i int) string {
	repl := "a"
	if s[i] == 'a' {
		repl = "b"
	}
	return s[:i] + repl + s[i+1:]
}

// sha256Hex is the hex SHA-256 of s.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
