package emulator

import (
	"crypto/hmac"
	"encoding/hex"
	"strconv"
	"time"
)

// maxV4URLLifetime is the longest a V4 signed URL may be valid: x-oss-expires ≤ 604800 (7 days).
const maxV4URLLifetime = 604800

// verifyV4Query verifies a V4 signed URL (spec §2.5) with the emulator's own implementation of
// the canonical request: the official SDK's V4 presigner cannot be given a signing time, so it
// cannot recompute a signature made in the past. The URL is valid from x-oss-date (give or
// take the allowed skew) for x-oss-expires seconds, 1 to 604800.
func (e *Emulator) verifyV4Query(c *call) (*principal, error) {
	pairs, err := decodeQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	param := func(name string) string {
		for _, p := range pairs {
			if p.name == name {
				return p.value
			}
		}
		return ""
	}
	if v := param("x-oss-signature-version"); v != v4Algorithm {
		return nil, errInvalidArgument("x-oss-signature-version must be OSS4-HMAC-SHA256.", "x-oss-signature-version", v).
			withEC("0002-00000066")
	}
	for _, name := range []string{"x-oss-credential", "x-oss-date", "x-oss-expires", "x-oss-signature"} {
		if param(name) == "" {
			return nil, errInvalidArgument("A V4 signed URL needs x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature.", name, "")
		}
	}
	scope, err := e.parseCredential(param("x-oss-credential"), "x-oss-credential")
	if err != nil {
		return nil, err
	}
	t, err := parseV4Time(param("x-oss-date"), scope, "x-oss-date")
	if err != nil {
		return nil, err
	}
	lifetime, err := strconv.Atoi(param("x-oss-expires"))
	switch {
	case err != nil:
		return nil, errInvalidArgument("x-oss-expires must be an integer number of seconds.", "x-oss-expires", param("x-oss-expires")).
			withEC("0002-00000070")
	case lifetime < 1 || lifetime > maxV4URLLifetime:
		return nil, errInvalidArgument("x-oss-expires must be from 1 to 604800 seconds (7 days).", "x-oss-expires", param("x-oss-expires")).
			withEC("0002-00000232")
	}
	if t.Sub(c.now) > maxSkew {
		return nil, c.errSkewed(t).withEC(ecV4URLNotYetValid)
	}
	if expires := t.Add(time.Duration(lifetime) * time.Second); c.now.After(expires) {
		return nil, c.errExpired(expires)
	}
	var additional []string
	if v := param("x-oss-additional-headers"); v != "" {
		if additional, err = splitAdditionalHeaders(v, "x-oss-additional-headers"); err != nil {
			return nil, err
		}
	}
	token := param("x-oss-security-token")
	if token == "" {
		token = c.r.Header.Get("x-oss-security-token")
	}
	p, secret, err := e.credentialsFor(scope.accessKeyID, token, c.now)
	if err != nil {
		return nil, err
	}
	vr := v4Request{
		method: c.r.Method, bucket: c.bucket, key: c.key, header: c.r.Header, host: c.r.Host,
		additional: additionalHeadersV4(additional, c.r.Header, c.r.Host),
	}
	for _, p := range pairs {
		if p.name != "x-oss-signature" {
			vr.query = append(vr.query, p)
		}
	}
	canonical := vr.canonicalRequest()
	stringToSign := stringToSignV4(param("x-oss-date"), scope.scope(), canonical)
	expected := hmacSHA256(signingKeyV4(secret, scope.date, scope.region, scope.product), stringToSign)
	provided, err := hex.DecodeString(param("x-oss-signature"))
	if err != nil || !hmac.Equal(expected, provided) {
		return nil, errSignatureMismatch(scope.accessKeyID, param("x-oss-signature"), stringToSign, canonical)
	}
	return p, nil
}
