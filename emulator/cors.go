package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// CORSRule is a bucket CORS rule, as OSS's PutBucketCors takes it. The emulator applies it to
// every bucket: to preflight (OPTIONS) requests, and to every response to a request whose
// Origin it allows, error responses included (so a page can read OSS's error document).
type CORSRule struct {
	// AllowedOrigins are the allowed Origin values; each may contain one "*" wildcard
	// ("http://*.example.com", or "*" for any origin). None turns CORS off.
	AllowedOrigins []string
	// AllowedMethods are the allowed methods. Default GET, PUT, POST, DELETE, HEAD.
	AllowedMethods []string
	// AllowedHeaders are the request headers a preflight may ask for; each may contain one "*".
	// Default "*".
	AllowedHeaders []string
	// ExposeHeaders are the response headers the page may read. Default ETag,
	// x-oss-request-id, x-oss-hash-crc64ecma, x-oss-version-id, x-oss-ec, and what a Service
	// Worker answering <video> and download links passes on (ossign-sw.js): Content-Range,
	// Accept-Ranges and Content-Disposition.
	ExposeHeaders []string
	// MaxAgeSeconds is how long a browser may cache a preflight answer; 0 sends no
	// Access-Control-Max-Age.
	MaxAgeSeconds int
}

// defaultExposeHeaders are the headers a rule exposes when it names none: what ossign reads
// (ETag, x-oss-request-id, x-oss-hash-crc64ecma, x-oss-version-id, x-oss-ec) and what its
// Service Worker passes on to media elements and downloads.
var defaultExposeHeaders = []string{"ETag", "x-oss-request-id", "x-oss-hash-crc64ecma", "x-oss-version-id", "x-oss-ec",
	"Content-Range", "Accept-Ranges", "Content-Disposition"}

// withDefaults fills in the default methods, headers and exposed headers, and checks the rule.
func (c CORSRule) withDefaults() (CORSRule, error) {
	if len(c.AllowedMethods) == 0 {
		c.AllowedMethods = []string{"GET", "PUT", "POST", "DELETE", "HEAD"}
	}
	if len(c.AllowedHeaders) == 0 {
		c.AllowedHeaders = []string{"*"}
	}
	if len(c.ExposeHeaders) == 0 {
		c.ExposeHeaders = defaultExposeHeaders
	}
	for i, m := range c.AllowedMethods {
		m = strings.ToUpper(m)
		if !slices.Contains([]string{"GET", "PUT", "POST", "DELETE", "HEAD"}, m) {
			return c, fmt.Errorf("emulator: CORS method %q: must be GET, PUT, POST, DELETE or HEAD", m)
		}
		c.AllowedMethods[i] = m
	}
	for _, p := range append(slices.Clone(c.AllowedOrigins), c.AllowedHeaders...) {
		if strings.Count(p, "*") > 1 {
			return c, fmt.Errorf("emulator: CORS pattern %q: at most one * is allowed", p)
		}
	}
	if c.MaxAgeSeconds < 0 {
		return c, fmt.Errorf("emulator: CORS MaxAgeSeconds must not be negative (%d)", c.MaxAgeSeconds)
	}
	return c, nil
}

// allows reports whether a request from origin with method may proceed.
func (c *CORSRule) allows(origin, method string) bool {
	return origin != "" && slices.Contains(c.AllowedMethods, method) &&
		slices.ContainsFunc(c.AllowedOrigins, func(p string) bool { return starMatch(p, origin, false) })
}

// decorate adds the CORS headers of an actual (non-preflight) request whose Origin the rule
// allows.
func (c *CORSRule) decorate(h http.Header, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	h.Add("Vary", "Origin")
	if !c.allows(origin, r.Method) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowedMethods, ", "))
	h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ", "))
	if c.MaxAgeSeconds > 0 {
		h.Set("Access-Control-Max-Age", strconv.Itoa(c.MaxAgeSeconds))
	}
}

// preflight answers an OPTIONS request: 200 with the CORS headers when the rule allows the
// origin, the method and every requested header, else 403 AccessForbidden as OSS does.
func (c *call) preflight() error {
	rule := &c.e.cfg.CORS
	origin := c.r.Header.Get("Origin")
	method := c.r.Header.Get("Access-Control-Request-Method")
	h := c.w.Header()
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	switch {
	case origin == "":
		return newOSSError(http.StatusForbidden, "AccessForbidden",
			"CORSResponse: Insufficient information. Origin request header needed.")
	case method == "":
		return newOSSError(http.StatusForbidden, "AccessForbidden",
			"CORSResponse: Insufficient information. Access-Control-Request-Method request header needed.")
	case c.bucket == "":
		return newOSSError(http.StatusForbidden, "AccessForbidden", "CORSResponse: CORS is configured on buckets only.")
	}
	requested := splitHeaderList(c.r.Header.Get("Access-Control-Request-Headers"))
	headersOK := !slices.ContainsFunc(requested, func(name string) bool {
		return !slices.ContainsFunc(rule.AllowedHeaders, func(p string) bool { return starMatch(p, name, true) })
	})
	if !rule.allows(origin, method) || !headersOK {
		return newOSSError(http.StatusForbidden, "AccessForbidden",
			"CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "+
				"request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted "+
				"by the resource's CORS spec.")
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(requested) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(requested, ", "))
	}
	h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	if rule.MaxAgeSeconds > 0 {
		h.Set("Access-Control-Max-Age", strconv.Itoa(rule.MaxAgeSeconds))
	}
	h.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// splitHeaderList splits a comma-separated header list into trimmed, lower-cased names.
func splitHeaderList(v string) []string {
	var out []string
	for _, name := range strings.Split(v, ",") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// starMatch matches s against a pattern with at most one "*" standing for any run of
// characters, case-insensitively when fold is set.
func starMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	prefix, suffix, found := strings.Cut(pattern, "*")
	if !found {
		return pattern == s
	}
	return len(s) >= len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix)
}
