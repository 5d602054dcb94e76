package signer_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/ossign/ossign/signer"
)

// headerOf returns the value of the named header (case-insensitive), or "".
func headerOf(hs []signer.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
