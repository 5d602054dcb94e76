package vending

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// corsPolicy answers CORS for an exact allow-list of origins.
type corsPolicy struct {
	origins map[string]bool
}

// newCORS checks and normalizes the allowed origins: scheme://host[:port] in lower case,
// without a default port, a path or a wildcard.
func newCORS(origins []string) (*corsPolicy, error) {
	c := &corsPolicy{origins: make(map[string]bool, len(origins))}
	for _, o := range origins {
		u, err := url.Parse(strings.ToLower(strings.TrimSuffix(strings.TrimSpace(o), "/")))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.Contains(u.Host, "*") {
			return nil, fmt.Errorf("vending: allowed origin %q (--allowed-origins, OSSIGN_ALLOWED_ORIGINS): must be an exact origin scheme://host[:port] such as \"https://app.example.com\"; wildcards are not allowed, as responses carry credentials", o)
		}
		host := u.Host
		if u.Scheme == "https" {
			host = strings.TrimSuffix(host, ":443")
		} else {
			host = strings.TrimSuffix(host, ":80")
		}
		c.origins[u.Scheme+"://"+host] = true
	}
	return c, nil
}

// wrap answers CORS around next. Every answer varies by Origin. A request from an allowed
// origin gets Access-Control-Allow-Origin (that origin) and -Credentials; its preflight is
// answered 204 here. A request from another origin gets no CORS headers, and deny answers it
// when it is a preflight or carries credentials (a cookie or an Authorization header).
func (c *corsPolicy) wrap(next http.Handler, deny http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		switch {
		case origin == "":
			next.ServeHTTP(w, r)
		case !c.origins[origin]:
			if preflight || r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
				deny(w, r)
				return
			}
			next.ServeHTTP(w, r)
		case preflight:
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
		default:
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", "Retry-After, X-Request-Id")
			next.ServeHTTP(w, r)
		}
	})
}

// String lists the allowed origins for the startup log.
func (c *corsPolicy) String() string {
	return strings.Join(slices.Sorted(maps.Keys(c.origins)), " ")
}
