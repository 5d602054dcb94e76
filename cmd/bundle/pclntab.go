package main

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Go's function metadata (pclntab: names, stack-size, file and line tables, one record per
// function) is a third of a Go wasm module's data. The report charges each function with its
// share, read from the data segments as the runtime reads it (runtime/symtab.go: pcHeader,
// functab, _func). Tables the linker shares between functions go to the first that uses one.

// pcHeaderPrefix is pcHeader's start for Go 1.20 and later on wasm: magic 0xfffffff1, two pad
// bytes, minLC 1, ptrSize 8.
var pcHeaderPrefix = []byte{0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8}

const (
	funcRecordSize  = 44 // _func up to and including nfuncdata
	functabItemSize = 8  // {entryOff, funcOff uint32}
)

// funcMetadata is one function's pclntab bytes.
type funcMetadata struct {
	name  string
	bytes int
}

// readPclntab returns each function's metadata bytes, in pclntab order.
func readPclntab(mem []byte) ([]funcMetadata, error) {
	at := bytes.Index(mem, pcHeaderPrefix)
	if at < 0 {
		return nil, errors.New("pclntab: no Go 1.20+ pcHeader in the data segments")
	}
	word := func(off int) int {
		if off < 0 || off+8 > len(mem) {
			return -1
		}
		return int(binary.LittleEndian.Uint64(mem[off:]))
	}
	u32 := func(off int) int {
		if off < 0 || off+4 > len(mem) {
			return 0
		}
		return int(binary.LittleEndian.Uint32(mem[off:]))
	}
	nfunc := word(at + 8)
	// pcHeader: magic…ptrSize, nfunc, nfiles, unused, then offsets from the header of
	// funcnametab, cutab, filetab, pctab and the functab/_func area.
	funcnames, pctab, pcln := at+word(at+32), at+word(at+56), at+word(at+64)
	if nfunc <= 0 || pcln+(nfunc+1)*functabItemSize > len(mem) {
		return nil, errors.New("pclntab: header out of range")
	}
	seen := map[int]bool{} // pctab offsets already charged
	out := make([]funcMetadata, nfunc)
	for i := range nfunc {
		f := pcln + u32(pcln+i*functabItemSize+4)
		nameOff := u32(f + 4)
		name := cString(mem, funcnames+nameOff)
		npcdata, nfuncdata := u32(f+28), int(mem[f+funcRecordSize-1])
		n := functabItemSize + funcRecordSize + 4*(npcdata+nfuncdata) + len(name) + 1
		tables := []int{u32(f + 16), u32(f + 20), u32(f + 24)} // pcsp, pcfile, pcln
		for j := range npcdata {
			tables = append(tables, u32(f+funcRecordSize+4*j))
		}
		for _, t := range tables {
			if t != 0 && !seen[t] {
				seen[t] = true
				n += pcTableLen(mem[min(pctab+t, len(mem)):])
			}
		}
		out[i] = funcMetadata{name: name, bytes: n}
	}
	return out, nil
}

func cString(mem []byte, off int) string {
	if off < 0 || off >= len(mem) {
		return ""
	}
	end := bytes.IndexByte(mem[off:], 0)
	if end < 0 {
		return ""
	}
	return string(mem[off : off+end])
}

// pcTableLen is the length of a pc-value table: (value delta, pc delta) varint pairs ended by
// a zero byte where a value delta would start (runtime.step).
func pcTableLen(p []byte) int {
	n := 0
	for first := true; n < len(p); first = false {
		if p[n] == 0 && !first {
			return n + 1
		}
		for range 2 { // value delta, then pc delta
			_, k := binary.Uvarint(p[n:])
			if k <= 0 {
				return len(p)
			}
			n += k
		}
	}
	return n
}
