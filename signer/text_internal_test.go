package signer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The string helpers behave as their namesakes in package strings.
func TestTextHelpersMatchStrings(t *testing.T) {
	inputs := []string{"", "a", "x-oss-meta", "oss-cn-hangzhou-internal", "a\nb\n\nc\n", "\n", "host:port:1",
		"k=v&k2=&k3", " \t value \t", "\t", "a\r\nb\r\r\n\r", "[::1]:80", "日本語.example"}
	for _, s := range inputs {
		for _, p := range []string{"", "x-oss-", "oss-", "-internal", "a", "://", ":1", "\r\n"} {
			assert.Equal(t, strings.HasPrefix(s, p), hasPrefix(s, p), "%q %q", s, p)
			assert.Equal(t, strings.HasSuffix(s, p), hasSuffix(s, p), "%q %q", s, p)
			assert.Equal(t, strings.TrimPrefix(s, p), trimPrefix(s, p), "%q %q", s, p)
			assert.Equal(t, strings.TrimSuffix(s, p), trimSuffix(s, p), "%q %q", s, p)
			assert.Equal(t, strings.Index(s, p), index(s, p), "%q %q", s, p)
		}
		for _, c := range []byte{'\n', ':', '&', '=', '.', ']'} {
			assert.Equal(t, strings.IndexByte(s, c), indexByte(s, c), "%q %q", s, c)
			assert.Equal(t, strings.LastIndexByte(s, c), lastIndexByte(s, c), "%q %q", s, c)
			before, after, found := strings.Cut(s, string(c))
			b2, a2, f2 := cut(s, c)
			assert.Equal(t, []any{before, after, found}, []any{b2, a2, f2}, "%q %q", s, c)
			assert.Equal(t, strings.Split(s, string(c)), split(s, c, -1), "%q %q", s, c)
			for n := 1; n <= 4; n++ {
				assert.Equal(t, strings.SplitN(s, string(c), n), split(s, c, n), "%q %q %d", s, c, n)
			}
			assert.Equal(t, strings.Join(strings.Split(s, "\n"), string(c)), join(strings.Split(s, "\n"), c), "%q %q", s, c)
		}
		assert.Equal(t, strings.Trim(s, " \t"), trimBlanks(s), "%q", s)
		assert.Equal(t, strings.ReplaceAll(s, "\r\n", "\n"), withoutCR(s), "%q", s)
	}
	assert.Equal(t, "", join(nil, ';'))
}
