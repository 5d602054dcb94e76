package vending

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// DefaultProxyUserHeader is the header ProxyHeader reads by default.
const DefaultProxyUserHeader = "X-Forwarded-User"

// ProxyHeaderConfig configures the reverse-proxy Authenticator.
type ProxyHeaderConfig struct {
	// Header carries the user id set by the proxy. Default DefaultProxyUserHeader.
	Header string
	// TrustedProxies are the addresses the header is accepted from. Empty: from loopback
	// peers only (a proxy on the same machine), and a server using it listens on a loopback
	// address only (see Server.Listen).
	TrustedProxies []netip.Prefix
}

// proxyAuth trusts a user header set by an authenticating reverse proxy.
type proxyAuth struct {
	header  string
	trusted []netip.Prefix
}

// ProxyHeader returns an Authenticator for a server behind an authenticating reverse proxy
// (oauth2-proxy, an API gateway, …) that puts the user id in a header. The proxy must remove
// that header from the requests it receives from clients, or anyone could claim any id; list
// the proxy's addresses in TrustedProxies so a request that bypasses it is refused.
func ProxyHeader(cfg ProxyHeaderConfig) (Authenticator, error) {
	if cfg.Header == "" {
		cfg.Header = DefaultProxyUserHeader
	}
	if !isHTTPToken(cfg.Header) {
		return nil, fmt.Errorf("vending: proxy user header %q (--proxy-user-header) is not a header name", cfg.Header)
	}
	switch strings.ToLower(cfg.Header) {
	case "authorization", "cookie", "origin", "host":
		return nil, errors.New("vending: the proxy user header must be a header of its own, such as " + DefaultProxyUserHeader)
	}
	return &proxyAuth{header: http.CanonicalHeaderKey(cfg.Header), trusted: cfg.TrustedProxies}, nil
}

// String describes the authenticator for the startup log.
func (a *proxyAuth) String() string {
	if len(a.trusted) == 0 {
		return "proxy header " + a.header + " from loopback peers"
	}
	return fmt.Sprintf("proxy header %s from %v", a.header, a.trusted)
}

// loopbackOnly says why the server must listen on a loopback address, or "" when it may
// listen anywhere.
func (a *proxyAuth) loopbackOnly() string {
	if len(a.trusted) > 0 {
		return ""
	}
	return "--proxy-user-header without --trusted-proxies would take the user id from anyone who can connect: " +
		"list the proxy's addresses in --trusted-proxies (ProxyHeaderConfig.TrustedProxies), " +
		"or listen on a loopback address (127.0.0.1:PORT) behind a proxy on the same machine"
}

// Authenticate returns the header's value when the request comes from a trusted proxy, or
// from a loopback peer when no proxy is listed.
func (a *proxyAuth) Authenticate(_ http.ResponseWriter, r *http.Request) (string, error) {
	peer, ok := peerAddr(r)
	trusted := ok && containsAddr(a.trusted, peer) || len(a.trusted) == 0 && ok && peer.IsLoopback()
	if !trusted {
		return "", unauthenticated("the request did not come through a trusted proxy (peer %s)", r.RemoteAddr)
	}
	values := r.Header.Values(a.header)
	switch {
	case len(values) == 0 || values[0] == "":
		return "", unauthenticated("no %s header", a.header)
	case len(values) > 1:
		return "", unauthenticated("more than one %s header", a.header)
	}
	return values[0], nil
}

// isHTTPToken reports whether s is a non-empty RFC 9110 token.
func isHTTPToken(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}
