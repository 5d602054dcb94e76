package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPackDataSegments(t *testing.T) {
	cases := []struct {
		name     string
		segments []dataSegment
		want     int // segments after packing
	}{
		{"runs of zeros shorter than the limit are filled", []dataSegment{
			{address: 100, data: []byte("ab")}, {address: 120, data: []byte("cd")}, {address: 122 + maxPackedGap - 1, data: []byte("e")},
		}, 1},
		{"a run of the limit or longer stays a gap", []dataSegment{
			{address: 100, data: []byte("ab")}, {address: 102 + maxPackedGap, data: []byte("cd")},
		}, 2},
		{"segments out of address order", []dataSegment{
			{address: 5000, data: []byte("late")}, {address: 100, data: []byte("early")}, {address: 110, data: []byte("next")},
		}, 2},
		{"addresses that need long encodings", []dataSegment{
			{address: 1 << 20, data: []byte{7}}, {address: 1<<20 + 9, data: []byte{8}}, {address: 1 << 27, data: []byte{9}},
		}, 2},
		{"no segments", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := testModule(c.segments...)
			before, err := parseWasm(raw)
			require.NoError(t, err)
			packed, err := packDataSegments(raw)
			require.NoError(t, err)
			after, err := parseWasm(packed)
			require.NoError(t, err)
			assert.Len(t, after.segments, c.want)
			assert.Equal(t, memoryImage(before.segments), memoryImage(after.segments), "memory starts with the same bytes")
			assert.Equal(t, before.bodies, after.bodies)
			assert.Equal(t, before.names, after.names, "the sections after the data section are kept")
		})
	}
}

func TestPackDataSegmentsRejectsOverlap(t *testing.T) {
	raw := testModule(dataSegment{address: 100, data: []byte("abcd")}, dataSegment{address: 102, data: []byte("x")})
	_, err := packDataSegments(raw)
	assert.ErrorContains(t, err, "overlapping")
}

func TestPackDataSegmentsWithoutDataSection(t *testing.T) {
	raw := []byte("\x00asm\x01\x00\x00\x00")
	packed, err := packDataSegments(raw)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(raw, packed))
}
