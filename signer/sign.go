package signer

import "time"

// Presigned is a signed URL and what its user must know.
type Presigned struct {
	// Method is the HTTP method the URL was signed for.
	Method string
	// URL is the complete signed URL.
	URL string
	// Headers must be sent with the URL exactly as listed (Content-Type, Content-MD5, x-oss-*
	// and V4 additional headers are part of the signature; a differing value fails with
	// SignatureDoesNotMatch).
	Headers []Header
	// Expiration is when the URL stops working: the requested expiry, or the credentials'
	// expiry when that comes first.
	Expiration time.Time
	// Clamped is true when Expiration was shortened to the credentials' expiry.
	Clamped bool
	// Explanation holds the intermediate strings, for debugging.
	Explanation Explanation
}

// SignedRequest is a request signed with an Authorization header.
type SignedRequest struct {
	// Method is the HTTP method.
	Method string
	// URL is the request URL (no signature in it).
	URL string
	// Headers are every header to send: the request's own, the ones the signer added
	// (x-oss-date, x-oss-security-token, x-oss-content-sha256) and Authorization.
	Headers []Header
	// Explanation holds the intermediate strings, for debugging.
	Explanation Explanation
}

// Explanation shows how a signature was computed: compare it with the StringToSign and
// CanonicalRequest of an OSS SignatureDoesNotMatch error (see [Diagnose]).
type Explanation struct {
	Version Version
	// CanonicalRequest is the V4 canonical request (empty for V1).
	CanonicalRequest string
	// StringToSign is the string the HMAC was computed over.
	StringToSign string
	// Signature is the resulting signature (Base64 for V1, hex for V4).
	Signature string
}

// Presign returns a presigned URL for r, signed at now with c (§1.5 for V1, §2.5 for V4). To
// sign many requests with the same credentials, a [Signer] does the shared work once.
func Presign(t Target, c Credentials, r Request, now time.Time) (Presigned, error) {
	s, err := NewSigner(t, c)
	if err != nil {
		return Presigned{}, err
	}
	return s.Presign(r, now)
}

// SignHeaders signs r with an Authorization header at now (§1.4 for V1, §2.4 for V4). OSS
// accepts the request within 15 minutes of now.
func SignHeaders(t Target, c Credentials, r Request, now time.Time) (SignedRequest, error) {
	s, err := NewSigner(t, c)
	if err != nil {
		return SignedRequest{}, err
	}
	return s.SignHeaders(r, now)
}

// presignLifetime turns the requested validity into whole seconds after now, shortened to the
// credentials' remaining life.
func presignLifetime(v Version, requested time.Duration, c *Credentials, now time.Time) (seconds int64, clamped bool, err error) {
	if requested == 0 {
		requested = defaultExpires
	}
	limit, limitText := maxExpiresV1, "a century"
	if v == V4 {
		limit, limitText = maxExpiresV4, "7 days (604800 s), the V4 maximum"
	}
	if requested < time.Second || requested > limit {
		return 0, false, newError(CodeInvalidExpiry, "invalid expiry ", formatDuration(requested), ": must be between 1 s and ", limitText)
	}
	seconds = int64(requested / time.Second)
	if !c.Expiration.IsZero() {
		if left := c.Expiration.Unix() - now.Unix(); left < seconds {
			if left < 1 {
				return 0, false, newError(CodeExpiredCredentials, "the credentials expire at ", formatRFC3339(c.Expiration),
					", within a second of the signing time: fetch new ones before signing")
			}
			return left, true, nil
		}
	}
	return seconds, false, nil
}

// itoa writes n in decimal.
func itoa(n int64) string {
	var b [20]byte
	return string(appendInt(b[:0], n))
}

// appendInt appends n in decimal.
func appendInt(dst []byte, n int64) []byte {
	var b [20]byte
	i := len(b)
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	for {
		i--
		b[i] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	if n < 0 {
		i--
		b[i] = '-'
	}
	return append(dst, b[i:]...)
}
