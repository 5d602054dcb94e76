package signer

import "testing"

// BenchmarkSHA256Block is the pure-Go SHA-256 of the wasm build (digest.go), 1 KiB per call.
func BenchmarkSHA256Block(b *testing.B) {
	msg := make([]byte, 16*blockSize)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		h := sha256Init
		sha256Block(&h, msg)
	}
}
