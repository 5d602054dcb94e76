package signer

import "time"

const (
	algorithmV4     = "OSS4-HMAC-SHA256"
	v4Terminator    = "aliyun_v4_request"
	signatureHexLen = 2 * sha256Size
)

// v4Scope holds the signing moment and the credential scope of §2.1.
type v4Scope struct {
	timestamp string // YYYYMMDD'T'HHMMSS'Z'
	scope     string // date/region/product/aliyun_v4_request
}

func newV4Scope(e *endpoint, now time.Time) v4Scope {
	ts := timestamp(now)
	return v4Scope{timestamp: ts, scope: ts[:8] + "/" + e.region + "/" + e.product + "/" + v4Terminator}
}

// presignV4 builds the presigned URL of §2.5: the x-oss-* authentication parameters join the
// query before it is canonicalized, and x-oss-signature is appended afterwards.
func presignV4(e *endpoint, c *Credentials, p *prepared, now time.Time, lifetime int64) Presigned {
	s := newV4Scope(e, now)
	params := queryParams(p.query, 6)
	params = append(params,
		queryParam{"x-oss-signature-version", algorithmV4},
		queryParam{"x-oss-credential", c.AccessKeyID + "/" + s.scope},
		queryParam{"x-oss-date", s.timestamp},
		queryParam{"x-oss-expires", itoa(lifetime)})
	if len(p.additional) > 0 {
		params = append(params, queryParam{"x-oss-additional-headers", join(p.additional, ';')})
	}
	if c.SecurityToken != "" {
		params = append(params, queryParam{hdrSecurityToken, c.SecurityToken})
	}
	sortParams(params)
	const sigParam = "&x-oss-signature="
	u, query := newURL(e, p, params, len(sigParam)+signatureHexLen)
	x := signV4(e, c, p, s, p.headers, query)
	u = append(u, sigParam...)
	u = append(u, x.Signature...)
	return Presigned{Method: p.method, URL: finished(u), Headers: publicHeaders(p.headers), Explanation: x}
}

// signHeaderV4 signs in the Authorization header (§2.4), adding x-oss-date,
// x-oss-content-sha256 and, for STS, x-oss-security-token to the signed headers.
func signHeaderV4(e *endpoint, c *Credentials, p *prepared, now time.Time) SignedRequest {
	s := newV4Scope(e, now)
	added := []header{{hdrDate, hdrDate, s.timestamp}}
	if findHeader(p.headers, hdrContentSHA256) == nil {
		added = append(added, header{hdrContentSHA256, hdrContentSHA256, unsignedPayload})
	}
	if c.SecurityToken != "" {
		added = append(added, header{hdrSecurityToken, hdrSecurityToken, c.SecurityToken})
	}
	hs := withHeaders(p.headers, added...)
	params := queryParams(p.query, 0)
	sortParams(params)
	u, query := newURL(e, p, params, 0)
	x := signV4(e, c, p, s, hs, query)

	auth := make([]byte, 0, 160)
	auth = append(auth, algorithmV4+" Credential="...)
	auth = append(auth, c.AccessKeyID...)
	auth = append(auth, '/')
	auth = append(auth, s.scope...)
	if len(p.additional) > 0 {
		auth = append(auth, ",AdditionalHeaders="...)
		auth = append(auth, join(p.additional, ';')...)
	}
	auth = append(auth, ",Signature="...)
	auth = append(auth, x.Signature...)
	return SignedRequest{
		Method:      p.method,
		URL:         finished(u),
		Headers:     publicHeaders(hs, Header{hdrAuthorization, string(auth)}),
		Explanation: x,
	}
}

// signV4 computes the canonical request, string to sign and signature of §2.2–2.3 from
// headers hs and the canonical query.
func signV4(e *endpoint, c *Credentials, p *prepared, s v4Scope, hs []header, query []byte) Explanation {
	cr := appendCanonicalRequestV4(make([]byte, 0, 128+len(p.key)*3+len(query)+headersLen(hs)), e, p, hs, query)
	hashed := sum256(cr)

	sts := make([]byte, 0, len(algorithmV4)+len(s.timestamp)+len(s.scope)+3+2*sha256Size)
	sts = append(sts, algorithmV4+"\n"...)
	sts = append(sts, s.timestamp...)
	sts = append(sts, '\n')
	sts = append(sts, s.scope...)
	sts = append(sts, '\n')
	sts = appendHex(sts, hashed[:])

	mac := v4Signature(c.AccessKeySecret, s.timestamp[:8], e.region, e.product, sts)
	var sig [signatureHexLen]byte
	appendHex(sig[:0], mac[:])
	return Explanation{Version: V4, CanonicalRequest: finished(cr), StringToSign: finished(sts), Signature: string(sig[:])}
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
