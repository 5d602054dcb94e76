//go:build !(js && wasm)

package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
)

// Native builds hash with crypto/*, which uses the CPU's SHA instructions.

func sum256(b []byte) [sha256Size]byte { return sha256.Sum256(b) }

func hmacSHA1(dst, key, msg []byte) []byte {
	m := hmac.New(sha1.New, key)
	m.Write(msg)
	return m.Sum(dst)
}

// keyedSHA256 is an HMAC-SHA256 keyed once. It is stateful: callers serialize its use.
type keyedSHA256 struct{ mac hash.Hash }

func newKeyedSHA256(key []byte) keyedSHA256 { return keyedSHA256{hmac.New(sha256.New, key)} }

func (k *keyedSHA256) sum(dst, msg []byte) []byte {
	k.mac.Reset()
	k.mac.Write(msg)
	return k.mac.Sum(dst)
}
