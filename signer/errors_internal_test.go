package signer

import (
	"strconv"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

func TestQuoteIsStrconvQuote(t *testing.T) {
	cases := []string{
		"", "plain", `say "hi"`, `back\slash`, "tab\tnew\nline\r\a\b\f\v\x00\x1f\x7f",
		"照片/2024 ü", "\xff\xfe bad utf-8", "\u00a0nbsp\u200bzwsp\ufeffbom\u2028", "\U000e0001\U000f0000\U0010fffd",
		"\ufffd replacement", "emoji 😀", "a\u0301 combining",
	}
	for _, s := range cases {
		assert.Equal(t, strconv.Quote(s), quote(s), "%q", s)
	}
}

// Every assigned code point is quoted as strconv.Quote quotes it; unassigned ones may differ.
func TestQuoteEveryAssignedRune(t *testing.T) {
	assigned := []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co}
	mismatches := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff || !unicode.IsOneOf(assigned, r) {
			continue
		}
		if s := string(r); quote(s) != strconv.Quote(s) {
			mismatches++
			assert.Failf(t, "quote differs", "U+%04X: %s, strconv %s", r, quote(s), strconv.Quote(s))
			if mismatches > 10 {
				return
			}
		}
	}
}
