package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"sync"
)

func hmacSHA256(key []byte, msg []byte) (out [sha256.Size]byte) {
	hmacSum(out[:0], sha256.New, key, msg)
	return out
}

// signatureV1 is V1's signature: Base64(HMAC-SHA1(secret, msg)).
func signatureV1(secret string, msg []byte) string {
	var mac [sha1.Size]byte
	hmacSum(mac[:0], sha1.New, []byte(secret), msg)
	var sig [(sha1.Size + 2) / 3 * 4]byte
	base64.StdEncoding.Encode(sig[:], mac[:])
	return string(sig[:])
}

// hmacSum appends HMAC(key, msg) to dst, which must have the capacity for it.
func hmacSum(dst []byte, h func() hash.Hash, key, msg []byte) {
	m := hmac.New(h, key)
	m.Write(msg)
	m.Sum(dst)
}

// v4SigningKey derives kSigning of §2.3:
//
//	kDate    = HMAC-SHA256("aliyun_v4" + secret, date)
//	kRegion  = HMAC-SHA256(kDate, region)
//	kProduct = HMAC-SHA256(kRegion, product)
//	kSigning = HMAC-SHA256(kProduct, "aliyun_v4_request")
//
// Derivation costs four HMACs, so recent keys are remembered per (secret, date, region,
// product); a key is valid for one UTC day.
func v4SigningKey(secret, date, region, product string) [sha256.Size]byte {
	v4Keys.Lock()
	defer v4Keys.Unlock()
	for i := range v4Keys.entries {
		e := &v4Keys.entries[i]
		if e.secret == secret && e.date == date && e.region == region && e.product == product {
			return e.key
		}
	}
	k := hmacSHA256(append([]byte("aliyun_v4"), secret...), []byte(date))
	k = hmacSHA256(k[:], []byte(region))
	k = hmacSHA256(k[:], []byte(product))
	k = hmacSHA256(k[:], []byte("aliyun_v4_request"))
	v4Keys.entries[v4Keys.next] = v4KeyEntry{secret: secret, date: date, region: region, product: product, key: k}
	v4Keys.next = (v4Keys.next + 1) % len(v4Keys.entries)
	return k
}

type v4KeyEntry struct {
	secret, date, region, product string
	key                           [sha256.Size]byte
}

var v4Keys struct {
	sync.Mutex
	entries [8]v4KeyEntry
	next    int
}
