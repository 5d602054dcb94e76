package vending

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJWTAuthenticationHS256(t *testing.T) {
	h := newHarness(t, nil)
	now := h.clock.Now()
	signed := func(method jwt.SigningMethod, key any, edit func(*jwt.RegisteredClaims)) string {
		claims := jwt.RegisteredClaims{Issuer: testIssuer, Subject: "42", Audience: jwt.ClaimStrings{testAudience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
		if edit != nil {
			edit(&claims)
		}
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		require.NoError(t, err)
		return s
	}
	bearer := func(token string) []string { return []string{"Bearer " + token} }
	cases := []struct {
		name          string
		authorization []string
		status        int
		code          string
		challenge     string
	}{
		{name: "valid", authorization: bearer(h.token("42", nil)), status: http.StatusOK},
		{name: "scheme in lower case", authorization: []string{"bearer " + h.token("42", nil)}, status: http.StatusOK},
		{name: "missing", status: http.StatusUnauthorized, code: CodeUnauthenticated, challenge: `Bearer realm="ossign"`},
		{name: "basic instead of bearer", authorization: []string{"Basic dXNlcjpwYXNz"}, status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "empty bearer", authorization: []string{"Bearer "}, status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "two authorization headers", authorization: []string{"Bearer " + h.token("42", nil), "Bearer " + h.token("43", nil)}, status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "malformed", authorization: bearer("not.a.jwt"), status: http.StatusUnauthorized, code: CodeUnauthenticated, challenge: `error="invalid_token"`},
		{name: "expired", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(-2 * time.Hour))
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour))
		})), status: http.StatusUnauthorized, code: CodeUnauthenticated, challenge: `error="invalid_token"`},
		{name: "expired within the leeway", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-10 * time.Second))
		})), status: http.StatusOK},
		{name: "no expiry", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "wrong signature", authorization: bearer(signed(jwt.SigningMethodHS256, []byte("another-secret-another-secret-another"), nil)), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "wrong audience", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other-app"} })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "audience list containing ours", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other-app", testAudience} })), status: http.StatusOK},
		{name: "no audience", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.Audience = nil })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "wrong issuer", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.Issuer = "https://evil.example.com" })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "not valid yet", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(10 * time.Minute)) })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "issued in the future", authorization: bearer(h.token("42", func(c *jwt.RegisteredClaims) { c.IssuedAt = jwt.NewNumericDate(now.Add(10 * time.Minute)) })), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "alg none", authorization: bearer(signed(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil)), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "HS384 with the right secret", authorization: bearer(signed(jwt.SigningMethodHS384, testSecret, nil)), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "no subject", authorization: bearer(h.token("", nil)), status: http.StatusUnauthorized, code: CodeUnauthenticated},
		{name: "subject with a slash", authorization: bearer(h.token("a/b", nil)), status: http.StatusForbidden, code: CodeInvalidUserID},
		{name: "subject with a wildcard", authorization: bearer(h.token("*", nil)), status: http.StatusForbidden, code: CodeInvalidUserID},
		{name: "subject ..", authorization: bearer(h.token("..", nil)), status: http.StatusForbidden, code: CodeInvalidUserID},
		{name: "subject of 65 characters", authorization: bearer(h.token(strings.Repeat("a", 65), nil)), status: http.StatusForbidden, code: CodeInvalidUserID},
		{name: "email subject", authorization: bearer(h.token("alice@example.com", nil)), status: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, h.http.URL+"/sts", nil)
			require.NoError(t, err)
			for _, v := range tc.authorization {
				req.Header.Add("Authorization", v)
			}
			resp, err := h.http.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			body := decode(t, resp)
			if tc.code != "" {
				assert.Equal(t, tc.code, body["Code"])
			}
			if tc.challenge != "" {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), tc.challenge)
			}
		})
	}
}

func TestJWTConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  JWTConfig
		want string
	}{
		{"no issuer", JWTConfig{HS256Secret: testSecret, Audience: testAudience}, "issuer and an audience"},
		{"no audience", JWTConfig{HS256Secret: testSecret, Issuer: testIssuer}, "issuer and an audience"},
		{"no key", JWTConfig{Issuer: testIssuer, Audience: testAudience}, "HS256 secret"},
		{"both keys", JWTConfig{HS256Secret: testSecret, JWKSURL: "https://idp.example.com/jwks", Issuer: testIssuer, Audience: testAudience}, "not both"},
		{"short secret", JWTConfig{HS256Secret: []byte("short"), Issuer: testIssuer, Audience: testAudience}, "at least 32"},
		{"http JWKS", JWTConfig{JWKSURL: "http://idp.example.com/jwks", Issuer: testIssuer, Audience: testAudience}, "https URL"},
		{"JWKS without host", JWTConfig{JWKSURL: "https:///jwks", Issuer: testIssuer, Audience: testAudience}, "https URL"},
		{"negative leeway", JWTConfig{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Leeway: -time.Second}, "leeway"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := JWT(tc.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	for _, u := range []string{"http://127.0.0.1:1/jwks", "http://localhost:1/jwks", "http://[::1]:1/jwks", "https://idp.example.com/.well-known/jwks.json"} {
		t.Run("accepts "+u, func(t *testing.T) {
			_, err := JWT(JWTConfig{JWKSURL: u, Issuer: testIssuer, Audience: testAudience})
			assert.NoError(t, err)
		})
	}
}

// jwksServer serves a JWKS that tests can change, and counts fetches.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int64
	mu      sync.Mutex
	doc     []byte
	status  int
	hold    func() // when set, called before each answer
}

// newJWKSServer serves keys on 127.0.0.1.
func newJWKSServer(t *testing.T, keys ...map[string]string) *jwksServer {
	s := &jwksServer{status: http.StatusOK}
	s.set(t, keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		hold := s.hold
		s.mu.Unlock()
		if hold != nil {
			hold()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		w.WriteHeader(s.status)
		w.Write(s.doc)
	}))
	t.Cleanup(s.Close)
	return s
}

// set replaces the served keys.
func (s *jwksServer) set(t *testing.T, keys ...map[string]string) {
	doc, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doc = doc
}

// setStatus makes the server answer status.
func (s *jwksServer) setStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// b64 is base64url without padding.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// rsaJWK is the public JWK of k.
func rsaJWK(kid string, k *rsa.PrivateKey) map[string]string {
	return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
}

// ecJWK is the public JWK of k (P-256).
func ecJWK(kid string, k *ecdsa.PrivateKey) map[string]string {
	pub, err := k.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		panic(err)
	}
	return map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64(pub[1:33]), "y": b64(pub[33:])}
}

// signWith signs claims for sub with method and key, naming kid ("" for none).
func signWith(t *testing.T, c *clock, method jwt.SigningMethod, key any, kid, sub string) string {
	now := c.Now()
	tok := jwt.NewWithClaims(method, jwt.RegisteredClaims{Issuer: testIssuer, Subject: sub, Audience: jwt.ClaimStrings{testAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))})
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

// testKeys are signing keys generated once per test binary.
var testKeys = sync.OnceValue(func() (k struct {
	rsa, small     *rsa.PrivateKey
	ec, ec2, ec384 *ecdsa.PrivateKey
}) {
	var errs [5]error
	k.rsa, errs[0] = rsa.GenerateKey(rand.Reader, 2048)
	k.small, errs[1] = rsa.GenerateKey(rand.Reader, 1024)
	k.ec, errs[2] = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k.ec2, errs[3] = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k.ec384, errs[4] = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err := errors.Join(errs[:]...); err != nil {
		panic(err)
	}
	return k
})

func TestJWTAuthenticationJWKS(t *testing.T) {
	keys := testKeys()
	rsaKey, ecKey, rotated := keys.rsa, keys.ec, keys.ec2
	idp := newJWKSServer(t, rsaJWK("rsa-1", rsaKey), ecJWK("ec-1", ecKey))
	h := newHarness(t, func(c *Config) {
		auth, err := JWT(JWTConfig{JWKSURL: idp.URL, Issuer: testIssuer, Audience: testAudience, Now: c.Now})
		require.NoError(t, err)
		c.Authenticator = auth
	})
	// Each step runs in order: the key set, the fetch count and the clock carry over.
	steps := []struct {
		name    string
		before  func()
		token   func() string
		status  int
		fetches int64
	}{
		{name: "RS256 fetches the set once", token: func() string { return signWith(t, h.clock, jwt.SigningMethodRS256, rsaKey, "rsa-1", "42") }, status: http.StatusOK, fetches: 1},
		{name: "ES256 from the cached set", token: func() string { return signWith(t, h.clock, jwt.SigningMethodES256, ecKey, "ec-1", "42") }, status: http.StatusOK, fetches: 1},
		{name: "RS256 signed by the RSA key but naming the EC kid", token: func() string { return signWith(t, h.clock, jwt.SigningMethodRS256, rsaKey, "ec-1", "42") }, status: http.StatusUnauthorized, fetches: 1},
		{name: "HS256 signed with the RSA modulus (algorithm confusion)", token: func() string {
			return signWith(t, h.clock, jwt.SigningMethodHS256, rsaKey.N.Bytes(), "rsa-1", "42")
		}, status: http.StatusUnauthorized, fetches: 1},
		{name: "unknown kid within a minute of the last fetch does not fetch", token: func() string { return signWith(t, h.clock, jwt.SigningMethodES256, rotated, "ec-2", "42") }, status: http.StatusUnauthorized, fetches: 1},
		{name: "rotated key is found by a fetch a minute later", before: func() {
			idp.set(t, rsaJWK("rsa-1", rsaKey), ecJWK("ec-2", rotated))
			h.clock.Advance(time.Minute)
		}, token: func() string { return signWith(t, h.clock, jwt.SigningMethodES256, rotated, "ec-2", "42") }, status: http.StatusOK, fetches: 2},
		{name: "token without kid uses the only ES256 key", token: func() string { return signWith(t, h.clock, jwt.SigningMethodES256, rotated, "", "42") }, status: http.StatusOK, fetches: 2},
		{name: "identity provider down, kid unknown: 503", before: func() {
			idp.setStatus(http.StatusInternalServerError)
			h.clock.Advance(time.Minute)
		}, token: func() string { return signWith(t, h.clock, jwt.SigningMethodES256, ecKey, "ec-1", "42") }, status: http.StatusServiceUnavailable, fetches: 3},
		{name: "identity provider down, stale key kept after an hour", before: func() { h.clock.Advance(time.Hour) },
			token: func() string { return signWith(t, h.clock, jwt.SigningMethodRS256, rsaKey, "rsa-1", "42") }, status: http.StatusOK, fetches: 4},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.before != nil {
				s.before()
			}
			resp := h.request(http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + s.token()}, "")
			assert.Equal(t, s.status, resp.StatusCode)
			assert.Equal(t, s.fetches, idp.fetches.Load(), "JWKS fetches")
		})
	}
}

func TestParseJWKS(t *testing.T) {
	keys := testKeys()
	rsaKey, small, ecKey, p384 := keys.rsa, keys.small, keys.ec, keys.ec384
	with := func(m map[string]string, k, v string) map[string]string {
		out := map[string]string{k: v}
		for kk, vv := range m {
			if kk != k {
				out[kk] = vv
			}
		}
		return out
	}
	offCurve := with(ecJWK("bad", ecKey), "y", b64(make([]byte, 32)))
	p384JWK := map[string]string{"kty": "EC", "kid": "p384", "crv": "P-384", "x": b64(p384.X.Bytes()), "y": b64(p384.Y.Bytes())}
	cases := []struct {
		name string
		keys []map[string]string
		want []string // kid/alg of the usable keys; nil: an error
	}{
		{"RSA and EC", []map[string]string{rsaJWK("r", rsaKey), ecJWK("e", ecKey)}, []string{"r/RS256", "e/ES256"}},
		{"RSA without alg", []map[string]string{with(rsaJWK("r", rsaKey), "alg", "")}, []string{"r/RS256"}},
		{"padded base64", []map[string]string{with(rsaJWK("r", rsaKey), "e", "AQAB==")}, []string{"r/RS256"}},
		{"encryption key skipped", []map[string]string{with(rsaJWK("enc", rsaKey), "use", "enc"), ecJWK("e", ecKey)}, []string{"e/ES256"}},
		{"RS512 skipped", []map[string]string{with(rsaJWK("r", rsaKey), "alg", "RS512"), ecJWK("e", ecKey)}, []string{"e/ES256"}},
		{"1024-bit RSA refused", []map[string]string{rsaJWK("small", small)}, nil},
		{"even exponent refused", []map[string]string{with(rsaJWK("r", rsaKey), "e", b64([]byte{2}))}, nil},
		{"P-384 skipped", []map[string]string{p384JWK}, nil},
		{"point off the curve refused", []map[string]string{offCurve}, nil},
		{"short coordinate refused", []map[string]string{with(ecJWK("e", ecKey), "x", b64([]byte{1}))}, nil},
		{"bad base64 refused", []map[string]string{with(rsaJWK("r", rsaKey), "n", "!!")}, nil},
		{"octet key skipped", []map[string]string{{"kty": "oct", "k": "c2VjcmV0"}}, nil},
		{"empty set", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := json.Marshal(map[string]any{"keys": tc.keys})
			require.NoError(t, err)
			keys, err := parseJWKS(doc)
			if tc.want == nil {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			var got []string
			for _, k := range keys {
				got = append(got, k.kid+"/"+k.alg)
			}
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		_, err := parseJWKS([]byte("<html>"))
		assert.ErrorContains(t, err, "not a JSON object")
	})
}
