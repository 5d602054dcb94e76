package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// The parts of a WebAssembly binary the bundler packs and the size report reads: sections,
// function bodies, the name section's function names, and the data segments that initialise
// linear memory.
// https://webassembly.github.io/spec/core/binary/modules.html

const (
	sectionCustom = 0
	sectionImport = 2
	sectionCode   = 10
	sectionData   = 11
)

// wasmSection is one section: id, custom-section name, and its payload's place in the file.
type wasmSection struct {
	id     byte
	name   string // custom sections only
	start  int    // of the section, at its id
	offset int    // of the payload
	size   int
}

// dataSegment is an active data segment: bytes copied to memory at address.
type dataSegment struct {
	address int
	data    []byte
}

// wasmBinary is a parsed module.
type wasmBinary struct {
	sections    []wasmSection
	importedFns int            // function imports come first in the function index space
	bodies      [][]byte       // code section bodies; function index = importedFns + i
	names       map[int]string // function index → name, from the name section
	segments    []dataSegment  // in file order
}

// section returns the first section with the given id (zero if there is none).
func (w *wasmBinary) section(id byte) wasmSection {
	for _, s := range w.sections {
		if s.id == id {
			return s
		}
	}
	return wasmSection{}
}

var errTruncated = errors.New("wasm: truncated binary")

// wasmReader reads LEB128 numbers and byte strings, remembering the first error.
type wasmReader struct {
	b   []byte
	pos int
	err error
}

func (r *wasmReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.pos = len(r.b)
}

func (r *wasmReader) byte() byte {
	if r.pos >= len(r.b) {
		r.fail(errTruncated)
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}

// uleb reads an unsigned LEB128 number (the same encoding as encoding/binary's uvarint).
func (r *wasmReader) uleb() int {
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 || v > 1<<31 {
		r.fail(errTruncated)
		return 0
	}
	r.pos += n
	return int(v)
}

// sleb reads a signed LEB128 number of at most 32 bits.
func (r *wasmReader) sleb() int {
	var v int64
	for shift := 0; shift < 35; shift += 7 {
		b := r.byte()
		v |= int64(b&0x7f) << shift
		if b&0x80 == 0 {
			if b&0x40 != 0 {
				v -= 1 << (shift + 7) // sign-extend
			}
			return int(v)
		}
	}
	r.fail(errTruncated)
	return 0
}

func (r *wasmReader) bytes(n int) []byte {
	if n < 0 || r.pos+n > len(r.b) {
		r.fail(errTruncated)
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos]
}

func (r *wasmReader) name() string { return string(r.bytes(r.uleb())) }

// parseWasm reads a module; the result's byte slices point into raw.
func parseWasm(raw []byte) (*wasmBinary, error) {
	if len(raw) < 8 || string(raw[:4]) != "\x00asm" {
		return nil, errors.New("wasm: not a WebAssembly binary")
	}
	w := &wasmBinary{names: map[int]string{}}
	r := &wasmReader{b: raw, pos: 8}
	for r.pos < len(raw) && r.err == nil {
		s := wasmSection{start: r.pos}
		s.id = r.byte()
		size := r.uleb()
		s.offset = r.pos
		payload := &wasmReader{b: r.bytes(size)}
		s.size = size
		if s.id == sectionCustom {
			s.name = payload.name()
		}
		w.sections = append(w.sections, s)
		var err error
		switch {
		case s.id == sectionImport:
			err = w.readImports(payload)
		case s.id == sectionCode:
			err = w.readCode(payload)
		case s.id == sectionData:
			err = w.readData(payload)
		case s.id == sectionCustom && s.name == "name":
			err = w.readNames(payload)
		}
		if err != nil {
			return nil, fmt.Errorf("wasm section %d %s: %w", s.id, s.name, err)
		}
	}
	return w, r.err
}

func (w *wasmBinary) readImports(r *wasmReader) error {
	for range r.uleb() {
		r.name() // module
		r.name() // field
		switch kind := r.byte(); kind {
		case 0: // function: type index
			r.uleb()
			w.importedFns++
		case 1: // table: reference type, limits
			r.byte()
			readLimits(r)
		case 2: // memory: limits
			readLimits(r)
		case 3: // global: value type, mutability
			r.byte()
			r.byte()
		default:
			return fmt.Errorf("unknown import kind %d", kind)
		}
	}
	return r.err
}

func readLimits(r *wasmReader) {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

func (w *wasmBinary) readCode(r *wasmReader) error {
	n := r.uleb()
	w.bodies = make([][]byte, 0, n)
	for range n {
		w.bodies = append(w.bodies, r.bytes(r.uleb()))
	}
	return r.err
}

// readData reads active segments of memory 0 whose offset is an i32.const, all Go writes.
func (w *wasmBinary) readData(r *wasmReader) error {
	for range r.uleb() {
		if flag := r.uleb(); flag != 0 {
			return fmt.Errorf("data segment kind %d (want 0, active)", flag)
		}
		if op := r.byte(); op != 0x41 {
			return fmt.Errorf("data segment offset opcode %#x (want i32.const)", op)
		}
		address := r.sleb()
		if end := r.byte(); end != 0x0b {
			return fmt.Errorf("data segment offset expression not ended (%#x)", end)
		}
		w.segments = append(w.segments, dataSegment{address: address, data: r.bytes(r.uleb())})
	}
	return r.err
}

// readNames reads the function-names subsection (id 1) of the name section.
func (w *wasmBinary) readNames(r *wasmReader) error {
	for r.pos < len(r.b) && r.err == nil {
		id := r.byte()
		sub := &wasmReader{b: r.bytes(r.uleb())}
		if id != 1 {
			continue
		}
		for range sub.uleb() {
			idx := sub.uleb()
			w.names[idx] = sub.name()
		}
		if sub.err != nil {
			return sub.err
		}
	}
	return r.err
}

// withoutCustomSection returns raw without the named custom section: the stripped module.
func withoutCustomSection(raw []byte, mod *wasmBinary, name string) []byte {
	for _, s := range mod.sections {
		if s.id == sectionCustom && s.name == name {
			return append(slices.Clip(raw[:s.start]), raw[s.offset+s.size:]...)
		}
	}
	return raw
}

// memoryImage lays the data segments out as the module's initial linear memory.
func memoryImage(segments []dataSegment) []byte {
	end := 0
	for _, s := range segments {
		end = max(end, s.address+len(s.data))
	}
	mem := make([]byte, end)
	for _, s := range segments {
		copy(mem[s.address:], s.data)
	}
	return mem
}
