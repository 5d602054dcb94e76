package signer

import "math/bits"

// Pure-Go SHA-256, SHA-1 and HMAC for the WebAssembly build (digest_wasm.go): crypto/sha256
// and crypto/hmac link the FIPS 140 module (AES, SHA-3, SHA-512, a DRBG, os …), about 60 KB
// of brotli in every page's download; these are ~150 lines, and a keyed HMAC is a plain value
// whose copy is the reset. Native builds use crypto/* (digest_std.go, hardware SHA); tests
// check both agree.

const (
	sha256Size = 32
	sha1Size   = 20
	blockSize  = 64
)

// digest is a Merkle–Damgård hash (SHA-256 or SHA-1): chaining state, buffering, padding and
// length. It is a plain value, so copying it forks the hash; no method takes it through an
// interface or a type parameter, so nothing escapes to the heap.
type digest struct {
	h    [8]uint32 // SHA-1 uses the first 5 words
	sha1 bool
	buf  [blockSize]byte
	nbuf int
	size uint64
}

func newSHA256() digest { return digest{h: sha256Init} }

func newSHA1() digest {
	d := digest{sha1: true}
	copy(d.h[:], sha1Init[:])
	return d
}

func (d *digest) block(p []byte) {
	if d.sha1 {
		sha1Block((*[5]uint32)(d.h[:5]), p)
	} else {
		sha256Block(&d.h, p)
	}
}

func (d *digest) write(p []byte) {
	d.size += uint64(len(p))
	if d.nbuf > 0 {
		n := copy(d.buf[d.nbuf:], p)
		d.nbuf += n
		p = p[n:]
		if d.nbuf < blockSize {
			return
		}
		d.block(d.buf[:])
		d.nbuf = 0
	}
	if n := len(p) &^ (blockSize - 1); n > 0 {
		d.block(p[:n])
		p = p[n:]
	}
	d.nbuf = copy(d.buf[:], p)
}

// sum appends the digest to dst; d is a copy, so the caller's digest goes on unchanged.
func (d digest) sum(dst []byte) []byte {
	var pad [blockSize + 8]byte
	pad[0] = 0x80
	n := (55 - d.size) % blockSize // zero bytes so that size+1+n ≡ 56 (mod 64)
	bitLen := d.size << 3
	for i := range 8 {
		pad[1+n+uint64(i)] = byte(bitLen >> (56 - 8*i))
	}
	d.write(pad[:1+n+8])
	if d.sha1 {
		return appendBigEndian32(dst, d.h[:5])
	}
	return appendBigEndian32(dst, d.h[:])
}

var sha256Init = [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}

var sha256K = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

// sha256Block is FIPS 180-4 §6.2.2, written for the wasm build, where it is most of a
// signature's cost: the message schedule is a window of 16 words in local variables (W[t]
// replaces W[t-16] in place), and 16 rounds run per loop iteration with the working variables
// renamed instead of shifted. Compiled to wasm this runs ~1.5× faster than a loop over one
// round with W in an array.
func sha256Block(h *[8]uint32, p []byte) {
	for ; len(p) >= blockSize; p = p[blockSize:] {
		w0, w1, w2, w3 := bigEndian32(p[0:]), bigEndian32(p[4:]), bigEndian32(p[8:]), bigEndian32(p[12:])
		w4, w5, w6, w7 := bigEndian32(p[16:]), bigEndian32(p[20:]), bigEndian32(p[24:]), bigEndian32(p[28:])
		w8, w9, w10, w11 := bigEndian32(p[32:]), bigEndian32(p[36:]), bigEndian32(p[40:]), bigEndian32(p[44:])
		w12, w13, w14, w15 := bigEndian32(p[48:]), bigEndian32(p[52:]), bigEndian32(p[56:]), bigEndian32(p[60:])
		a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
		for t := 0; t < 64; t += 16 {
			if t > 0 { // W[t+i] = σ1(W[t+i-2]) + W[t+i-7] + σ0(W[t+i-15]) + W[t+i-16]
				w0 += sha256Sigma0(w1) + w9 + sha256Sigma1(w14)
				w1 += sha256Sigma0(w2) + w10 + sha256Sigma1(w15)
				w2 += sha256Sigma0(w3) + w11 + sha256Sigma1(w0)
				w3 += sha256Sigma0(w4) + w12 + sha256Sigma1(w1)
				w4 += sha256Sigma0(w5) + w13 + sha256Sigma1(w2)
				w5 += sha256Sigma0(w6) + w14 + sha256Sigma1(w3)
				w6 += sha256Sigma0(w7) + w15 + sha256Sigma1(w4)
				w7 += sha256Sigma0(w8) + w0 + sha256Sigma1(w5)
				w8 += sha256Sigma0(w9) + w1 + sha256Sigma1(w6)
				w9 += sha256Sigma0(w10) + w2 + sha256Sigma1(w7)
				w10 += sha256Sigma0(w11) + w3 + sha256Sigma1(w8)
				w11 += sha256Sigma0(w12) + w4 + sha256Sigma1(w9)
				w12 += sha256Sigma0(w13) + w5 + sha256Sigma1(w10)
				w13 += sha256Sigma0(w14) + w6 + sha256Sigma1(w11)
				w14 += sha256Sigma0(w15) + w7 + sha256Sigma1(w12)
				w15 += sha256Sigma0(w0) + w8 + sha256Sigma1(w13)
			}
			k := sha256K[t : t+16 : t+16]
			d, hh = sha256Round(a, b, c, d, e, f, g, hh, k[0]+w0)
			c, g = sha256Round(hh, a, b, c, d, e, f, g, k[1]+w1)
			b, f = sha256Round(g, hh, a, b, c, d, e, f, k[2]+w2)
			a, e = sha256Round(f, g, hh, a, b, c, d, e, k[3]+w3)
			hh, d = sha256Round(e, f, g, hh, a, b, c, d, k[4]+w4)
			g, c = sha256Round(d, e, f, g, hh, a, b, c, k[5]+w5)
			f, b = sha256Round(c, d, e, f, g, hh, a, b, k[6]+w6)
			e, a = sha256Round(b, c, d, e, f, g, hh, a, k[7]+w7)
			d, hh = sha256Round(a, b, c, d, e, f, g, hh, k[8]+w8)
			c, g = sha256Round(hh, a, b, c, d, e, f, g, k[9]+w9)
			b, f = sha256Round(g, hh, a, b, c, d, e, f, k[10]+w10)
			a, e = sha256Round(f, g, hh, a, b, c, d, e, k[11]+w11)
			hh, d = sha256Round(e, f, g, hh, a, b, c, d, k[12]+w12)
			g, c = sha256Round(d, e, f, g, hh, a, b, c, k[13]+w13)
			f, b = sha256Round(c, d, e, f, g, hh, a, b, k[14]+w14)
			e, a = sha256Round(b, c, d, e, f, g, hh, a, k[15]+w15)
		}
		h[0], h[1], h[2], h[3] = h[0]+a, h[1]+b, h[2]+c, h[3]+d
		h[4], h[5], h[6], h[7] = h[4]+e, h[5]+f, h[6]+g, h[7]+hh
	}
}

// sha256Round is one round on the working variables a…h with K[t]+W[t] = kw; it returns the
// new d and h (the other six only move one place, which the caller does by renaming).
func sha256Round(a, b, c, d, e, f, g, h, kw uint32) (uint32, uint32) {
	t1 := h + (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) + (e&f ^ ^e&g) + kw
	t2 := (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) + (a&b ^ a&c ^ b&c)
	return d + t1, t1 + t2
}

// sha256Sigma0 and sha256Sigma1 are σ0 and σ1 of the message schedule.
func sha256Sigma0(x uint32) uint32 {
	return bits.RotateLeft32(x, -7) ^ bits.RotateLeft32(x, -18) ^ x>>3
}

func sha256Sigma1(x uint32) uint32 {
	return bits.RotateLeft32(x, -17) ^ bits.RotateLeft32(x, -19) ^ x>>10
}

var sha1Init = [5]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}

// sha1Block is FIPS 180-4 §6.1.2.
func sha1Block(h *[5]uint32, p []byte) {
	var w [80]uint32
	for ; len(p) >= blockSize; p = p[blockSize:] {
		for i := range 16 {
			w[i] = bigEndian32(p[4*i:])
		}
		for i := 16; i < 80; i++ {
			w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
		}
		a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
		for i := range 80 {
			var f, k uint32
			switch {
			case i < 20:
				f, k = b&c|^b&d, 0x5a827999
			case i < 40:
				f, k = b^c^d, 0x6ed9eba1
			case i < 60:
				f, k = b&c|b&d|c&d, 0x8f1bbcdc
			default:
				f, k = b^c^d, 0xca62c1d6
			}
			a, b, c, d, e = bits.RotateLeft32(a, 5)+f+e+k+w[i], a, bits.RotateLeft32(b, 30), c, d
		}
		h[0], h[1], h[2], h[3], h[4] = h[0]+a, h[1]+b, h[2]+c, h[3]+d, h[4]+e
	}
}

func bigEndian32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func appendBigEndian32(dst []byte, words []uint32) []byte {
	for _, v := range words {
		dst = append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return dst
}

// hmacKey is an HMAC (RFC 2104) keyed once: the inner and outer digests have absorbed the
// padded key, so each MAC costs only the message and one outer block.
type hmacKey struct {
	inner, outer digest
}

// newHMACKey keys an HMAC over the hash that fresh returns new digests of.
func newHMACKey(fresh func() digest, key []byte) hmacKey {
	if len(key) > blockSize {
		d := fresh()
		d.write(key)
		key = d.sum(nil)
	}
	var pad [blockSize]byte
	copy(pad[:], key)
	k := hmacKey{inner: fresh(), outer: fresh()}
	for i := range pad {
		pad[i] ^= 0x36
	}
	k.inner.write(pad[:])
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	k.outer.write(pad[:])
	return k
}

// sum appends HMAC(key, msg) to dst. k is not changed, so one key serves any number of calls.
func (k *hmacKey) sum(dst, msg []byte) []byte {
	inner := k.inner
	inner.write(msg)
	var ib [sha256Size]byte
	outer := k.outer
	outer.write(inner.sum(ib[:0]))
	return outer.sum(dst)
}
