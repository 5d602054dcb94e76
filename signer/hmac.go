package signer

import "sync"

func hmacSHA256(key []byte, msg []byte) (out [sha256Size]byte) {
	k := newKeyedSHA256(key)
	k.sum(out[:0], msg)
	return out
}

// signatureV1 is V1's signature: Base64(HMAC-SHA1(secret, msg)).
func signatureV1(secret string, msg []byte) string {
	var mac [sha1Size]byte
	hmacSHA1(mac[:0], []byte(secret), msg)
	var sig [(sha1Size + 2) / 3 * 4]byte
	return string(appendBase64(sig[:0], mac[:]))
}

// v4Signature returns HMAC-SHA256(kSigning, msg), kSigning being the key of §2.3:
//
//	kDate    = HMAC-SHA256("aliyun_v4" + secret, date)
//	kRegion  = HMAC-SHA256(kDate, region)
//	kProduct = HMAC-SHA256(kRegion, product)
//	kSigning = HMAC-SHA256(kProduct, "aliyun_v4_request")
//
// Deriving the key costs four HMACs and keying an HMAC two more hash blocks, so the keyed HMAC
// of recent (secret, date, region, product) tuples is kept; a signing key lives one UTC day.
func v4Signature(secret, date, region, product string, msg []byte) (out [sha256Size]byte) {
	v4Keys.Lock()
	defer v4Keys.Unlock()
	v4Keys.lookup(secret, date, region, product).sum(out[:0], msg)
	return out
}

type v4KeyEntry struct {
	secret, date, region, product string
	mac                           keyedSHA256 // keyed with kSigning
}

// v4KeyCache is a small round-robin cache; a page signs with one or two credentials at a time.
type v4KeyCache struct {
	sync.Mutex
	entries [8]v4KeyEntry
	next    int
}

var v4Keys v4KeyCache

func (c *v4KeyCache) lookup(secret, date, region, product string) *keyedSHA256 {
	for i := range c.entries {
		e := &c.entries[i]
		if e.secret != "" && e.secret == secret && e.date == date && e.region == region && e.product == product {
			return &e.mac
		}
	}
	k := hmacSHA256(append([]byte("aliyun_v4"), secret...), []byte(date))
	k = hmacSHA256(k[:], []byte(region))
	k = hmacSHA256(k[:], []byte(product))
	k = hmacSHA256(k[:], []byte(v4Terminator))
	e := &c.entries[c.next]
	*e = v4KeyEntry{secret: secret, date: date, region: region, product: product, mac: newKeyedSHA256(k[:])}
	c.next = (c.next + 1) % len(c.entries)
	return &e.mac
}
