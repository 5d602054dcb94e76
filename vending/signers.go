package vending

import (
	"sync"

	"github.com/ossign/ossign/signer"
)

// maxSigners bounds signerCache: the uploader's credentials are one set at a time, and a few
// more while a refresh overlaps requests still signing with the set it replaced.
const maxSigners = 4

// signerCache keeps a signer.Signer per set of credentials POST /sign signs with, so that the
// V4 signing key is derived once per UTC day and credentials, not per request. It is safe for
// concurrent use and holds at most maxSigners; a Signer leaves it, with the keys it derived,
// when newer credentials push it out. It never logs or returns a secret.
type signerCache struct {
	target  signer.Target
	mu      sync.Mutex
	signers *lru[cachedSigner] // by AccessKeyId
}

// cachedSigner is a Signer and the credentials it signs with.
type cachedSigner struct {
	creds  signer.Credentials
	signer *signer.Signer
}

func newSignerCache(t signer.Target) *signerCache {
	return &signerCache{target: t, signers: newLRU[cachedSigner](maxSigners)}
}

// get returns the Signer for creds, made the first time they are seen. Credentials that share
// an AccessKeyId with others but differ in anything else get a Signer of their own.
func (c *signerCache) get(creds signer.Credentials) (*signer.Signer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.signers.get(creds.AccessKeyID); ok && sameCredentials(e.creds, creds) {
		return e.signer, nil
	}
	s, err := signer.NewSigner(c.target, creds)
	if err != nil {
		return nil, err
	}
	c.signers.put(creds.AccessKeyID, cachedSigner{creds: creds, signer: s})
	return s, nil
}

// sameCredentials reports whether a and b are the same credentials (expiries compared as
// instants).
func sameCredentials(a, b signer.Credentials) bool {
	return a.AccessKeyID == b.AccessKeyID && a.AccessKeySecret == b.AccessKeySecret &&
		a.SecurityToken == b.SecurityToken && a.Expiration.Equal(b.Expiration)
}
