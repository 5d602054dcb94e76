package signer

import (
	"time"
	"unicode/utf8"
)

// Header is one HTTP request header. Names are case-insensitive; each may appear once.
type Header struct {
	Name, Value string
}

// Param is one query parameter, name and value decoded (not percent-encoded). An empty Value
// is a bare parameter such as "acl" or "uploads".
type Param struct {
	Name, Value string
}

// Request is the OSS request to sign. It is never modified.
type Request struct {
	// Method is GET, PUT, HEAD, POST or DELETE (any case).
	Method string
	// Bucket is empty only for service-level requests.
	Bucket string
	// Key is the object key as stored (decoded): "dir/a b+c.txt", never pre-encoded.
	// Empty for bucket-level requests. Keys with "." or ".." path segments ("a/../b") are
	// signed as they are, and Go's HTTP client sends them so; browsers remove such segments
	// from URLs before sending (the ossign JS package refuses these keys), so do not hand such
	// a URL to a browser unless Target.EncodeSlash makes the key one segment.
	Key string
	// Query holds the query parameters, decoded: sub-resources ("uploadId", "versionId"),
	// response-* overrides, "x-oss-process", "x-oss-traffic-limit", "x-oss-ac-*", …
	Query []Param
	// Headers are the headers the request will carry. For a presigned URL they are the headers
	// whoever uses the URL must send byte-identically (Content-Type above all).
	Headers []Header
	// SubResources names extra query parameters to sign in V1 besides the built-in list (§1.3):
	// the sub-resource of a bucket operation the list does not know. V4 signs every parameter.
	SubResources []string
	// AdditionalHeaders names headers V4 signs besides Content-Type, Content-MD5 and x-oss-*
	// (e.g. "host", "range", "cache-control"). Names not present in Headers are dropped, except
	// "host", whose value comes from the URL. V1 ignores it.
	AdditionalHeaders []string
	// Expires is how long a presigned URL is valid: 1 s to 7 days for V4, at least 1 s for V1;
	// zero means 15 minutes. It is clamped to the credentials' expiry.
	Expires time.Duration
}

// header is a validated request header.
type header struct {
	lname, name, value string
}

// prepared is a validated Request in canonical order.
type prepared struct {
	method, bucket, key string
	query               []Param  // validated, original order
	headers             []header // sorted by lname, values trimmed
	subResources        []string
	additional          []string // V4 only: lower-case, sorted, present
}

const (
	maxKeyBytes       = 1023
	defaultExpires    = 15 * time.Minute
	maxExpiresV4      = 7 * 24 * time.Hour
	maxExpiresV1      = 100 * 365 * 24 * time.Hour
	unsignedPayload   = "UNSIGNED-PAYLOAD"
	hdrDate           = "x-oss-date"
	hdrSecurityToken  = "x-oss-security-token"
	hdrContentSHA256  = "x-oss-content-sha256"
	hdrAuthorization  = "Authorization"
	queryTokenV1      = "security-token"
	hostAdditionalKey = "host"
)

// reservedQuery are the parameters the signer itself writes.
var reservedQuery = []string{
	"OSSAccessKeyId", "Expires", "Signature", queryTokenV1,
	"x-oss-signature-version", "x-oss-credential", "x-oss-date", "x-oss-expires",
	"x-oss-signature", "x-oss-additional-headers", hdrSecurityToken,
}

// headerRoom is room for a request's headers on the caller's stack: prepare appends them to
// it, and only more headers than it holds allocate.
type headerRoom [8]header

// prepare validates r and puts it in canonical order; its headers are appended to room.
func prepare(r *Request, e *endpoint, room []header) (prepared, error) {
	p := prepared{bucket: r.Bucket, key: r.Key, query: r.Query, subResources: r.SubResources}
	var err error
	if p.method, err = validMethod(r.Method); err != nil {
		return p, err
	}
	if err = validBucket(r.Bucket, r.Key, e); err != nil {
		return p, err
	}
	if err = validKey(r.Key); err != nil {
		return p, err
	}
	if err = validQuery(r.Query); err != nil {
		return p, err
	}
	if p.headers, err = validHeaders(room, r.Headers); err != nil {
		return p, err
	}
	for _, s := range r.SubResources {
		if s == "" {
			return p, newError(CodeInvalidQuery, "empty name in SubResources")
		}
	}
	if e.version == V4 {
		p.additional, err = additionalHeaders(r.AdditionalHeaders, p.headers)
	}
	return p, err
}

func validMethod(m string) (string, error) {
	switch u := upper(m); u {
	case "GET", "PUT", "HEAD", "POST", "DELETE":
		return u, nil
	}
	return "", newError(CodeInvalidMethod, "invalid method ", quote(m), ": use GET, PUT, HEAD, POST or DELETE")
}

func validBucket(bucket, key string, e *endpoint) error {
	if bucket == "" {
		if key != "" || e.addressing == customDomain {
			return newError(CodeInvalidBucket, "no bucket: object requests and custom domains need the bucket name")
		}
		return nil
	}
	ok := len(bucket) >= 3 && len(bucket) <= 63 && bucket[0] != '-' && bucket[len(bucket)-1] != '-'
	for i := 0; ok && i < len(bucket); i++ {
		c := bucket[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
	}
	if !ok {
		return newError(CodeInvalidBucket, "invalid bucket name ", quote(bucket),
			": 3–63 characters of a–z, 0–9 and '-', not starting or ending with '-'")
	}
	return nil
}

func validKey(key string) error {
	if key == "" {
		return nil
	}
	if len(key) > maxKeyBytes || !utf8.ValidString(key) || key[0] == '/' || key[0] == '\\' {
		shown := key
		if len(shown) > 64 {
			shown = shown[:64] + "…"
		}
		return newError(CodeInvalidKey, "invalid object key ", quote(shown),
			": must be 1–1023 bytes of UTF-8, not starting with \"/\" or \"\\\" (pass the key decoded, not URL-encoded)")
	}
	return nil
}

func validQuery(q []Param) error {
	for i, p := range q {
		if p.Name == "" {
			return newError(CodeInvalidQuery, "a query parameter has an empty name")
		}
		if contains(reservedQuery, p.Name) {
			return newError(CodeInvalidQuery, "query parameter ", quote(p.Name),
				" is written by the signer: leave it out (the security token comes from the credentials)")
		}
		for _, prev := range q[:i] {
			if prev.Name == p.Name {
				return newError(CodeInvalidQuery, "query parameter ", quote(p.Name), " appears twice: OSS signs each name once")
			}
		}
	}
	return nil
}

// validHeaders appends hs, validated and sorted by lower-case name, to out.
func validHeaders(out []header, hs []Header) ([]header, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	for _, h := range hs {
		if !isHTTPToken(h.Name) {
			return nil, newError(CodeInvalidHeader, "invalid header name ", quote(h.Name), ": use letters, digits and -")
		}
		ln := lowerName(h.Name)
		switch ln {
		case "authorization", hdrDate, hdrSecurityToken:
			return nil, newError(CodeInvalidHeader, "header ", quote(h.Name), " is written by the signer: leave it out")
		case "date":
			return nil, newError(CodeInvalidHeader, "header \"Date\" cannot be set by browsers; the signer sends x-oss-date instead: leave it out")
		case "host":
			return nil, newError(CodeInvalidHeader, "header \"Host\" comes from the endpoint: leave it out (list \"host\" in AdditionalHeaders to sign it)")
		}
		v := trimBlanks(h.Value)
		if bad := badHeaderByte(v); bad >= 0 {
			return nil, newError(CodeInvalidHeader, "header ", quote(h.Name),
				" has a byte browsers cannot send (control or non-ASCII at offset ", itoa(int64(bad)),
				"); percent-encode non-ASCII metadata values")
		}
		if ln == hdrContentSHA256 && v != unsignedPayload {
			return nil, newError(CodeInvalidHeader, "header x-oss-content-sha256 may only be \"UNSIGNED-PAYLOAD\"")
		}
		out = append(out, header{lname: ln, name: h.Name, value: v})
	}
	sortHeaders(out)
	for i := 1; i < len(out); i++ {
		if out[i].lname == out[i-1].lname {
			return nil, newError(CodeInvalidHeader, "header ", quote(out[i].name), " appears twice: give each header once")
		}
	}
	return out, nil
}

// commonHeaders are lower-case names that requests often carry: lowerName returns these
// strings rather than allocating a lower-case copy for every signature.
var commonHeaders = [...]string{"content-type", "content-md5", "content-length", "content-disposition", "cache-control"}

// lowerName returns the header name n in lower case.
func lowerName(n string) string {
	for _, c := range commonHeaders {
		if equalLower(n, c) {
			return c
		}
	}
	return lower(n)
}

// equalLower reports whether s in ASCII lower case equals lowered.
func equalLower(s, lowered string) bool {
	if len(s) != len(lowered) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lowered[i] {
			return false
		}
	}
	return true
}

// isHTTPToken reports whether s is a non-empty RFC 9110 token.
func isHTTPToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || indexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// badHeaderByte returns the offset of the first byte a browser cannot send in a header value
// (controls other than tab, DEL, and non-ASCII), or -1.
func badHeaderByte(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c >= 0x7f {
			return i
		}
	}
	return -1
}

// isDefaultSignedV4 reports headers V4 always signs.
func isDefaultSignedV4(lname string) bool {
	return hasPrefix(lname, "x-oss-") || lname == "content-type" || lname == "content-md5"
}

// additionalHeaders canonicalizes the V4 AdditionalHeaders list (§2.2): lower-case, without
// default-signed and absent or empty headers, de-duplicated and sorted. "host" is always present.
func additionalHeaders(names []string, hs []header) ([]string, error) {
	var out []string
	for _, n := range names {
		if !isHTTPToken(n) {
			return nil, newError(CodeInvalidHeader, "invalid name in AdditionalHeaders: ", quote(n))
		}
		ln := lower(n)
		if isDefaultSignedV4(ln) || contains(out, ln) {
			continue
		}
		if h := findHeader(hs, ln); ln == hostAdditionalKey || h != nil && h.value != "" {
			out = append(out, ln)
		}
	}
	sortStrings(out)
	return out, nil
}

func findHeader(hs []header, lname string) *header {
	for i := range hs {
		if hs[i].lname == lname {
			return &hs[i]
		}
	}
	return nil
}

func headerValue(hs []header, lname string) string {
	if h := findHeader(hs, lname); h != nil {
		return h.value
	}
	return ""
}

// withHeaders returns hs plus extra, ordered by lname. hs is not modified.
func withHeaders(hs []header, extra ...header) []header {
	out := make([]header, 0, len(hs)+len(extra))
	out = append(append(out, hs...), extra...)
	sortHeaders(out)
	return out
}

func headersLen(hs []header) int {
	n := 0
	for _, h := range hs {
		n += len(h.lname) + len(h.value) + 2
	}
	return n
}

// publicHeaders lists hs as the caller must send them.
func publicHeaders(hs []header, extra ...Header) []Header {
	out := make([]Header, 0, len(hs)+len(extra))
	for _, h := range hs {
		out = append(out, Header{Name: h.name, Value: h.value})
	}
	return append(out, extra...)
}
