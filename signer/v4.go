package signer

import (
	"crypto/sha256"
	"slices"
	"strings"
	"time"
)

const (
	algorithmV4   = "OSS4-HMAC-SHA256"
	timestampV4   = "20060102T150405Z"
	v4Terminator  = "aliyun_v4_request"
	signatureHexLen = 2 * sha256.Size
)

// v4Scope holds the signing moment and the credential scope of §2.1.
type v4Scope struct {
	timestamp string // YYYYMMDD'T'HHMMSS'Z'
	scope     string // date/region/product/aliyun_v4_request
}

func newV4Scope(e *endpoint, now time.Time) v4Scope {
	var b [len(timestampV4)]byte
	ts := string(now.UTC().AppendFormat(b[:0], timestampV4))
	return v4Scope{timestamp: ts, scope: ts[:8] + "/" + e.region + "/" + e.product + "/" + v4Terminator}
}

// presignV4 builds the presigned URL of §2.5: the x-oss-* authentication parameters join the
// query before it is canonicalized, and x-oss-signature is appended afterwards.
func presignV4(e *endpoint, c *Credentials, p *prepared, now time.Time, lifetime int64) Presigned {
	s := newV4Scope(e, now)
	params := encodeParams(p.query, 6)
	params = append(params,
		encodedParam{"x-oss-signature-version", algorithmV4},
		encodedParam{"x-oss-credential", URIEncode(c.AccessKeyID+"/"+s.scope, false)},
		encodedParam{"x-oss-date", s.timestamp},
		encodedParam{"x-oss-expires", itoa(lifetime)})
	if len(p.additional) > 0 {
		params = append(params, encodedParam{"x-oss-additional-headers", URIEncode(strings.Join(p.additional, ";"), false)})
	}
	if c.SecurityToken != "" {
		params = append(params, encodedParam{"x-oss-security-token", URIEncode(c.SecurityToken, false)})
	}
	sortParams(params)
	x := signV4(e, c, p, s, p.headers, params)

	u := appendBaseURL(make([]byte, 0, 256+len(x.query)), e, p.bucket, p.key)
	u = append(u, '?')
	u = append(u, x.query...)
	u = append(u, "&x-oss-signature="...)
	u = append(u, x.Signature...)
	return Presigned{Method: p.method, URL: string(u), Headers: publicHeaders(p.headers), Explanation: x.Explanation}
}

// signHeaderV4 signs in the Authorization header (§2.4), adding x-oss-date,
// x-oss-content-sha256 and, for STS, x-oss-security-token to the signed headers.
func signHeaderV4(e *endpoint, c *Credentials, p *prepared, now time.Time) SignedRequest {
	s := newV4Scope(e, now)
	hs := withHeader(p.headers, header{hdrDate, hdrDate, s.timestamp})
	if findHeader(hs, hdrContentSHA256) == nil {
		hs = withHeader(hs, header{hdrContentSHA256, hdrContentSHA256, unsignedPayload})
	}
	if c.SecurityToken != "" {
		hs = withHeader(hs, header{hdrSecurityToken, hdrSecurityToken, c.SecurityToken})
	}
	params := encodeParams(p.query, 0)
	sortParams(params)
	x := signV4(e, c, p, s, hs, params)

	auth := make([]byte, 0, 160)
	auth = append(auth, algorithmV4+" Credential="...)
	auth = append(auth, c.AccessKeyID...)
	auth = append(auth, '/')
	auth = append(auth, s.scope...)
	if len(p.additional) > 0 {
		auth = append(auth, ",AdditionalHeaders="...)
		auth = append(auth, strings.Join(p.additional, ";")...)
	}
	auth = append(auth, ",Signature="...)
	auth = append(auth, x.Signature...)
	return SignedRequest{
		Method:      p.method,
		URL:         requestURL(e, p, x.query),
		Headers:     publicHeaders(hs, Header{hdrAuthorization, string(auth)}),
		Explanation: x.Explanation,
	}
}

// v4Signed is the outcome of signV4: the explanation plus the canonical query, reused as the URL query.
type v4Signed struct {
	Explanation
	query []byte
}

// signV4 computes the canonical request, string to sign and signature of §2.2–2.3 from
// headers hs and encoded, sorted query parameters.
func signV4(e *endpoint, c *Credentials, p *prepared, s v4Scope, hs []header, params []encodedParam) v4Signed {
	query := appendQuery(nil, params)
	cr := appendCanonicalRequestV4(make([]byte, 0, 512+len(query)), e, p, hs, query)
	hashed := sha256.Sum256(cr)

	sts := make([]byte, 0, len(algorithmV4)+len(s.timestamp)+len(s.scope)+3+2*sha256.Size)
	sts = append(sts, algorithmV4+"\n"...)
	sts = append(sts, s.timestamp...)
	sts = append(sts, '\n')
	sts = append(sts, s.scope...)
	sts = append(sts, '\n')
	sts = appendHex(sts, hashed[:])

	key := v4SigningKey(c.AccessKeySecret, s.timestamp[:8], e.region, e.product)
	mac := hmacSHA256(key[:], sts)
	sig := appendHex(make([]byte, 0, signatureHexLen), mac[:])
	return v4Signed{
		Explanation: Explanation{Version: V4, CanonicalRequest: string(cr), StringToSign: string(sts), Signature: string(sig)},
		query:       query,
	}
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
	dst = appendURIEncoded(dst, resourcePath(p.bucket, p.key), true)
	dst = append(dst, '\n')
	dst = append(dst, query...)
	dst = append(dst, '\n')
	hostDone := false
	for _, h := range hs {
		if !hostDone && p.signsHost() && h.lname > hostAdditionalKey {
			dst = appendHostLine(dst, e, p.bucket)
			hostDone = true
		}
		if isDefaultSignedV4(h.lname) || slices.Contains(p.additional, h.lname) {
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

func (p *prepared) signsHost() bool { return slices.Contains(p.additional, hostAdditionalKey) }

// requestURL is the URL of a header-signed request: base URL plus the encoded query.
func requestURL(e *endpoint, p *prepared, query []byte) string {
	u := appendBaseURL(make([]byte, 0, 128+len(query)), e, p.bucket, p.key)
	if len(query) > 0 {
		u = append(u, '?')
		u = append(u, query...)
	}
	return string(u)
}
