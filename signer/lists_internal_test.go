package signer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSortByKey(t *testing.T) {
	cases := []struct {
		name     string
		in, want []Param
	}{
		{"empty", nil, nil},
		{"byte-wise, upper case before lower", []Param{{"b", "1"}, {"B", "2"}, {"a", "3"}}, []Param{{"B", "2"}, {"a", "3"}, {"b", "1"}}},
		{"prefix first", []Param{{"x-oss-ac", ""}, {"x-oss", ""}}, []Param{{"x-oss", ""}, {"x-oss-ac", ""}}},
		{"equal keys keep their order", []Param{{"k", "2"}, {"a", ""}, {"k", "1"}}, []Param{{"a", ""}, {"k", "2"}, {"k", "1"}}},
		{"reversed", []Param{{"e", ""}, {"d", ""}, {"c", ""}, {"b", ""}, {"a", ""}}, []Param{{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}, {"e", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := append([]Param(nil), c.in...)
			sortByKey(len(ps), func(i int) string { return ps[i].Name }, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
			assert.Equal(t, c.want, ps)
		})
	}
}

func TestContains(t *testing.T) {
	assert.True(t, contains([]string{"a", "host"}, "host"))
	assert.False(t, contains([]string{"a", "host"}, "Host"))
	assert.False(t, contains(nil, ""))
}

func TestInSorted(t *testing.T) {
	list := []string{"Z", "a", "ab", "b"}
	for _, s := range list {
		assert.True(t, inSorted(list, s), s)
	}
	for _, s := range []string{"", "A", "aa", "abc", "c", "z"} {
		assert.False(t, inSorted(list, s), s)
	}
	assert.False(t, inSorted(nil, "a"))
}

// The V1 sub-resource lists are searched by bisection: they must stay sorted and distinct.
func TestSignableV1ListsSorted(t *testing.T) {
	for _, list := range [][]string{signableV1, signableV1Legacy} {
		for i := 1; i < len(list); i++ {
			assert.Less(t, list[i-1], list[i])
		}
		for _, name := range list {
			assert.True(t, isSignableV1(name, nil), name)
		}
	}
	assert.False(t, isSignableV1("response-content-Type", nil))
	assert.True(t, isSignableV1("x-oss-process", nil))
	assert.True(t, isSignableV1("myResource", []string{"myResource"}))
}

func TestUnreserved(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
		assert.Equal(t, want, unreserved(byte(c)), "byte %#x", c)
	}
}
