package vending

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
)

// sealVersion is the first byte of a sealed entry: the format below.
const sealVersion = 1

// errUnsealable is an entry that cannot be opened: another cache key, a swapped or altered
// value, or another format.
var errUnsealable = errors.New("the Redis entry cannot be opened: written with another cache key, moved from another key, or altered")

// sealer keeps what ossign writes to Redis unreadable to whoever reads Redis (a dump, a
// replica, a snooping client), with two keys derived from Config.CacheKey:
//   - name turns ossign's keys (a user id, a session policy, a client IP) into Redis key
//     names that reveal none of them (HMAC-SHA256);
//   - seal encrypts a credentials entry (AES-256-GCM) with its Redis key name as additional
//     data, so an entry copied under another key (another user's) does not open.
//
// A sealed entry is sealVersion, a 12-byte random nonce, and the ciphertext of the entry's
// JSON with its 16-byte tag.
type sealer struct {
	aead  cipher.AEAD
	names []byte
}

// newSealer derives the sealer's keys from cacheKey (CacheKeySize bytes).
func newSealer(cacheKey []byte) (*sealer, error) {
	encryption, err := hkdf.Key(sha256.New, cacheKey, nil, "ossign vending: credentials in Redis, AES-256-GCM", 32)
	if err != nil {
		return nil, err
	}
	names, err := hkdf.Key(sha256.New, cacheKey, nil, "ossign vending: Redis key names, HMAC-SHA256", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encryption)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, names: names}, nil
}

// name returns the Redis key of id in kind's namespace ("creds", "lock", "ip", …):
// "ossign:<kind>:" and 128 bits of HMAC in hex.
func (s *sealer) name(kind, id string) string {
	mac := hmac.New(sha256.New, s.names)
	mac.Write([]byte(kind + "\n" + id))
	return "ossign:" + kind + ":" + hex.EncodeToString(mac.Sum(nil)[:16])
}

// seal encrypts entry for the Redis key name.
func (s *sealer) seal(name string, entry storedCredentials) []byte {
	plain, err := json.Marshal(entry)
	if err != nil {
		panic("vending: storedCredentials does not marshal: " + err.Error()) // plain strings, ints and times always do
	}
	out := append([]byte{sealVersion}, randomBytes(s.aead.NonceSize())...)
	return s.aead.Seal(out, out[1:], plain, []byte(name))
}

// open decrypts what seal wrote for the Redis key name.
func (s *sealer) open(name string, sealed []byte) (storedCredentials, error) {
	var entry storedCredentials
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return entry, errUnsealable
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(name))
	if err != nil {
		return entry, errUnsealable
	}
	if err := json.Unmarshal(plain, &entry); err != nil {
		return entry, errUnsealable
	}
	return entry, nil
}
