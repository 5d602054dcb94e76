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
		w := resultWriter{record: true}
		w.int(n)
		assert.Equal(t, []string{strconv.FormatInt(n, 10)}, w.strings())
	}
}

// Results are NUL-separated; the syscall/js path also keeps fields that contain a NUL apart,
// and empty fields count.
func TestFastPathResultWriter(t *testing.T) {
	cases := []struct {
		name   string
		fields []string
		bytes  string
	}{
		{"one", []string{"https://b.example/k"}, "https://b.example/k"},
		{"empty fields", []string{"", "a", ""}, "\x00a\x00"},
		{"a field with a NUL", []string{"a\x00b", "c"}, "a\x00b\x00c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := resultWriter{record: true}
			for _, f := range c.fields {
				w.add(f)
			}
			assert.Equal(t, c.bytes, string(w.b))
			assert.Equal(t, c.fields, w.strings())
		})
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

func TestFastPathNULTerminated(t *testing.T) {
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
		assert.Equal(t, c.want, appendNULTerminated(nil, c.in), "%q", c.in)
	}
}
