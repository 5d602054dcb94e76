package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testPackages = []string{"main", "runtime", "internal/runtime/maps", "strings", "github.com/ossign/ossign/signer", "slices"}

func TestPackageOf(t *testing.T) {
	a := newAttribution(testPackages)
	cases := []struct {
		symbol, wasmName, want string
	}{
		{"github.com/ossign/ossign/signer.(*Target).resolve", "github.com_ossign_ossign_signer.__Target_.resolve", "github.com/ossign/ossign/signer"},
		{"internal/runtime/maps.(*Map).getWithKey", "internal_runtime_maps.__Map_.getWithKey", "internal/runtime/maps"},
		{"runtime.mallocgc", "runtime.mallocgc", "runtime"},
		{"slices.pdqsortCmpFunc[go.shape.struct { Name string }]", "slices.pdqsortCmpFunc_go.shape.struct___Name_string__", "slices"},
		{"type:*github.com/ossign/ossign/signer.Target", "type__github.com_ossign_ossign_signer.Target", "github.com/ossign/ossign/signer"},
		{"type:.eq.strings.Builder", "type_.eq.strings.Builder", "strings"},
		{"main.signFields", "main.signFields", "main"},
		{"go:string.\"x\"", "go_string._x_", ""},
		{"_rt0_wasm_js", "_rt0_wasm_js", ""},
	}
	for _, c := range cases {
		t.Run(c.symbol, func(t *testing.T) {
			assert.Equal(t, c.want, a.packageOf(c.symbol))
			want := c.want
			if want == "" {
				want = otherPackage
			}
			assert.Equal(t, want, a.packageOfWasmName(c.wasmName))
		})
	}
}

func TestChargeGraph(t *testing.T) {
	edges := parseDumpdep([]byte("# github.com/ossign/ossign/wasm\n" +
		"_ -> main.main\n" +
		"main.main -> github.com/ossign/ossign/signer.Presign\n" +
		"github.com/ossign/ossign/signer.Presign -> go:string.\"abc\"\n" +
		"github.com/ossign/ossign/signer.Presign -> slices.SortFunc\n" +
		"slices.SortFunc -> gclocals·x\n" +
		"github.com/ossign/ossign/signer.Presign -> github.com/ossign/ossign/signer.table\n" +
		"main.main -> go:main.inittasks\n" +
		"go:main.inittasks -> gclocals·y\n"))
	require.Len(t, edges, 8)
	a := newAttribution(testPackages)
	a.chargeGraph(edges, map[string]int{
		"go:string.\"abc\"": 3, "gclocals·x": 10, "github.com/ossign/ossign/signer.table": 256, "gclocals·y": 7, "not.reachable": 999,
	})
	signer := a.row("github.com/ossign/ossign/signer")
	assert.Equal(t, 3+256, signer.data, "its own table and its anonymous string")
	assert.Equal(t, "main.main", signer.neededBy)
	assert.Equal(t, 10, a.row("slices").data)
	assert.Equal(t, "github.com/ossign/ossign/signer.Presign", a.row("slices").neededBy)
	assert.Equal(t, 7, a.row("main").data, "anonymous symbols go up the graph to a package")
}

func TestNmLine(t *testing.T) {
	cases := []struct {
		line       string
		size, kind string
		name       string
	}{
		{"/cache/ab-d:\t   c1a61         16 R cmp..dict.Less[string]", "16", "R", "cmp..dict.Less[string]"},
		{"   95275       2448 B github.com/ossign/ossign/signer.v4Keys", "2448", "B", "github.com/ossign/ossign/signer.v4Keys"},
		{"/c/x-d:\t   a774e       1392 r type:struct { a string; b int }", "1392", "r", "type:struct { a string; b int }"},
	}
	for _, c := range cases {
		m := nmLine.FindStringSubmatch(c.line)
		require.NotNil(t, m, c.line)
		assert.Equal(t, []string{c.size, c.kind, c.name}, m[1:])
	}
	assert.Nil(t, nmLine.FindStringSubmatch("         U runtime.mallocgc"))
}
