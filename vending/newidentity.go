package vending

import (
	"net/http"
	"time"
)

// identityIssuer is an Authenticator that gives a request without an identity a new one
// (DevAnonymous). Each new identity costs an AssumeRole call on its first GET /sts (STS
// credentials cannot be narrowed after they are issued, so a user's own prefix needs a
// session of its own), and a client that drops the cookie would get one per request. So the
// server takes a token from the client's new-identity limit before one is issued.
type identityIssuer interface {
	Authenticator
	// existing returns the identity the request carries (known), or says that Authenticate
	// would issue a new one; its error is Authenticate's.
	existing(r *http.Request) (user string, known bool, err error)
	// issue gives the request a new identity and returns it.
	issue(w http.ResponseWriter, r *http.Request) string
}

// newIdentityLimited is why a request got no new identity: the client's new-identity limit
// is spent until wait has passed.
type newIdentityLimited struct{ wait time.Duration }

// Error says so.
func (e *newIdentityLimited) Error() string { return "too many new identities from this client" }

// authenticate runs the Authenticator. An identityIssuer issues a new identity only when the
// client's new-identity limit (keyed by ip) has a token at now; otherwise the error is a
// *newIdentityLimited, and nothing is issued.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, ip string, now time.Time) (string, error) {
	issuer, ok := s.cfg.Authenticator.(identityIssuer)
	if !ok {
		return s.cfg.Authenticator.Authenticate(w, r)
	}
	user, known, err := issuer.existing(r)
	if err != nil || known {
		return user, err
	}
	if wait, ok := s.state.newIdentityLimits.allow(ip, now); !ok {
		return "", &newIdentityLimited{wait: wait}
	}
	return issuer.issue(w, r), nil
}
