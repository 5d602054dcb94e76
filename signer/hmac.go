package signer

func hmacSHA256(key []byte, msg []byte) (out [sha256Size]byte) {
	k := newKeyedSHA256(key)
	k.sum(out[:0], msg)
	return out
}

// signatureV1 is V1's signature: Base64(HMAC-SHA1(secret, msg)), with key keyed by the secret.
func signatureV1(key *keyedSHA1, msg []byte) string {
	var mac [sha1Size]byte
	key.sum(mac[:0], msg)
	var sig [(sha1Size + 2) / 3 * 4]byte
	return string(appendBase64(sig[:0], mac[:]))
}

// signingKeyV4 derives kSigning, the key of §2.3:
//
//	kDate    = HMAC-SHA256("aliyun_v4" + secret, date)
//	kRegion  = HMAC-SHA256(kDate, region)
//	kProduct = HMAC-SHA256(kRegion, product)
//	kSigning = HMAC-SHA256(kProduct, "aliyun_v4_request")
//
// A Signer derives it once per UTC day (v4Day).
func signingKeyV4(secret, date, region, product string) []byte {
	k := hmacSHA256(append([]byte("aliyun_v4"), secret...), []byte(date))
	k = hmacSHA256(k[:], []byte(region))
	k = hmacSHA256(k[:], []byte(product))
	k = hmacSHA256(k[:], []byte(v4Terminator))
	return k[:]
}
