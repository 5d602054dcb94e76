package signer

import "time"

const (
	algorithmV4     = "OSS4-HMAC-SHA256"
	v4Terminator    = "aliyun_v4_request"
	signatureHexLen = 2 * sha256Size
)

// presignV4 builds the presigned URL of §2.5: the x-oss-* authentication parameters join the
// query before it is canonicalized, and x-oss-signature is appended afterwards.
func (s *Signer) presignV4(p *prepared, now time.Time, lifetime int64) Presigned {
	ts := timestamp(now)
	d := s.day(ts)
	params := queryParams(p.query, 6)
	params = append(params,
		queryParam{"x-oss-signature-version", algorithmV4},
		queryParam{"x-oss-credential", d.credential},
		queryParam{"x-oss-date", ts},
		queryParam{"x-oss-expires", itoa(lifetime)})
	if len(p.additional) > 0 {
		params = append(params, queryParam{"x-oss-additional-headers", join(p.additional, ';')})
	}
	if s.c.SecurityToken != "" {
		params = append(params, queryParam{hdrSecurityToken, s.c.SecurityToken})
	}
	sortParams(params)
	const sigParam = "&x-oss-signature="
	u, query := newURL(&s.e, p, params, len(sigParam)+signatureHexLen)
	x := s.signV4(p, ts, d, p.headers, query)
	u = append(u, sigParam...)
	u = append(u, x.Signature...)
	return Presigned{Method: p.method, URL: finished(u), Headers: publicHeaders(p.headers), Explanation: x}
}

// signHeaderV4 signs in the Authorization header (§2.4), adding x-oss-date,
// x-oss-content-sha256 and, for STS, x-oss-security-token to the signed headers.
func (s *Signer) signHeaderV4(p *prepared, now time.Time) SignedRequest {
	ts := timestamp(now)
	d := s.day(ts)
	added := []header{{hdrDate, hdrDate, ts}}
	if findHeader(p.headers, hdrContentSHA256) == nil {
		added = append(added, header{hdrContentSHA256, hdrContentSHA256, unsignedPayload})
	}
	if s.c.SecurityToken != "" {
		added = append(added, header{hdrSecurityToken, hdrSecurityToken, s.c.SecurityToken})
	}
	hs := withHeaders(p.headers, added...)
	params := queryParams(p.query, 0)
	sortParams(params)
	u, query := newURL(&s.e, p, params, 0)
	x := s.signV4(p, ts, d, hs, query)

	auth := make([]byte, 0, 160)
	auth = append(auth, algorithmV4+" Credential="...)
	auth = append(auth, d.credential...)
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
// headers hs and the canonical query, at timestamp ts of day d.
func (s *Signer) signV4(p *prepared, ts string, d *v4Day, hs []header, query []byte) Explanation {
	cr := appendCanonicalRequestV4(make([]byte, 0, 128+len(p.key)*3+len(query)+headersLen(hs)), &s.e, p, hs, query)
	hashed := sum256(cr)

	sts := make([]byte, 0, len(algorithmV4)+len(ts)+len(d.scope)+3+2*sha256Size)
	sts = append(sts, algorithmV4+"\n"...)
	sts = append(sts, ts...)
	sts = append(sts, '\n')
	sts = append(sts, d.scope...)
	sts = append(sts, '\n')
	sts = appendHex(sts, hashed[:])

	var mac [sha256Size]byte
	d.mac.sum(mac[:0], sts)
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
