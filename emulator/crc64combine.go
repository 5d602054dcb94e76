package emulator

// crc64Combiner computes the CRC-64/ECMA-182 (x-oss-hash-crc64ecma: Go's crc64 with OSS's
// inversions) of A followed by B from the CRCs of A and B and B's length, without reading the
// bytes: appending n zero bytes to A is a linear map on the CRC register, a 64×64 matrix over
// GF(2) (zlib's crc32_combine, carried to 64 bits). It keeps the matrix of the last length it
// used, since the parts of an upload but the last have one size: combining 10,000 parts costs
// two matrix builds.
type crc64Combiner struct {
	n  int64
	op *gf2Matrix
}

// combine returns the CRC-64 of A‖B.
func (c *crc64Combiner) combine(crcA, crcB uint64, lenB int64) uint64 {
	if c.op == nil || c.n != lenB {
		c.n, c.op = lenB, zeroBytesOperator(lenB)
	}
	return c.op.times(crcA) ^ crcB
}

// reversedECMA is the CRC-64/ECMA-182 polynomial in reflected bit order, as hash/crc64's
// ECMA table is built from.
const reversedECMA = 0xC96C5795D7870F42

// gf2Matrix is a 64×64 matrix over GF(2): entry i is the image of bit i.
type gf2Matrix [64]uint64

// times multiplies the matrix by the vector v.
func (m *gf2Matrix) times(v uint64) uint64 {
	var sum uint64
	for i := 0; v != 0; i, v = i+1, v>>1 {
		if v&1 != 0 {
			sum ^= m[i]
		}
	}
	return sum
}

// product returns m × o (o applied first).
func (m *gf2Matrix) product(o *gf2Matrix) *gf2Matrix {
	var out gf2Matrix
	for i := range o {
		out[i] = m.times(o[i])
	}
	return &out
}

// zeroBytesOperator returns the matrix that turns the CRC register of A into that of A
// followed by n zero bytes (without the final inversion, which cancels in combine).
func zeroBytesOperator(n int64) *gf2Matrix {
	// One zero bit shifts the register right, feeding the polynomial back on a set low bit.
	var power gf2Matrix
	power[0] = reversedECMA
	for i := 1; i < 64; i++ {
		power[i] = 1 << (i - 1)
	}
	step := &power
	for range 3 { // one bit, squared three times: one byte
		step = step.product(step)
	}
	var result gf2Matrix
	for i := range result {
		result[i] = 1 << i
	}
	out := &result
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			out = step.product(out)
		}
		step = step.product(step)
	}
	return out
}
