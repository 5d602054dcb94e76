package vending

import (
	"crypto/sha256"
	"encoding/hex"
)

const (
	// sessionNamePrefix starts every RoleSessionName, so ActionTrail shows which sessions
	// this server created.
	sessionNamePrefix = "ossign-"
	// maxSessionName is the longest RoleSessionName STS accepts.
	maxSessionName = 64
	// sessionHashChars is how much of a hash replaces the end of a name that is too long.
	sessionHashChars = 12
)

// roleSessionName returns the RoleSessionName for subject: "ossign-" + subject, with every
// character outside [A-Za-z0-9.@_-] replaced by "_", and, past 64 characters, cut and ended
// with a hash of the whole subject, so that distinct subjects keep distinct names in audit
// logs.
func roleSessionName(subject string) string {
	name := []byte(sessionNamePrefix + subject)
	for i, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '@' || c == '_' || c == '-') {
			name[i] = '_'
		}
	}
	if len(name) <= maxSessionName {
		return string(name)
	}
	sum := sha256.Sum256([]byte(subject))
	keep := maxSessionName - sessionHashChars - 1
	return string(name[:keep]) + "-" + hex.EncodeToString(sum[:])[:sessionHashChars]
}
