package signer

import (
	"math/rand/v2"
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
	}}, &e, nil)
	require.NoError(t, err)
	hs := withHeaders(p.headers, header{hdrSecurityToken, hdrSecurityToken, "token"})
	date := time.Date(2022, 12, 28, 10, 27, 41, 0, time.UTC).Format(http1123)

	s, err := NewSigner(target, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"})
	require.NoError(t, err)
	x := s.signV1(&p, hs, date, nil)
	require.Equal(t, "GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-security-token:token\n"+
		"/examplebucket/dir/a b+c.txt?response-content-disposition=attachment; filename=x.txt&x-oss-process=image/resize,w_100",
		x.StringToSign, "stage: string to sign")
	assert.Equal(t, "uB0fD/RTdR3/hRFqzcWkxGzEHOs=", x.Signature, "stage: signature")
}

// http1123 is net/http's TimeFormat.
const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

// The hand-written time formats and parser agree with package time.
func TestTimeFormatsMatchPackageTime(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for i := 0; i < 2000; i++ {
		unix := r.Int64N(253402300799+62135596800) - 62135596800
		at := time.Unix(unix, r.Int64N(1e9)).In(time.FixedZone("X", -7*3600))
		assert.Equal(t, at.UTC().Format("20060102T150405Z"), timestamp(at), unix)
		assert.Equal(t, at.UTC().Format(http1123), formatRFC1123(at), unix)
		assert.Equal(t, at.UTC().Format("2006-01-02T15:04:05Z"), formatRFC3339(at), unix)
		for _, layout := range []string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"} {
			s := at.Format(layout)
			want, err := time.Parse(time.RFC3339, s)
			require.NoError(t, err)
			got, err := ParseExpiration(s)
			require.NoError(t, err, s)
			assert.True(t, want.Equal(got), "%s: %v != %v", s, got, want)
		}
	}
	for _, bad := range []string{"", "2026-01-01", "2026-01-01T00:15:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
		"2026-01-01T24:00:00Z", "2026-01-01T00:15:00+0800", "2026-01-01T00:15:00.Z", "2026-01-01 00:15:00Z", "2026-01-01T00:15:00Zx"} {
		_, err := ParseExpiration(bad)
		assert.ErrorIs(t, err, &Error{Code: CodeInvalidCredentials}, bad)
	}
	assert.Equal(t, "90 s", formatDuration(90*time.Second))
	assert.Equal(t, "1500 ms", formatDuration(1500*time.Millisecond))
	assert.Equal(t, "-1 s", formatDuration(-time.Second))
}

// civilOf and daysFromCivil count days as package time does, leap years and years before 1
// and after 9999 included.
func TestCivilMatchesPackageTime(t *testing.T) {
	dates := []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 0, time.UTC), time.Date(2100, 2, 28, 23, 0, 0, 0, time.UTC),
		time.Date(1900, 3, 1, 0, 0, 1, 0, time.UTC), time.Date(1600, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(0, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 6, 7, 8, 0, time.UTC), time.Date(-4713, 11, 24, 12, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(275760, 9, 13, 0, 0, 0, 0, time.UTC), time.Unix(-8.64e15/1000, 0), time.Unix(1<<40, 0),
	}
	for _, at := range dates {
		u := at.UTC()
		year, month, day := u.Date()
		hour, minute, second := u.Clock()
		want := civil{year, int(month), day, hour, minute, second, int(u.Weekday())}
		assert.Equal(t, want, civilOf(at), "%v", u)
		assert.Equal(t, floorDiv(u.Unix(), 86400), daysFromCivil(year, int(month), day), "%v", u)
	}
}
