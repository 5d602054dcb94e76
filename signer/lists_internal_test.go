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
