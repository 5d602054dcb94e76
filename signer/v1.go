package signer

import "time"

// presignV1 builds the presigned URL of §1.5: DateLine is the absolute Expires, the STS token
// rides in the signed query parameter security-token.
func (s *Signer) presignV1(p *prepared, expiresUnix int64) Presigned {
	c := &s.c
	expires := itoa(expiresUnix)
	var token []Param
	if c.SecurityToken != "" {
		token = []Param{{queryTokenV1, c.SecurityToken}}
	}
	x := s.signV1(p, p.headers, expires, token)

	var room [8]queryParam
	params := appendQueryParams(room[:0], p.query)
	params = append(params,
		queryParam{name: "OSSAccessKeyId", value: c.AccessKeyID},
		queryParam{name: "Expires", value: expires},
		queryParam{name: "Signature", value: x.Signature})
	if c.SecurityToken != "" {
		params = append(params, queryParam{name: queryTokenV1, value: c.SecurityToken})
	}
	sortParams(params)
	u, _ := newURL(&s.e, p, params, 0)
	return Presigned{Method: p.method, URL: finished(u), Headers: publicHeaders(p.headers), Explanation: x}
}

// signHeaderV1 signs in the Authorization header (§1.4). Browsers cannot set Date, so the
// signing time travels in x-oss-date (RFC 1123), which is also the DateLine.
func (s *Signer) signHeaderV1(p *prepared, now time.Time) SignedRequest {
	c := &s.c
	date := formatRFC1123(now)
	added := []header{{hdrDate, hdrDate, date}}
	if c.SecurityToken != "" {
		added = append(added, header{hdrSecurityToken, hdrSecurityToken, c.SecurityToken})
	}
	hs := withHeaders(p.headers, added...)
	x := s.signV1(p, hs, date, nil)
	var room [8]queryParam
	params := appendQueryParams(room[:0], p.query)
	sortParams(params)
	u, _ := newURL(&s.e, p, params, 0)
	return SignedRequest{
		Method:      p.method,
		URL:         finished(u),
		Headers:     publicHeaders(hs, Header{hdrAuthorization, "OSS " + c.AccessKeyID + ":" + x.Signature}),
		Explanation: x,
	}
}

// signV1 computes the string to sign and the signature of §1.1–1.3 over headers hs, with the
// given DateLine and the request's query plus extra (signer-added) parameters.
func (s *Signer) signV1(p *prepared, hs []header, dateLine string, extra []Param) Explanation {
	sts := appendStringToSignV1(make([]byte, 0, 256), p, hs, dateLine, extra)
	return Explanation{Version: V1, StringToSign: finished(sts), Signature: signatureV1(s.v1, sts)}
}

// appendStringToSignV1 lays out §1.1:
//
//	VERB + "\n"
//	Content-MD5 + "\n"
//	Content-Type + "\n"
//	DateLine + "\n"                 x-oss-date (header form) or Expires (URL form)
//	CanonicalizedOSSHeaders         x-oss-*:value\n, sorted
//	CanonicalizedResource           /bucket/key[?signable sub-resources, decoded, sorted]
func appendStringToSignV1(dst []byte, p *prepared, hs []header, dateLine string, extra []Param) []byte {
	dst = append(dst, p.method...)
	dst = append(dst, '\n')
	dst = append(dst, headerValue(hs, "content-md5")...)
	dst = append(dst, '\n')
	dst = append(dst, headerValue(hs, "content-type")...)
	dst = append(dst, '\n')
	dst = append(dst, dateLine...)
	dst = append(dst, '\n')
	for _, h := range hs {
		if hasPrefix(h.lname, "x-oss-") {
			dst = append(dst, h.lname...)
			dst = append(dst, ':')
			dst = append(dst, h.value...)
			dst = append(dst, '\n')
		}
	}
	dst = appendResourcePath(dst, p.bucket, p.key, false)

	signed := make([]Param, 0, len(p.query)+len(extra))
	for _, q := range p.query {
		if isSignableV1(q.Name, p.subResources) {
			signed = append(signed, q)
		}
	}
	signed = append(signed, extra...)
	sortByKey(len(signed), func(i int) string { return signed[i].Name }, func(i, j int) { signed[i], signed[j] = signed[j], signed[i] })
	for i, q := range signed {
		if i == 0 {
			dst = append(dst, '?')
		} else {
			dst = append(dst, '&')
		}
		dst = append(dst, q.Name...)
		if q.Value != "" {
			dst = append(dst, '=')
			dst = append(dst, q.Value...)
		}
	}
	return dst
}
