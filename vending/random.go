package vending

import (
	"crypto/rand"
	"encoding/hex"
)

// randomHex returns n random bytes from crypto/rand in lower-case hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand aborts the program instead)
	return hex.EncodeToString(b)
}
