package signer

import "hash/crc64"

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
// zlib's crc64_combine does: crcA is advanced over lenB zero bytes by squaring the one-zero-bit
// operator, which takes O(log lenB) steps.
func CombineCRC64(crcA, crcB uint64, lenB int64) uint64 {
	if lenB <= 0 {
		return crcA
	}
	// odd, then even, hold the operator for 1, 2, 4, … zero bits, as 64×64 matrices over GF(2).
	var odd, even gf2Matrix
	odd[0] = ecmaReflected
	for n, row := 1, uint64(1); n < 64; n, row = n+1, row<<1 {
		odd[n] = row
	}
	even.square(&odd) // two zero bits
	odd.square(&even) // four zero bits
	// Each loop step squares the operator to the next power of two (one byte, two bytes, …)
	// and applies it where lenB has a 1 bit.
	for {
		even.square(&odd)
		if lenB&1 != 0 {
			crcA = even.times(crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		odd.square(&even)
		if lenB&1 != 0 {
			crcA = odd.times(crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
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

// square sets m to a×a.
func (m *gf2Matrix) square(a *gf2Matrix) {
	for n := range a {
		m[n] = a.times(a[n])
	}
}
