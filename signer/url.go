package signer

import (
	"slices"
	"strings"
)

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

// appendHost appends the Host the request is sent to.
func appendHost(dst []byte, e *endpoint, bucket string) []byte {
	if e.addressing == virtualHosted && bucket != "" {
		dst = append(dst, bucket...)
		dst = append(dst, '.')
	}
	return append(dst, e.host...)
}

// resourcePath is the decoded path both versions sign (§0): "/", "/bucket/" or "/bucket/key".
func resourcePath(bucket, key string) string {
	if bucket == "" {
		return "/"
	}
	return "/" + bucket + "/" + key
}

// encodedParam is a query parameter with name and value already UriEncode(·, false)d.
type encodedParam struct {
	name, value string
}

// encodeParams encodes q and leaves room for extra parameters.
func encodeParams(q []Param, extra int) []encodedParam {
	out := make([]encodedParam, len(q), len(q)+extra)
	for i, p := range q {
		out[i] = encodedParam{URIEncode(p.Name, false), URIEncode(p.Value, false)}
	}
	return out
}

// sortParams orders parameters by encoded name, byte-wise.
func sortParams(ps []encodedParam) {
	slices.SortFunc(ps, func(a, b encodedParam) int { return strings.Compare(a.name, b.name) })
}

// appendQuery joins parameters as name=value, or the bare name when the value is empty.
func appendQuery(dst []byte, ps []encodedParam) []byte {
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.name...)
		if p.value != "" {
			dst = append(dst, '=')
			dst = append(dst, p.value...)
		}
	}
	return dst
}
