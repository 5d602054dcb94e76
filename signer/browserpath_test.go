package signer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

// TestBrowserAddressable checks which keys a browser can send as signed, with and without
// EncodeSlash, and that the refusal names the way out only where there is one.
func TestBrowserAddressable(t *testing.T) {
	cases := []struct {
		key                 string
		ok, okEncodingSlash bool
	}{
		{"a/b.txt", true, true},
		{"a..b", true, true},
		{"a/.hidden", true, true},
		{".../x", true, true},
		{"a/b.", true, true},
		{"a/./b", false, true},
		{"a/../b", false, true},
		{"a/..", false, true},
		{"./x", false, true},
		{".", false, false},
		{"..", false, false},
	}
	for _, c := range cases {
		for _, encode := range []bool{false, true} {
			err := signer.BrowserAddressable(c.key, encode)
			want := c.ok || encode && c.okEncodingSlash
			if want {
				assert.NoError(t, err, "%q (encode slash %v)", c.key, encode)
				continue
			}
			var se *signer.Error
			require.ErrorAs(t, err, &se, "%q (encode slash %v)", c.key, encode)
			assert.Equal(t, signer.CodeInvalidKey, se.Code)
			assert.Equal(t, c.okEncodingSlash, strings.Contains(se.Message, "slashSafe: false"), "%q: the hint", c.key)
		}
	}
}
