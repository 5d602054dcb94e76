//go:build !(js && wasm)

package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
)

// Native builds hash with crypto/*, which uses the CPU's SHA instructions.

func sum256(b []byte) [sha256Size]byte { return sha256.Sum256(b) }

// keyedSHA1 is an HMAC-SHA1 key, immutable as keyedSHA256.
type keyedSHA1 struct{ key []byte }

func newKeyedSHA1(key []byte) keyedSHA1 { return keyedSHA1{append([]byte(nil), key...)} }

func (k *keyedSHA1) sum(dst, msg []byte) []byte {
	m := hmac.New(sha1.New, k.key)
	m.Write(msg)
	return m.Sum(dst)
}

// keyedSHA256 is an HMAC-SHA256 key, with a prefix of the message it has absorbed. It is
// immutable, so goroutines share it; each sum keys a fresh crypto/hmac, which the SHA
// instructions make cheap.
type keyedSHA256 struct{ key, prefix []byte }

func newKeyedSHA256(key []byte) keyedSHA256 { return keyedSHA256{key: append([]byte(nil), key...)} }

func (k *keyedSHA256) sum(dst, msg []byte) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write(k.prefix)
	m.Write(msg)
	return m.Sum(dst)
}

// absorbed returns k having absorbed prefix: its sum(msg) is k's sum(prefix + msg).
func (k *keyedSHA256) absorbed(prefix []byte) keyedSHA256 {
	return keyedSHA256{key: k.key, prefix: append(append([]byte(nil), k.prefix...), prefix...)}
}
