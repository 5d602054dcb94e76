package signer

import (
	"hash/crc64"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCRC64 checks UpdateCRC64 against OSS's published check value of CRC-64/XZ and in pieces,
// and CombineCRC64 against the CRC of the concatenation for seeded random splits, including
// empty halves and lengths crossing powers of two.
func TestCRC64(t *testing.T) {
	// CRC-64/XZ check value (the CRC of "123456789"), as OSS computes x-oss-hash-crc64ecma.
	assert.Equal(t, uint64(0x995DC9BBDF1939FA), UpdateCRC64(0, []byte("123456789")))
	assert.Equal(t, UpdateCRC64(0, []byte("123456789")), UpdateCRC64(UpdateCRC64(0, []byte("1234")), []byte("56789")))

	rng := rand.New(rand.NewPCG(8, 64))
	table := crc64.MakeTable(crc64.ECMA)
	lengths := []int{0, 1, 7, 8, 9, 63, 64, 65, 255, 256, 1000, 4096, 100 << 10}
	for i, lenA := range lengths {
		for j, lenB := range lengths {
			a, b := make([]byte, lenA), make([]byte, lenB)
			for k := range a {
				a[k] = byte(rng.Uint32())
			}
			for k := range b {
				b[k] = byte(rng.Uint32())
			}
			whole := crc64.Checksum(append(append([]byte{}, a...), b...), table)
			got := CombineCRC64(crc64.Checksum(a, table), crc64.Checksum(b, table), int64(lenB))
			assert.Equal(t, strconv.FormatUint(whole, 10), strconv.FormatUint(got, 10), "case %d/%d: %d + %d bytes", i, j, lenA, lenB)
		}
	}
}

func BenchmarkCRC64(b *testing.B) {
	data := make([]byte, 1<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		UpdateCRC64(0, data)
	}
}

// BenchmarkCombineCRC64 combines parts of one size (the operator is built once) and of a new
// size each time.
func BenchmarkCombineCRC64(b *testing.B) {
	b.Run("same-size", func(b *testing.B) {
		for b.Loop() {
			CombineCRC64(1, 2, 8<<20)
		}
	})
	b.Run("new-size", func(b *testing.B) {
		n := int64(8 << 20)
		for b.Loop() {
			n++
			CombineCRC64(1, 2, n)
		}
	})
}
