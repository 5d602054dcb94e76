package main

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Go's linker starts a new data segment after every run of 8 or more zero bytes, which keeps
// the raw module small but costs a segment header (~7 bytes) per run. Its js/wasm runtime
// has a pc→function table (findfunctab) of 20-byte entries, one per 4 KB of its sparse
// wasm PCs, each two non-zero bytes among zeros: 25,000 segments in ossign.wasm. Headers
// compress badly, runs of zeros almost to nothing, so packDataSegments joins segments that
// fewer than maxPackedGap zero bytes separate: the raw module grows by ~11%, its brotli and
// gzip downloads shrink by ~30 and ~48 KB. Memory starts with exactly the same bytes: the
// gaps are zero either way.
const maxPackedGap = 256

// packDataSegments returns raw with its data segments joined as described above.
func packDataSegments(raw []byte) ([]byte, error) {
	mod, err := parseWasm(raw)
	if err != nil {
		return nil, err
	}
	data := mod.section(sectionData)
	if data.id != sectionData {
		return raw, nil
	}
	segs := slices.Clone(mod.segments)
	slices.SortFunc(segs, func(a, b dataSegment) int { return a.address - b.address })
	var packed []dataSegment
	for _, s := range segs {
		if n := len(packed); n > 0 {
			last := &packed[n-1]
			end := last.address + len(last.data)
			if s.address < end {
				return nil, errors.New("wasm: overlapping data segments")
			}
			if s.address-end < maxPackedGap {
				last.data = append(append(last.data, make([]byte, s.address-end)...), s.data...)
				continue
			}
		}
		packed = append(packed, dataSegment{address: s.address, data: slices.Clone(s.data)})
	}
	body := binary.AppendUvarint(nil, uint64(len(packed)))
	for _, s := range packed {
		body = append(body, 0, 0x41) // active in memory 0, offset i32.const
		body = appendSLEB(body, int64(s.address))
		body = append(body, 0x0b) // end of the offset expression
		body = binary.AppendUvarint(body, uint64(len(s.data)))
		body = append(body, s.data...)
	}
	out := make([]byte, 0, len(raw)+len(body)-data.size)
	out = append(out, raw[:data.start]...)
	out = append(out, sectionData)
	out = binary.AppendUvarint(out, uint64(len(body)))
	out = append(out, body...)
	return append(out, raw[data.offset+data.size:]...), nil
}

// appendSLEB appends v as a signed LEB128 number.
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
