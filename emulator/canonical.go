package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// This file holds the emulator's own implementation of the V4 canonical request and signing
// key (spec §2.2–2.3). It verifies V4 URL signatures and PostObject V4 policies, and explains
// V4 header-signature mismatches; V4 header signatures themselves are recomputed with the
// official SDK signer (auth_v4.go).

// v4Algorithm is the V4 signature algorithm name.
const v4Algorithm = "OSS4-HMAC-SHA256"

// unsignedPayload is the only payload hash OSS accepts.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// uriEncode is the spec's UriEncode: bytes outside A–Z a–z 0–9 - _ . ~ (and "/" when
// keepSlash) become %XX with upper-case hex.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && keepSlash {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// queryPair is one query parameter, decoded.
type queryPair struct{ name, value string }

// decodeQuery splits a raw query string into decoded parameters, in order ("+" is a space).
func decodeQuery(raw string) ([]queryPair, error) {
	var pairs []queryPair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		n, err := url.QueryUnescape(name)
		if err != nil {
			return nil, errInvalidArgument("The query string is not correctly percent-encoded.", "query", name)
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return nil, errInvalidArgument("The query string is not correctly percent-encoded.", n, value)
		}
		pairs = append(pairs, queryPair{n, v})
	}
	return pairs, nil
}

// encodedQuery renders pairs as UriEncode(name)=UriEncode(value), or the bare encoded name for
// an empty value, joined with "&", in the order given.
func encodedQuery(pairs []queryPair) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = uriEncode(p.name, false)
		if p.value != "" {
			out[i] += "=" + uriEncode(p.value, false)
		}
	}
	return out
}

// isDefaultSignedV4 reports whether V4 signs a header without it being listed as additional.
func isDefaultSignedV4(lower string) bool {
	return strings.HasPrefix(lower, "x-oss-") || lower == "content-type" || lower == "content-md5"
}

// additionalHeadersV4 normalizes an additional-header list as signers do: lower-case, without
// default-signed or absent headers, sorted, without repeats.
func additionalHeadersV4(list []string, h http.Header, host string) []string {
	var out []string
	for _, name := range list {
		lower := strings.ToLower(strings.TrimSpace(name))
		present := h.Get(lower) != "" || lower == "host" && host != ""
		if !isDefaultSignedV4(lower) && present && !slices.Contains(out, lower) {
			out = append(out, lower)
		}
	}
	slices.Sort(out)
	return out
}

// v4Request is what a V4 signature covers.
type v4Request struct {
	method      string
	bucket, key string
	// query is every parameter but x-oss-signature.
	query  []queryPair
	header http.Header
	host   string
	// additional is the normalized additional-header list.
	additional []string
}

// canonicalRequest builds the V4 canonical request:
//
//	VERB \n
//	UriEncode("/" + bucket + "/" + key, keepSlash) \n
//	sorted UriEncode(name)[=UriEncode(value)] joined by & \n
//	sorted lower-case name:trimmed value \n lines (x-oss-*, content-type, content-md5, additional) \n
//	additional headers joined by ; \n
//	x-oss-content-sha256 or UNSIGNED-PAYLOAD
func (v *v4Request) canonicalRequest() string {
	resource := "/"
	if v.bucket != "" {
		resource += v.bucket + "/" + v.key
	}
	query := encodedQuery(v.query)
	slices.Sort(query)

	var names []string
	for name := range v.header {
		lower := strings.ToLower(name)
		if isDefaultSignedV4(lower) || slices.Contains(v.additional, lower) {
			names = append(names, lower)
		}
	}
	if slices.Contains(v.additional, "host") {
		names = append(names, "host")
	}
	slices.Sort(names)
	var headers strings.Builder
	for _, name := range names {
		values := []string{v.host}
		if name != "host" {
			values = slices.Clone(v.header.Values(name))
		}
		for i := range values {
			values[i] = strings.TrimSpace(values[i])
		}
		headers.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}

	payload := unsignedPayload
	if p := v.header.Get("x-oss-content-sha256"); p != "" {
		payload = p
	}
	return strings.Join([]string{
		v.method, uriEncode(resource, true), strings.Join(query, "&"), headers.String(),
		strings.Join(v.additional, ";"), payload,
	}, "\n")
}

// stringToSignV4 is "OSS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex SHA-256 of the canonical request>".
func stringToSignV4(timestamp, scope, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return v4Algorithm + "\n" + timestamp + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// signingKeyV4 derives the V4 signing key:
// HMAC(HMAC(HMAC(HMAC("aliyun_v4"+secret, date), region), product), "aliyun_v4_request").
func signingKeyV4(secret, date, region, product string) []byte {
	k := hmacSHA256([]byte("aliyun_v4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, product)
	return hmacSHA256(k, "aliyun_v4_request")
}

// hmacSHA256 is HMAC-SHA256(key, data).
func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
