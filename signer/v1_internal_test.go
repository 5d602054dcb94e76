package signer

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVectorV1DateHeader checks the §6.6 V1 vector, which was computed with a Date header
// (no x-oss-date line). Our header form always sends x-oss-date, so the vector is checked one
// level down, at the string to sign.
func TestVectorV1DateHeader(t *testing.T) {
	target := Target{Region: "cn-hangzhou", Version: V1}
	e, err := target.resolve()
	require.NoError(t, err)
	p, err := prepare(&Request{Method: "GET", Bucket: "examplebucket", Key: "dir/a b+c.txt", Query: []Param{
		{"response-content-disposition", "attachment; filename=x.txt"},
		{"x-oss-process", "image/resize,w_100"},
		{"foo", "bar"},
	}}, &e)
	require.NoError(t, err)
	hs := withHeaders(p.headers, header{hdrSecurityToken, hdrSecurityToken, "token"})
	date := time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC).Format(rfc1123GMT)

	x := signV1(&Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, p, hs, date, nil)
	require.Equal(t, "GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-security-token:token\n"+
		"/examplebucket/dir/a b+c.txt?response-content-disposition=attachment; filename=x.txt&x-oss-process=image/resize,w_100",
		x.StringToSign, "stage: string to sign")
	assert.Equal(t, "uB0fD/RTdR3/hRFqzcWkxGzEHOs=", x.Signature, "stage: signature")
}

func TestTimestampMatchesTimeFormat(t *testing.T) {
	for _, unix := range []int64{0, 1702743657, 253402300799, -62135596800} {
		at := time.Unix(unix, 999_999_999).In(time.FixedZone("X", -7*3600))
		assert.Equal(t, at.UTC().Format(timestampV4), timestamp(at), unix)
	}
}
