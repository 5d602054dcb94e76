package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The pure-Go digests the WebAssembly build uses must equal crypto/*: every length across the
// block and padding boundaries, keys shorter and longer than a block, data written in pieces.
func TestDigestsMatchCrypto(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for n := 0; n < 300; n++ {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(r.Uint32())
		}
		want256 := sha256.Sum256(msg)
		d := newSHA256()
		cut := r.IntN(n + 1)
		d.write(msg[:cut])
		d.write(msg[cut:])
		assert.Equal(t, want256[:], d.sum(nil), "sha256 of %d bytes (split at %d)", n, cut)

		want1 := sha1.Sum(msg)
		d1 := newSHA1()
		d1.write(msg)
		assert.Equal(t, want1[:], d1.sum(nil), "sha1 of %d bytes", n)

		key := msg[:r.IntN(n+1)]
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		k := newHMACKey(newSHA256, key)
		assert.Equal(t, m.Sum(nil), k.sum(nil, msg), "hmac-sha256, %d-byte key", len(key))
		assert.Equal(t, m.Sum(nil), k.sum(nil, msg), "a key serves twice")

		m1 := hmac.New(sha1.New, key)
		m1.Write(msg)
		k1 := newHMACKey(newSHA1, key)
		assert.Equal(t, m1.Sum(nil), k1.sum(nil, msg), "hmac-sha1, %d-byte key", len(key))
	}
}
