package vending

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
)

// Authenticator decides who is calling. It returns the caller's user id, which names the
// user's key prefix and session policy, so it must come from something the caller cannot
// forge: a verified token, a header set by a trusted proxy, a server-issued cookie.
//
// Errors wrapping ErrUnauthenticated are answered 401, ErrForbidden 403 and
// ErrAuthUnavailable 503; any other error 500. Error messages go to the server's log, never to
// the client (the built-in authenticators tell the client why in a few cases where the fix is
// the client's, such as a token valid for too long), and must not contain the credential that
// was presented. Authenticate may set response headers (a cookie, a
// WWW-Authenticate challenge) but must not write the body.
//
// The user id must match [A-Za-z0-9._@-]{1,64} and not be "." or "..": ids outside that set
// are refused with 403, never escaped or truncated, so that two users never share a prefix.
type Authenticator interface {
	Authenticate(w http.ResponseWriter, r *http.Request) (userID string, err error)
}

// AuthenticatorFunc adapts a function to the Authenticator interface.
type AuthenticatorFunc func(w http.ResponseWriter, r *http.Request) (string, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(w http.ResponseWriter, r *http.Request) (string, error) {
	return f(w, r)
}

var (
	// ErrUnauthenticated means the request carries no valid credential (401).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden means the request may not get credentials whatever it carries, e.g. a
	// dev-anonymous request from another machine or for a foreign Host (403).
	ErrForbidden = errors.New("forbidden")
	// ErrAuthUnavailable means the credential could not be checked now, e.g. the JWKS could
	// not be fetched (503).
	ErrAuthUnavailable = errors.New("authentication unavailable")
)

// unauthenticated returns an error wrapping ErrUnauthenticated with a reason for the log.
func unauthenticated(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnauthenticated, fmt.Sprintf(format, args...))
}

// publicError is an authentication error whose message the client is told as well as the
// log: it says what to change, and holds nothing of the credential presented.
type publicError struct {
	kind    error
	message string
}

// Error is the kind and the message.
func (e *publicError) Error() string { return e.kind.Error() + ": " + e.message }

// Unwrap returns the kind (ErrUnauthenticated, …).
func (e *publicError) Unwrap() error { return e.kind }

// unauthenticatedPublic returns an error wrapping ErrUnauthenticated whose message the client
// is told.
func unauthenticatedPublic(format string, args ...any) error {
	return &publicError{kind: ErrUnauthenticated, message: fmt.Sprintf(format, args...)}
}

// forbidden returns an error wrapping ErrForbidden with a reason for the log.
func forbidden(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrForbidden, fmt.Sprintf(format, args...))
}

// userIDPattern is the set of user ids a prefix and a session policy can safely hold.
var userIDPattern = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// checkUserID reports why id cannot name a user's prefix, or nil.
func checkUserID(id string) error {
	if !userIDPattern.MatchString(id) || id == "." || id == ".." {
		return fmt.Errorf("user id %.80q is outside [A-Za-z0-9._@-]{1,64} (or is \".\" or \"..\"): map such ids to safe ones in the identity provider or a custom Authenticator", id)
	}
	return nil
}
