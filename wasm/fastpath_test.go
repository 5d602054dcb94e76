//go:build js && wasm

package main

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The fast path writes and reads its numbers without strconv; they must read as strconv's.
func TestFastPathDecimal(t *testing.T) {
	for _, n := range []int64{0, 7, 10, 1702781677000, -1, -1702781677000, math.MaxInt64, math.MinInt64} {
		assert.Equal(t, strconv.FormatInt(n, 10), decimal(n))
	}
}

func TestFastPathFieldReaderAtoi(t *testing.T) {
	cases := []string{"0", "42", "007", "+5", "-0", "-5", "", "+", "-", "1e3", " 1", "12a",
		"9223372036854775807", "9223372036854775808", "99999999999999999999"}
	for _, s := range cases {
		t.Run(s, func(t *testing.T) {
			want, err := strconv.Atoi(s)
			wantBad := err != nil || want < 0
			r := fieldReader{}
			got := r.atoi(s)
			assert.Equal(t, wantBad, r.bad)
			if !wantBad {
				assert.Equal(t, want, got)
			}
		})
	}
}

func TestFastPathNulTerminated(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"GET\x00", []string{"GET"}},
		{"GET\x00b\x00\x00k\x00", []string{"GET", "b", "", "k"}},
		{"GET\x00partial", []string{"GET"}},
		{"\x00\x00", []string{"", ""}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, nulTerminated(c.in), "%q", c.in)
	}
}
