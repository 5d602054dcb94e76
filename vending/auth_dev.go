package vending

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// DevCookie is the cookie that holds a browser's anonymous id in DevAnonymous mode.
const DevCookie = "ossign_dev"

// devIDBytes is the size of the random id of a browser.
const devIDBytes = 16

// devAnonymous gives each browser a random id kept in a cookie the server signed.
type devAnonymous struct {
	key     []byte // HMAC-SHA256 key of the cookie, random per process
	trusted []netip.Prefix
}

// DevAnonymous returns an Authenticator for local development: a browser without a valid
// ossign_dev cookie gets a new random 128-bit id in one, signed with a key of this
// Authenticator's own (so only ids this process issued are accepted; a restart issues new
// ones), and its user id is derived from that id: the first 32 hex digits of its SHA-256.
// The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure when the request came over TLS or
// through one of trustedProxies saying X-Forwarded-Proto: https. The cookie is a bearer
// secret and never appears in logs, keys or policies; the derived id does.
//
// Anyone who can reach the server gets credentials, so it serves only what cannot come from
// another machine: a server using it listens on a loopback address only (see Server.Listen),
// and it refuses (ErrForbidden) a request from a non-loopback peer or for a Host that is not a
// loopback name (localhost, *.localhost, a loopback IP), which a DNS-rebinding page would
// send.
func DevAnonymous(trustedProxies ...netip.Prefix) Authenticator {
	return &devAnonymous{key: randomBytes(sha256.Size), trusted: trustedProxies}
}

// String describes the authenticator for the startup log.
func (*devAnonymous) String() string {
	return "dev-anonymous (a random id per browser, no authentication)"
}

// loopbackOnly says why the server must listen on a loopback address.
func (*devAnonymous) loopbackOnly() string {
	return "--dev-anonymous gives credentials to anyone who can connect, so it listens on a loopback address only (127.0.0.1:PORT)"
}

// Authenticate returns the id of the request's cookie, issuing a new one when it has none
// this process signed.
func (a *devAnonymous) Authenticate(w http.ResponseWriter, r *http.Request) (string, error) {
	user, known, err := a.existing(r)
	if err != nil || known {
		return user, err
	}
	return a.issue(w, r), nil
}

// existing returns the id of the request's cookie when this process signed it (known), after
// refusing requests from other machines and for foreign Host names.
func (a *devAnonymous) existing(r *http.Request) (user string, known bool, err error) {
	peer, ok := peerAddr(r)
	switch {
	case !ok || !peer.IsLoopback():
		return "", false, forbidden("dev-anonymous answers loopback clients only (peer %s)", r.RemoteAddr)
	case !isLoopbackName(r.Host):
		return "", false, forbidden("dev-anonymous answers loopback host names only, not Host %.80q (DNS rebinding?)", r.Host)
	}
	if c, err := r.Cookie(DevCookie); err == nil {
		if id, ok := a.verify(c.Value); ok {
			return devUserID(id), true, nil
		}
	}
	return "", false, nil
}

// issue gives the request a new random id in a signed cookie and returns its user id.
func (a *devAnonymous) issue(w http.ResponseWriter, r *http.Request) string {
	peer, _ := peerAddr(r)
	id := randomHex(devIDBytes)
	http.SetCookie(w, &http.Cookie{
		Name:     DevCookie,
		Value:    id + "." + a.mac(id),
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   r.TLS != nil || containsAddr(a.trusted, peer) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"),
	})
	return devUserID(id)
}

// mac is the hex HMAC-SHA256 of id under the process's key.
func (a *devAnonymous) mac(id string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}

// verify returns the id of a cookie value "<id>.<mac>" when this process signed it.
func (a *devAnonymous) verify(value string) (string, bool) {
	id, mac, ok := strings.Cut(value, ".")
	if !ok || len(id) != 2*devIDBytes {
		return "", false
	}
	return id, hmac.Equal([]byte(mac), []byte(a.mac(id)))
}

// devUserID derives the user id of a cookie's id.
func devUserID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// isLoopbackName reports whether a Host header names this machine: localhost, a subdomain of
// localhost (browsers resolve them to loopback themselves), or a loopback IP, with or without
// a port.
func isLoopbackName(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return isLoopbackHost(strings.Trim(host, "[]")) || strings.HasSuffix(host, ".localhost")
}
