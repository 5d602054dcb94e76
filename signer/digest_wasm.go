//go:build js && wasm

package signer

// The WebAssembly build hashes with digest.go instead of crypto/*, to keep the FIPS module out
// of the download.

func sum256(b []byte) (out [sha256Size]byte) {
	d := newSHA256()
	d.write(b)
	d.sum(out[:0])
	return out
}

// keyedSHA1 is an HMAC-SHA1 keyed once; sum leaves it unchanged.
type keyedSHA1 struct{ k hmacKey }

func newKeyedSHA1(key []byte) keyedSHA1 { return keyedSHA1{newHMACKey(newSHA1, key)} }

func (k *keyedSHA1) sum(dst, msg []byte) []byte { return k.k.sum(dst, msg) }

// keyedSHA256 is an HMAC-SHA256 keyed once. sum leaves it unchanged, so goroutines share it.
type keyedSHA256 struct{ k hmacKey }

func newKeyedSHA256(key []byte) keyedSHA256 { return keyedSHA256{newHMACKey(newSHA256, key)} }

func (k *keyedSHA256) sum(dst, msg []byte) []byte { return k.k.sum(dst, msg) }

// absorbed returns k having absorbed prefix: its sum(msg) is k's sum(prefix + msg).
func (k *keyedSHA256) absorbed(prefix []byte) keyedSHA256 {
	out := *k
	out.k.inner.write(prefix)
	return out
}
