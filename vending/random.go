package vending

import (
	"crypto/rand"
	"encoding/hex"
)

// randomBytes returns n random bytes from crypto/rand.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand aborts the program instead)
	return b
}

// randomHex returns n random bytes from crypto/rand in lower-case hex.
func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }
