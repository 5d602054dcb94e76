package main

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A pclntab of two functions, laid out as runtime/symtab.go reads it, 16 bytes into memory.
// Function a.f uses pc tables A (twice), B and C; b.g uses A again and D.
func testPclntab() []byte {
	le32 := func(b []byte, vs ...int) []byte {
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		return b
	}
	names := []byte("a.f\x00b.g\x00")
	pctab := []byte{0, 2, 4, 0, 3, 1, 5, 2, 0, 0x81, 0x01, 0x02, 0, 0, 3, 0}
	const tableA, tableB, tableC, tableD = 1, 4, 9, 13
	const headerSize, funcA, funcB = 72, 24, 24 + funcRecordSize + 8
	pcln := le32(nil, 0, funcA, 1<<16, funcB, 2<<16, 0) // functab: entry, record offset
	pcln = le32(pcln, 0, 0, 0, 0, tableA, tableB, tableC, 1, 0, 0)
	pcln = append(pcln, 0, 0, 0, 1) // funcID, flag, pad, nfuncdata
	pcln = le32(pcln, tableA, 0)    // pcdata, funcdata
	pcln = le32(pcln, 1<<16, 4, 0, 0, tableA, tableD, 0, 0, 0, 0)
	pcln = append(pcln, 0, 0, 0, 0)

	header := append([]byte{}, pcHeaderPrefix...)
	for _, v := range []int{2, 1, 0, headerSize, 0, 0, headerSize + len(names), headerSize + len(names) + len(pctab)} {
		header = binary.LittleEndian.AppendUint64(header, uint64(v))
	}
	mem := make([]byte, 16, 1024)
	mem = append(append(append(append(mem, header...), names...), pctab...), pcln...)
	return append(mem, make([]byte, 8)...)
}

func TestReadPclntab(t *testing.T) {
	funcs, err := readPclntab(testPclntab())
	require.NoError(t, err)
	assert.Equal(t, []funcMetadata{
		{name: "a.f", bytes: functabItemSize + funcRecordSize + 4*2 + len("a.f\x00") + 3 + 5 + 4},
		{name: "b.g", bytes: functabItemSize + funcRecordSize + len("b.g\x00") + 3}, // table A was a.f's
	}, funcs)
}

func TestReadPclntabWithoutHeader(t *testing.T) {
	_, err := readPclntab(make([]byte, 256))
	assert.ErrorContains(t, err, "pcHeader")
}

func TestPcTableLen(t *testing.T) {
	cases := []struct {
		name  string
		table []byte
		want  int
	}{
		{"one pair", []byte{2, 4, 0, 9}, 3},
		{"a first value delta of zero is a pair", []byte{0, 3, 0}, 3},
		{"two pairs", []byte{3, 1, 5, 2, 0}, 5},
		{"multi-byte varints", []byte{0x81, 0x01, 0x80, 0x02, 0, 7}, 5},
		{"runs off the end", []byte{3, 1, 5}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, pcTableLen(c.table))
		})
	}
}
