package signer

// appendBaseURL appends scheme://host/path for bucket and key in the endpoint's addressing:
//
//	virtual-hosted  https://bucket.host/key
//	path-style      https://host/bucket/key
//	custom domain   https://host/key
func appendBaseURL(dst []byte, e *endpoint, bucket, key string) []byte {
	dst = append(dst, e.scheme...)
	dst = append(dst, "://"...)
	dst = appendHost(dst, e, bucket)
	dst = append(dst, '/')
	if e.addressing == pathStyle && bucket != "" {
		dst = append(dst, bucket...)
		dst = append(dst, '/')
	}
	return appendURIEncoded(dst, key, e.keepSlash)
}

// newURL returns the request URL, with "?" and the encoded query when there is one, in a
// buffer with room for extra more bytes; query is the URL's query part.
func newURL(e *endpoint, p *prepared, params []queryParam, extra int) (u, query []byte) {
	return appendURL(make([]byte, 0, urlLen(e, p, queryLen(params))+extra), e, p, params)
}

// urlLen bounds the length of the request URL whose encoded query is qlen bytes.
func urlLen(e *endpoint, p *prepared, qlen int) int {
	return len(e.scheme) + 5 + 2*len(p.bucket) + len(e.host) + uriEncodedLen(p.key, e.keepSlash) + qlen
}

// appendURL appends the request URL, with "?" and the encoded query when there is one; query
// is the URL's query part.
func appendURL(dst []byte, e *endpoint, p *prepared, params []queryParam) (u, query []byte) {
	u = appendBaseURL(dst, e, p.bucket, p.key)
	if len(params) == 0 {
		return u, nil
	}
	u = append(u, '?')
	start := len(u)
	u = appendQuery(u, params)
	return u, u[start:]
}

// appendHost appends the Host the request is sent to.
func appendHost(dst []byte, e *endpoint, bucket string) []byte {
	if e.addressing == virtualHosted && bucket != "" {
		dst = append(dst, bucket...)
		dst = append(dst, '.')
	}
	return append(dst, e.host...)
}

// appendResourcePath appends the path both versions sign (§0), built from the decoded bucket
// and key: "/", "/bucket/" or "/bucket/key"; encoded with UriEncode(·, keepSlash) for V4.
func appendResourcePath(dst []byte, bucket, key string, encode bool) []byte {
	dst = append(dst, '/')
	if bucket == "" {
		return dst
	}
	dst = append(dst, bucket...)
	dst = append(dst, '/')
	if encode {
		return appendURIEncoded(dst, key, true)
	}
	return append(dst, key...)
}

// queryParam is a query parameter whose name is already UriEncode(·, false)d, so that
// parameters sort by encoded name; the value is encoded when appended, unless encoded says it
// already is (the signer's own values that it encodes once per Signer or day).
type queryParam struct {
	name, value string
	encoded     bool
}

// appendQueryParams appends q with encoded names to dst. Callers pass a small array of their
// own as dst, so that the usual request's parameters live on the stack.
func appendQueryParams(dst []queryParam, q []Param) []queryParam {
	for _, p := range q {
		dst = append(dst, queryParam{name: URIEncode(p.Name, false), value: p.Value})
	}
	return dst
}

// sortParams orders parameters by encoded name, byte-wise.
func sortParams(ps []queryParam) {
	sortByKey(len(ps), func(i int) string { return ps[i].name }, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
}

// queryLen is the length appendQuery will append.
func queryLen(ps []queryParam) int {
	n := 0
	for _, p := range ps {
		n += len(p.name) + 2 + len(p.value)
		if !p.encoded {
			n += uriEncodedLen(p.value, false) - len(p.value)
		}
	}
	return n
}

// appendQuery joins parameters as name=value, or the bare name when the value is empty.
func appendQuery(dst []byte, ps []queryParam) []byte {
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.name...)
		switch {
		case p.value == "":
		case p.encoded:
			dst = append(dst, '=')
			dst = append(dst, p.value...)
		default:
			dst = append(dst, '=')
			dst = appendURIEncoded(dst, p.value, false)
		}
	}
	return dst
}
