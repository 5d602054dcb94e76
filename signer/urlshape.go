package signer

import (
	"slices"
	"time"
)

// v4URLShape is the work a V4 presigned URL shares with the next one signed in the same second
// for the same request but for its key, as when a page signs the URLs of a list of objects
// with the same options: the request checked, its lifetime and the canonical request's lines
// after the path (the query among them, which is also the URL's). A Signer keeps the last one
// (AppendPresignedURL); it holds no secret, and only requests with a bucket have one (a key
// is refused without it).
type v4URLShape struct {
	sec    *v4Second
	req    Request // Key empty; strings and slices of its own
	method string  // upper case
	query  string  // canonical, and the URL's without x-oss-signature
	tail   string  // "\n" query "\n" headers "\n" additional header names "\n" payload
}

// newV4URLShape records the shape of request r, prepared as p and signed as x. It serves the
// Signers EncodeSlash derives too: the canonical request keeps '/' in the path either way.
func newV4URLShape(r *Request, p *prepared, x v4Strings) *v4URLShape {
	path := len(p.method) + len("\n/") + len(p.bucket) + len("/") + uriEncodedLen(p.key, true)
	tail := cloneString(finished(x.canonicalRequest[path:]))
	return &v4URLShape{
		sec:    x.sec,
		req:    cloneShape(r),
		method: p.method,
		query:  tail[1 : 1+indexByte(tail[1:], '\n')],
		tail:   tail,
	}
}

// fits reports whether request r at now differs from the shape only by its key.
func (sh *v4URLShape) fits(r *Request, now time.Time) bool {
	return sh.sec.unix == now.Unix() && r.Method == sh.req.Method &&
		r.Bucket == sh.req.Bucket && r.Expires == sh.req.Expires &&
		slices.Equal(r.Headers, sh.req.Headers) && slices.Equal(r.Query, sh.req.Query) &&
		slices.Equal(r.AdditionalHeaders, sh.req.AdditionalHeaders) && slices.Equal(r.SubResources, sh.req.SubResources)
}

// appendURL appends the presigned URL of the shape's request for key (a valid key) to dst, as
// presignV4 writes it, from endpoint e.
func (sh *v4URLShape) appendURL(dst []byte, e *endpoint, key string) []byte {
	bucket := sh.req.Bucket
	url := len(e.scheme) + len("://./") + 2*len(bucket) + len(e.host) + 3*len(key) + 1 + len(sh.query) + signatureGapV4
	canonical := len(sh.method) + len("\n//") + len(bucket) + 3*len(key) + len(sh.tail)
	u := appendBaseURL(reserve(dst, url+canonical+len(sh.sec.stsPrefix)+2*signatureHexLen), e, bucket, key)
	u = append(u, '?')
	u = append(u, sh.query...)
	end := len(u) + signatureGapV4
	cr := append(u[end:end], sh.method...)
	cr = append(cr, '\n')
	cr = appendResourcePath(cr, bucket, key, true)
	cr = append(cr, sh.tail...)
	return appendSignatureV4(u, signCanonicalRequestV4(cr, sh.sec))
}

// cloneShape copies r but its key, with strings of its own: a caller may reuse the memory of
// the request's strings once the call returns (the wasm module's fast path does).
func cloneShape(r *Request) Request {
	c := Request{Method: cloneString(r.Method), Bucket: cloneString(r.Bucket), Expires: r.Expires}
	for _, h := range r.Headers {
		c.Headers = append(c.Headers, Header{cloneString(h.Name), cloneString(h.Value)})
	}
	for _, q := range r.Query {
		c.Query = append(c.Query, Param{cloneString(q.Name), cloneString(q.Value)})
	}
	c.AdditionalHeaders = cloneStrings(r.AdditionalHeaders)
	c.SubResources = cloneStrings(r.SubResources)
	return c
}

func cloneStrings(ss []string) []string {
	var c []string
	for _, s := range ss {
		c = append(c, cloneString(s))
	}
	return c
}

// cloneString copies s into memory of its own (strings.Clone, without package strings).
func cloneString(s string) string {
	if s == "" {
		return ""
	}
	return finished(append([]byte(nil), s...))
}
