package vending

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
)

// DevCookie is the cookie that holds a browser's anonymous id in DevAnonymous mode.
const DevCookie = "ossign_dev"

// devIDPattern is the cookie value DevAnonymous issues: 128 random bits in hex.
var devIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// devAnonymous gives each browser a random id kept in a cookie.
type devAnonymous struct{}

// DevAnonymous returns an Authenticator for local development: a browser without a valid
// ossign_dev cookie gets a new random 128-bit value in one (HttpOnly, SameSite=Lax, Path=/,
// Secure over TLS), and its user id is derived from that value: the first 32 hex digits of
// its SHA-256. The cookie is a bearer secret and never appears in logs, keys or policies;
// the derived id does. Anyone who can reach the server gets credentials, so New logs a
// warning; never use it for a server others can reach.
func DevAnonymous() Authenticator { return devAnonymous{} }

// String describes the authenticator for the startup log.
func (devAnonymous) String() string {
	return "dev-anonymous (a random id per browser, no authentication)"
}

// Authenticate returns the cookie's id, issuing a new one when there is none.
func (devAnonymous) Authenticate(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(DevCookie); err == nil && devIDPattern.MatchString(c.Value) {
		return devUserID(c.Value), nil
	}
	value := randomHex(16)
	http.SetCookie(w, &http.Cookie{
		Name:     DevCookie,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   r.TLS != nil,
	})
	return devUserID(value), nil
}

// devUserID derives the user id of a cookie value.
func devUserID(cookie string) string {
	sum := sha256.Sum256([]byte(cookie))
	return hex.EncodeToString(sum[:16])
}
