package emulator

import (
	"hash/crc64"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCRC64Combine checks the combined CRC-64 of parts of seeded random bytes against the
// CRC-64 of their concatenation, for part lists with empty, one-byte, equal and unequal parts.
func TestCRC64Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 17))
	cases := []struct {
		name  string
		sizes []int
	}{
		{"one part", []int{1000}},
		{"empty first part", []int{0, 5}},
		{"empty last part", []int{5, 0}},
		{"one-byte parts", []int{1, 1, 1, 1}},
		{"equal parts and a short last", []int{4096, 4096, 4096, 17}},
		{"unequal parts", []int{100<<10 + 3, 7, 100 << 10, 1<<20 + 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var whole []byte
			var crc uint64
			var c crc64Combiner
			for _, n := range tc.sizes {
				part := make([]byte, n)
				for i := range part {
					part[i] = byte(r.Uint32())
				}
				whole = append(whole, part...)
				crc = c.combine(crc, crc64.Checksum(part, crcTable), int64(n))
			}
			assert.Equal(t, crc64.Checksum(whole, crcTable), crc)
		})
	}
}
