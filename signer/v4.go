package signer

import "time"

const (
	algorithmV4     = "OSS4-HMAC-SHA256"
	v4Terminator    = "aliyun_v4_request"
	signatureHexLen = 2 * sha256Size
)

// presignV4 appends the presigned URL of §2.5 to dst: the x-oss-* authentication parameters
// join the query before it is canonicalized, and x-oss-signature is appended afterwards. The
// canonical request, string to sign and signature follow the URL in the buffer's spare room.
func (s *Signer) presignV4(dst []byte, p *prepared, now time.Time, lifetime int64) ([]byte, v4Strings) {
	sec := s.second(now)
	d := sec.day
	var room [10]queryParam
	params := appendQueryParams(room[:0], p.query)
	params = append(params,
		queryParam{name: "x-oss-signature-version", value: algorithmV4},
		queryParam{name: "x-oss-credential", value: d.credentialQuery, encoded: true},
		queryParam{name: "x-oss-date", value: sec.ts},
		queryParam{name: "x-oss-expires", value: s.lifetimeText(lifetime)})
	if len(p.additional) > 0 {
		params = append(params, queryParam{name: "x-oss-additional-headers", value: join(p.additional, ';')})
	}
	if s.c.SecurityToken != "" {
		params = append(params, queryParam{name: hdrSecurityToken, value: s.tokenQuery, encoded: true})
	}
	sortParams(params)
	// The URL leaves room for its signature; the canonical request, string to sign and
	// signature follow in the same buffer (v4Buffer).
	u, query, rest := v4Buffer(dst, &s.e, p, params, signatureGapV4, d, p.headers, 0)
	x := signV4(rest, p, &s.e, sec, p.headers, query)
	return appendSignatureV4(u, x), x
}

// signatureGapV4 is the room a presigned URL leaves for its signature.
const signatureGapV4 = len("&x-oss-signature=") + signatureHexLen

// appendSignatureV4 appends x's signature to presigned URL u, in the room it left.
func appendSignatureV4(u []byte, x v4Strings) []byte {
	u = append(u, "&x-oss-signature="...)
	return append(u, x.signature...)
}

// signHeaderV4 signs in the Authorization header (§2.4), adding x-oss-date,
// x-oss-content-sha256 and, for STS, x-oss-security-token to the signed headers.
func (s *Signer) signHeaderV4(p *prepared, now time.Time) SignedRequest {
	sec := s.second(now)
	d := sec.day
	added := []header{{hdrDate, hdrDate, sec.ts}}
	if findHeader(p.headers, hdrContentSHA256) == nil {
		added = append(added, header{hdrContentSHA256, hdrContentSHA256, unsignedPayload})
	}
	if s.c.SecurityToken != "" {
		added = append(added, header{hdrSecurityToken, hdrSecurityToken, s.c.SecurityToken})
	}
	hs := withHeaders(p.headers, added...)
	var room [8]queryParam
	params := appendQueryParams(room[:0], p.query)
	sortParams(params)
	additional := join(p.additional, ';')
	authLen := len(algorithmV4+" Credential=") + len(d.credential) + len(",AdditionalHeaders=") + len(additional) + len(",Signature=") + signatureHexLen
	u, query, rest := v4Buffer(nil, &s.e, p, params, 0, d, hs, authLen)
	x := signV4(rest[:0:cap(rest)-authLen], p, &s.e, sec, hs, query)

	auth := rest[cap(rest)-authLen : cap(rest)-authLen]
	auth = append(auth, algorithmV4+" Credential="...)
	auth = append(auth, d.credential...)
	if additional != "" {
		auth = append(auth, ",AdditionalHeaders="...)
		auth = append(auth, additional...)
	}
	auth = append(auth, ",Signature="...)
	auth = append(auth, x.signature...)
	return SignedRequest{
		Method:      p.method,
		URL:         finished(u),
		Headers:     publicHeaders(hs, Header{hdrAuthorization, finished(auth)}),
		Explanation: x.explanation(),
	}
}

// v4Buffer appends the request URL to dst, in the one buffer a V4 signature's strings share:
// u is dst with the URL and room for extra more bytes, query the URL's query part, and rest
// the empty remainder, with room for the canonical request over headers hs, the string to
// sign, the signature and tail more bytes. With dst nil the buffer is allocated for this
// signature alone, and the strings taken from it are never written again (finished).
func v4Buffer(dst []byte, e *endpoint, p *prepared, params []queryParam, extra int, d *v4Day, hs []header, tail int) (u, query, rest []byte) {
	qlen := queryLen(params)
	additional := 0
	for _, a := range p.additional {
		additional += len(a) + 1
	}
	canonical := len(p.method) + 4 + len(p.bucket) + 3*len(p.key) + qlen + headersLen(hs) +
		len("host:.\n") + len(p.bucket) + len(e.host) + 2 + additional + len(unsignedPayload)
	toSign := len(algorithmV4) + len("YYYYMMDDTHHMMSSZ") + len(d.scope) + 3 + signatureHexLen
	size := urlLen(e, p, qlen) + extra + canonical + toSign + signatureHexLen + tail
	u, query = appendURL(reserve(dst, size), e, p, params)
	end := len(u) + extra
	return u, query, u[end:end]
}

// reserve returns dst with room for n more bytes, in a new buffer when its own is too small.
func reserve(dst []byte, n int) []byte {
	if cap(dst)-len(dst) >= n {
		return dst
	}
	return append(make([]byte, 0, len(dst)+n), dst...)
}

// v4Strings are a V4 signature's canonical request, string to sign and signature, in the
// buffer signV4 wrote them to, and the second it was signed in.
type v4Strings struct {
	canonicalRequest, stringToSign, signature []byte
	sec                                       *v4Second
}

// explanation returns the strings of a buffer that is never written again (finished).
func (x v4Strings) explanation() Explanation {
	return Explanation{Version: V4, CanonicalRequest: finished(x.canonicalRequest), StringToSign: finished(x.stringToSign), Signature: finished(x.signature)}
}

// signV4 computes the canonical request, string to sign and signature of §2.2–2.3 from
// headers hs and the canonical query, in second sec, appending them to buf.
func signV4(buf []byte, p *prepared, e *endpoint, sec *v4Second, hs []header, query []byte) v4Strings {
	return signCanonicalRequestV4(appendCanonicalRequestV4(buf, e, p, hs, query), sec)
}

// signCanonicalRequestV4 appends the string to sign and the signature of canonical request cr
// (§2.3) after it, in second sec.
func signCanonicalRequestV4(cr []byte, sec *v4Second) v4Strings {
	hashed := sum256(cr)
	sts := append(cr[len(cr):], sec.stsPrefix...)
	sts = appendHex(sts, hashed[:])

	var mac [sha256Size]byte
	sec.mac.sum(mac[:0], sts[len(sec.stsPrefix):])
	sig := appendHex(sts[len(sts):], mac[:])
	return v4Strings{canonicalRequest: cr, stringToSign: sts, signature: sig, sec: sec}
}

// appendCanonicalRequestV4 lays out the canonical request of §2.2:
//
//	VERB + "\n"
//	CanonicalURI + "\n"            UriEncode("/bucket/key", keepSlash)
//	CanonicalQuery + "\n"          encoded name[=value], sorted, joined by &
//	CanonicalHeaders + "\n"        name:value\n for x-oss-*, content-type, content-md5, additional
//	AdditionalHeaders + "\n"       ;-joined names
//	HashedPayload                  UNSIGNED-PAYLOAD
func appendCanonicalRequestV4(dst []byte, e *endpoint, p *prepared, hs []header, query []byte) []byte {
	dst = append(dst, p.method...)
	dst = append(dst, '\n')
	dst = appendResourcePath(dst, p.bucket, p.key, true)
	dst = append(dst, '\n')
	dst = append(dst, query...)
	dst = append(dst, '\n')
	hostDone := false
	for _, h := range hs {
		if !hostDone && p.signsHost() && h.lname > hostAdditionalKey {
			dst = appendHostLine(dst, e, p.bucket)
			hostDone = true
		}
		if isDefaultSignedV4(h.lname) || contains(p.additional, h.lname) {
			dst = append(dst, h.lname...)
			dst = append(dst, ':')
			dst = append(dst, h.value...)
			dst = append(dst, '\n')
		}
	}
	if !hostDone && p.signsHost() {
		dst = appendHostLine(dst, e, p.bucket)
	}
	dst = append(dst, '\n')
	for i, a := range p.additional {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, a...)
	}
	dst = append(dst, '\n')
	return append(dst, unsignedPayload...)
}

func appendHostLine(dst []byte, e *endpoint, bucket string) []byte {
	dst = append(dst, "host:"...)
	dst = appendHost(dst, e, bucket)
	return append(dst, '\n')
}

func (p *prepared) signsHost() bool { return contains(p.additional, hostAdditionalKey) }
