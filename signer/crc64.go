package signer

import (
	"hash/crc64"
	"sync"
)

// OSS reports the CRC-64 of what it stores in x-oss-hash-crc64ecma (decimal): CRC-64/XZ, the
// ECMA-182 polynomial in reflected form with the initial and final inversion that Go's
// hash/crc64 applies. These helpers let a client check an upload against that header, and
// combine the CRCs of multipart parts into the object's without reading the bytes again.

// ecmaReflected is the ECMA-182 polynomial, bit-reversed as hash/crc64 uses it.
const ecmaReflected = 0xC96C5795D7870F42

// UpdateCRC64 returns the CRC-64 (as x-oss-hash-crc64ecma) of the bytes whose CRC is crc
// followed by p; start from 0.
func UpdateCRC64(crc uint64, p []byte) uint64 {
	return crc64.Update(crc, crc64.MakeTable(crc64.ECMA), p)
}

// CombineCRC64 returns the CRC-64 of A followed by B from crcA, crcB and the length of B, as
// zlib's crc64_combine does: crcA is advanced over lenB zero bytes, then crcB is added. The
// operator for lenB zero bytes takes O(log lenB) matrix squarings to build; the last one built
// is kept, so that combining many parts of one size costs one matrix-vector product each.
func CombineCRC64(crcA, crcB uint64, lenB int64) uint64 {
	if lenB <= 0 {
		return crcA
	}
	op := zeroBytesOperator(lenB)
	return op.times(crcA) ^ crcB
}

// lastOperator caches the last operator zeroBytesOperator built.
var lastOperator struct {
	sync.Mutex
	n  int64
	op gf2Matrix
}

// zeroBytesOperator returns the matrix that advances a CRC over n zero bytes.
func zeroBytesOperator(n int64) gf2Matrix {
	lastOperator.Lock()
	defer lastOperator.Unlock()
	if lastOperator.n == n {
		return lastOperator.op
	}
	// power is the operator for one zero bit, squared up to one zero byte, then squared again
	// for each further bit of n; result collects the powers where n has a 1 bit.
	var power, result gf2Matrix
	power[0] = ecmaReflected
	for i := 1; i < 64; i++ {
		power[i] = 1 << (i - 1)
		result[i] = 1 << i
	}
	result[0] = 1
	for range 3 {
		power = power.compose(&power)
	}
	for bits := n; bits > 0; bits >>= 1 {
		if bits&1 != 0 {
			result = power.compose(&result)
		}
		power = power.compose(&power)
	}
	lastOperator.n, lastOperator.op = n, result
	return result
}

// gf2Matrix is a 64×64 bit matrix over GF(2); row n is the image of bit n.
type gf2Matrix [64]uint64

// times returns the matrix applied to vec.
func (m *gf2Matrix) times(vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= m[i]
		}
	}
	return sum
}

// compose returns the matrix that applies b, then m.
func (m *gf2Matrix) compose(b *gf2Matrix) gf2Matrix {
	var out gf2Matrix
	for n := range b {
		out[n] = m.times(b[n])
	}
	return out
}
