package main

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wasmSectionBytes encodes one section: id, payload size, payload.
func wasmSectionBytes(id byte, payload []byte) []byte {
	return append(binary.AppendUvarint([]byte{id}, uint64(len(payload))), payload...)
}

// wasmName encodes a name: length, bytes.
func wasmName(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))), s...) }

// testModule assembles a module: two imports (a function and a memory), two function bodies
// named by a name section, and the given data segments.
func testModule(segments ...dataSegment) []byte {
	imports := []byte{2}
	imports = append(append(append(imports, wasmName("go")...), wasmName("debug")...), 0, 0)      // func, type 0
	imports = append(append(append(imports, wasmName("env")...), wasmName("mem")...), 2, 1, 1, 2) // memory, limits min 1 max 2
	code := []byte{2, 3, 0, 0x01, 0x0b, 2, 0, 0x0b}                                               // two bodies: 3 and 2 bytes
	data := binary.AppendUvarint(nil, uint64(len(segments)))
	for _, s := range segments {
		data = appendSLEB(append(data, 0, 0x41), int64(s.address))
		data = append(binary.AppendUvarint(append(data, 0x0b), uint64(len(s.data))), s.data...)
	}
	names := []byte{2}
	names = append(append(names, 1), wasmName("runtime.main")...)
	names = append(append(names, 2), wasmName("main.main")...)
	nameSection := append(wasmName("name"), wasmSectionBytes(1, names)...)

	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, wasmSectionBytes(sectionImport, imports)...)
	m = append(m, wasmSectionBytes(sectionCode, code)...)
	m = append(m, wasmSectionBytes(sectionData, data)...)
	return append(m, wasmSectionBytes(sectionCustom, nameSection)...)
}

func TestParseWasm(t *testing.T) {
	segs := []dataSegment{{address: 1024, data: []byte("abc")}, {address: 70000, data: []byte{1, 2}}}
	mod, err := parseWasm(testModule(segs...))
	require.NoError(t, err)
	assert.Equal(t, 1, mod.importedFns, "the memory import is not a function")
	assert.Equal(t, [][]byte{{0, 0x01, 0x0b}, {0, 0x0b}}, mod.bodies)
	assert.Equal(t, map[int]string{1: "runtime.main", 2: "main.main"}, mod.names)
	assert.Equal(t, segs, mod.segments)
	assert.Equal(t, "name", mod.sections[len(mod.sections)-1].name)
}

func TestParseWasmRejects(t *testing.T) {
	whole := testModule(dataSegment{address: 8, data: []byte("x")})
	cases := []struct {
		name string
		raw  []byte
	}{
		{"not wasm", []byte("\x7fELF\x02\x01\x01\x00")},
		{"cut in a section header", whole[:9]},
		{"cut in the data section", whole[:len(whole)-30]},
		{"passive data segment", append([]byte("\x00asm\x01\x00\x00\x00"), wasmSectionBytes(sectionData, []byte{1, 1, 1, 'x'})...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseWasm(c.raw)
			assert.Error(t, err)
		})
	}
}

func TestSLEBRoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, -1, -64, -65, 8191, 8192, 1 << 20, 1<<31 - 1, -1 << 31} {
		b := appendSLEB(nil, v)
		r := &wasmReader{b: b}
		assert.Equal(t, int(v), r.sleb(), "value %d", v)
		assert.Equal(t, len(b), r.pos, "value %d: whole encoding read", v)
		assert.NoError(t, r.err)
	}
}

func TestWithoutCustomSection(t *testing.T) {
	raw := testModule(dataSegment{address: 8, data: []byte("x")})
	mod, err := parseWasm(raw)
	require.NoError(t, err)
	stripped := withoutCustomSection(raw, mod, "name")
	out, err := parseWasm(stripped)
	require.NoError(t, err)
	assert.Empty(t, out.names)
	assert.Equal(t, mod.bodies, out.bodies)
	assert.Equal(t, mod.segments, out.segments)
	assert.Equal(t, raw, withoutCustomSection(raw, mod, "producers"), "no such section: unchanged")
}
