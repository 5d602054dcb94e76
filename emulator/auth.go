package emulator

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's signing time may be from the emulator's clock
// (MaxAllowedSkewMilliseconds 900000).
const maxSkew = 15 * time.Minute

// v4TimeFormat is the V4 timestamp format (x-oss-date).
const v4TimeFormat = "20060102T150405Z"

// authenticate verifies the request's signature, whichever of the four forms it uses, and
// returns who signed it. An unsigned request is anonymous: allowed only to read an object
// whose ACL is public-read or public-read-write.
func (e *Emulator) authenticate(c *call) (*principal, error) {
	auth := c.r.Header.Get("Authorization")
	q := c.r.URL.Query()
	v4q := q.Has("x-oss-signature-version") || q.Has("x-oss-credential") || q.Has("x-oss-signature")
	v1q := q.Has("OSSAccessKeyId") || q.Has("Signature")
	if (auth != "" && (v4q || v1q)) || (v4q && v1q) {
		return nil, errInvalidArgument("Only one authentication mechanism is allowed: the Authorization header, "+
			"a V1 signed URL (OSSAccessKeyId, Expires, Signature) or a V4 signed URL (x-oss-signature-version…).", "Authorization", "")
	}
	switch {
	case strings.HasPrefix(auth, v4Algorithm+" "):
		return e.verifyV4Header(c, auth)
	case strings.HasPrefix(auth, "OSS "):
		return e.verifyV1Header(c, auth)
	case auth != "":
		return nil, errMalformedAuthorization("it must start with \"OSS \" (V1) or \"OSS4-HMAC-SHA256 \" (V4)")
	case v4q:
		return e.verifyV4Query(c)
	case v1q:
		return e.verifyV1Query(c)
	}
	return e.anonymousRead(c)
}

// errMalformedAuthorization is 400 InvalidArgument for an Authorization header that cannot be
// parsed.
func errMalformedAuthorization(why string) *ossError {
	return errInvalidArgument("Authorization header is invalid: "+why+".", "Authorization", "")
}

// checkSkew refuses a signing time more than 15 minutes from the emulator's clock.
func (c *call) checkSkew(t time.Time) error {
	if d := c.now.Sub(t); d > maxSkew || d < -maxSkew {
		return c.errSkewed(t)
	}
	return nil
}

// errSkewed is 403 RequestTimeTooSkewed for the signing time t (EC 0002-00000504, spec §7).
func (c *call) errSkewed(t time.Time) *ossError {
	return newOSSError(http.StatusForbidden, "RequestTimeTooSkewed",
		"The difference between the request time and the current time is too large.").
		with("RequestTime", t.UTC().Format(ossTime)).
		with("ServerTime", c.now.UTC().Format(ossTime)).
		with("MaxAllowedSkewMilliseconds", strconv.Itoa(int(maxSkew/time.Millisecond))).
		withEC("0002-00000504")
}

// errExpired is 403 AccessDenied for a signed URL (or policy) past its expiry.
func (c *call) errExpired(expires time.Time) *ossError {
	return errAccessDenied("Request has expired.").
		with("Expires", expires.UTC().Format(ossTime)).
		with("ServerTime", c.now.UTC().Format(ossTime)).
		withEC("0002-00000069")
}

// errSignatureMismatch is 403 SignatureDoesNotMatch with what the emulator signed: the string
// to sign (as text and as hex bytes) and, for V4, its canonical request.
func errSignatureMismatch(accessKeyID, provided, stringToSign, canonicalRequest string) *ossError {
	e := newOSSError(http.StatusForbidden, "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.").
		with("OSSAccessKeyId", accessKeyID).
		with("SignatureProvided", provided).
		with("StringToSign", stringToSign).
		with("StringToSignBytes", spacedHex(stringToSign)).withEC(ecSignatureDoesNotMatch)
	if canonicalRequest != "" {
		e.with("CanonicalRequest", canonicalRequest).with("CanonicalRequestBytes", spacedHex(canonicalRequest))
	}
	return e
}

// spacedHex renders s as hex bytes separated by spaces ("47 45 54"), as OSS's
// StringToSignBytes.
func spacedHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex.EncodeToString([]byte{s[i]}))
	}
	return b.String()
}

// v4Scope is the parsed credential of a V4 signature: <AccessKeyId>/<date>/<region>/<product>/aliyun_v4_request.
type v4Scope struct {
	accessKeyID, date, region, product string
}

// scope is the scope string, <date>/<region>/<product>/aliyun_v4_request.
func (s v4Scope) scope() string {
	return s.date + "/" + s.region + "/" + s.product + "/aliyun_v4_request"
}

// parseCredential parses a V4 credential and checks it against the emulator: the region must be
// the buckets' region and the product "oss". source names where the credential came from.
func (e *Emulator) parseCredential(v, source string) (v4Scope, error) {
	parts := strings.Split(v, "/")
	if len(parts) != 5 || parts[0] == "" || parts[4] != "aliyun_v4_request" {
		return v4Scope{}, errInvalidArgument("Invalid credential in "+source+
			": it must be <AccessKeyId>/<yyyymmdd>/<region>/oss/aliyun_v4_request.", source, v)
	}
	s := v4Scope{accessKeyID: parts[0], date: parts[1], region: parts[2], product: parts[3]}
	if _, err := time.Parse("20060102", s.date); err != nil || len(s.date) != 8 {
		return s, errInvalidArgument("Invalid signing date in credential: it must be yyyymmdd.", source, v).withEC("0002-00000223")
	}
	if s.region != e.cfg.Region {
		return s, errInvalidArgument("Invalid signing region in credential: the bucket is in "+e.cfg.Region+
			" (sign with the bare region id, not oss-"+e.cfg.Region+").", source, v).withEC("0002-00000226")
	}
	if s.product != "oss" {
		return s, errInvalidArgument("Invalid signing product in credential: it must be oss.", source, v).withEC("0002-00000227")
	}
	return s, nil
}

// parseV4Time parses a V4 timestamp (yyyymmddThhmmssZ) whose date must be the scope's date.
func parseV4Time(v string, s v4Scope, source string) (time.Time, error) {
	t, err := time.Parse(v4TimeFormat, v)
	if err != nil || t.Format(v4TimeFormat) != v {
		return t, errInvalidArgument("Invalid "+source+": it must be a UTC time such as 20231203T121212Z.", source, v)
	}
	if v[:8] != s.date {
		return t, errInvalidArgument("The date of "+source+" must be the date of the credential scope ("+s.date+").", source, v).
			withEC("0002-00000223")
	}
	return t, nil
}
