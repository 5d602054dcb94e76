package vending

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// DefaultJWTLeeway is the clock skew tolerated in exp, nbf and iat.
	DefaultJWTLeeway = 30 * time.Second
	// DefaultMaxTokenAge is the longest a JWT may be valid by default: a day. A bearer token
	// that leaks is useful until it expires, and sessions usually refresh their tokens hourly.
	DefaultMaxTokenAge = 24 * time.Hour
	// minHS256SecretBytes is the shortest HS256 secret accepted (RFC 7518 §3.2: at least
	// the hash size).
	minHS256SecretBytes = 32
	// maxBearerBytes bounds the token parsed, so a huge header costs nothing.
	maxBearerBytes = 16 << 10
)

// JWTConfig configures the JWT bearer Authenticator. Exactly one of HS256Secret and JWKSURL
// is set; Issuer and Audience are required.
type JWTConfig struct {
	// HS256Secret verifies HS256 tokens. At least 32 bytes.
	HS256Secret []byte
	// JWKSURL is the identity provider's JSON Web Key Set, for RS256 and ES256 (P-256)
	// tokens: https, or http to a loopback address. Keys are fetched on first use, cached by
	// "kid", re-fetched after an hour or when a token names an unknown kid (at most once a
	// minute after a successful fetch, once a second after a failed one). Requests that
	// arrive while a fetch is in flight wait for it (at most 5 s).
	JWKSURL string
	// Issuer is the required "iss" claim.
	Issuer string
	// Audience is the "aud" value that must be present: tokens minted for other
	// applications of the same identity provider are refused.
	Audience string
	// Leeway is the clock skew tolerated in exp, nbf and iat. Default DefaultJWTLeeway.
	Leeway time.Duration
	// MaxTokenAge is the longest a token may be valid: exp − iat, or, for a token without
	// iat, exp − now (plus Leeway). A longer-lived token is refused (401) with a message that
	// names --max-token-age. Default DefaultMaxTokenAge.
	MaxTokenAge time.Duration
	// HTTPClient fetches the JWKS. Default: a client of its own with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock tokens are checked against. Default time.Now.
	Now func() time.Time
}

// jwtAuth authenticates "Authorization: Bearer <JWT>"; the user id is the "sub" claim.
type jwtAuth struct {
	parser      *jwt.Parser
	secret      []byte
	keys        *jwks
	description string
	maxAge      time.Duration // MaxTokenAge
	leeway      time.Duration
	now         func() time.Time
}

// JWT returns an Authenticator for "Authorization: Bearer <JWT>" requests: the signature is
// checked (HS256 with a shared secret, or RS256/ES256 with the keys of a JWKS), then iss,
// aud and exp (required), nbf and iat, with a small leeway, and the token's lifetime (at most
// MaxTokenAge). The user id is the "sub" claim.
func JWT(cfg JWTConfig) (Authenticator, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("vending: JWT needs both an issuer and an audience (--jwt-issuer, --jwt-audience), so that only tokens minted for this server are accepted")
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = DefaultJWTLeeway
	}
	if cfg.Leeway < 0 || cfg.Leeway > 5*time.Minute {
		return nil, fmt.Errorf("vending: JWT leeway %v: must be from 0 to 5m", cfg.Leeway)
	}
	if cfg.MaxTokenAge == 0 {
		cfg.MaxTokenAge = DefaultMaxTokenAge
	}
	if cfg.MaxTokenAge < 0 {
		return nil, fmt.Errorf("vending: JWT max token age %v (--max-token-age, OSSIGN_MAX_TOKEN_AGE): must be positive", cfg.MaxTokenAge)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &jwtAuth{maxAge: cfg.MaxTokenAge, leeway: cfg.Leeway, now: cfg.Now}
	var methods []string
	switch {
	case len(cfg.HS256Secret) > 0 && cfg.JWKSURL != "":
		return nil, errors.New("vending: JWT takes an HS256 secret or a JWKS URL, not both")
	case len(cfg.HS256Secret) > 0:
		if len(cfg.HS256Secret) < minHS256SecretBytes {
			return nil, fmt.Errorf("vending: the JWT HS256 secret has %d bytes: use at least %d random bytes", len(cfg.HS256Secret), minHS256SecretBytes)
		}
		a.secret = append([]byte(nil), cfg.HS256Secret...)
		methods = []string{jwt.SigningMethodHS256.Alg()}
		a.description = "JWT HS256"
	case cfg.JWKSURL != "":
		keys, err := newJWKS(cfg.JWKSURL, cfg.HTTPClient, cfg.Now)
		if err != nil {
			return nil, err
		}
		a.keys = keys
		methods = []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()}
		a.description = "JWT JWKS " + cfg.JWKSURL
	default:
		return nil, errors.New("vending: JWT needs an HS256 secret (--jwt-hs256-secret-file or env OSSIGN_JWT_HS256_SECRET) or a JWKS URL (--jwt-jwks-url)")
	}
	a.description += fmt.Sprintf(" (issuer %q, audience %q, max token age %v)", cfg.Issuer, cfg.Audience, cfg.MaxTokenAge)
	a.parser = jwt.NewParser(
		jwt.WithValidMethods(methods),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
	)
	return a, nil
}

// String describes the authenticator for the startup log.
func (a *jwtAuth) String() string { return a.description }

// Authenticate verifies the bearer token and returns its subject.
func (a *jwtAuth) Authenticate(w http.ResponseWriter, r *http.Request) (string, error) {
	raw, err := bearerToken(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ossign"`)
		return "", err
	}
	var claims jwt.RegisteredClaims
	_, err = a.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if a.keys == nil {
			return a.secret, nil
		}
		kid, _ := t.Header["kid"].(string)
		return a.keys.key(r.Context(), kid, t.Method.Alg())
	})
	if errors.Is(err, ErrAuthUnavailable) {
		return "", err
	}
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ossign", error="invalid_token"`)
		return "", unauthenticated("invalid JWT: %v", err)
	}
	if claims.Subject == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ossign", error="invalid_token"`)
		return "", unauthenticated("the JWT has no sub claim")
	}
	if err := a.checkLifetime(claims); err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ossign", error="invalid_token"`)
		return "", err
	}
	return claims.Subject, nil
}

// checkLifetime refuses a token valid for longer than maxAge: exp − iat, or exp − now beyond
// the leeway when it has no iat (a token whose issue time is unknown may be used until exp).
// Checking the lifetime rather than the age alone (now − iat) also refuses a ten-year token
// minted a second ago, and a backdated iat cannot hide a long exp.
func (a *jwtAuth) checkLifetime(c jwt.RegisteredClaims) error {
	exp := c.ExpiresAt.Time // required by the parser
	valid, how := exp.Sub(a.now()), "expires in %v and has no iat"
	limit := a.maxAge + a.leeway
	if c.IssuedAt != nil {
		valid, how = exp.Sub(c.IssuedAt.Time), "is valid for %v (exp − iat)"
		limit = a.maxAge
	}
	if valid <= limit {
		return nil
	}
	return unauthenticatedPublic("the token "+how+", longer than the %v this server accepts (--max-token-age): ask the identity provider for tokens that expire sooner",
		valid.Round(time.Second), a.maxAge)
}

// ready reports whether the JWKS, if any, is loaded, loading it when it is not.
func (a *jwtAuth) ready(ctx context.Context) error {
	if a.keys == nil {
		return nil
	}
	return a.keys.ready(ctx)
}

// bearerToken returns the token of the request's one "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, error) {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "", unauthenticated("no Authorization header")
	case len(values) > 1:
		return "", unauthenticated("more than one Authorization header")
	}
	scheme, token, _ := strings.Cut(values[0], " ")
	token = strings.TrimSpace(token)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return "", unauthenticated("the Authorization header is not a Bearer token")
	case token == "":
		return "", unauthenticated("the Authorization header has an empty Bearer token")
	case len(token) > maxBearerBytes:
		return "", unauthenticated("the Bearer token has %d bytes, more than %d", len(token), maxBearerBytes)
	}
	return token, nil
}
