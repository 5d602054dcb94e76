package emulator

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// stsKeyPrefix starts every temporary AccessKey id, as Alibaba Cloud's do.
const stsKeyPrefix = "STS."

// sessionClaims is what an emulator STS security token carries. The token is
// base64url(JSON claims) + "." + base64url(HMAC-SHA256 of that), keyed by a key derived from
// the root secret: the OSS side trusts a token only if the emulator minted it, so the expiry
// and session policy inside cannot be altered.
type sessionClaims struct {
	AccessKeyID string `json:"ak"`
	IssuedAt    int64  `json:"iat"`
	Expires     int64  `json:"exp"`
	RoleARN     string `json:"role"`
	SessionName string `json:"session"`
	// Policy is the session policy, verbatim; empty when AssumeRole had none.
	Policy string `json:"policy,omitempty"`
}

// tokenIssuer mints and checks security tokens and derives temporary secrets.
type tokenIssuer struct{ key []byte }

// errBadToken is a token the emulator did not mint (or that was altered).
var errBadToken = errors.New("emulator: security token not minted by this emulator")

// newTokenIssuer derives the token key from the root secret, so that an emulator restarted
// with the same root key accepts the tokens it issued before.
func newTokenIssuer(rootSecret string) tokenIssuer {
	return tokenIssuer{key: hmacSHA256([]byte(rootSecret), "ossign emulator: STS token key")}
}

// mac is HMAC-SHA256(key, purpose NUL data).
func (t tokenIssuer) mac(purpose, data string) []byte {
	return hmacSHA256(t.key, purpose+"\x00"+data)
}

// issue gives claims a fresh temporary AccessKey id and returns the claims, the key's secret
// and the security token.
func (t tokenIssuer) issue(claims sessionClaims) (sessionClaims, string, string) {
	claims.AccessKeyID = stsKeyPrefix + randomAlnum(24)
	payload, _ := json.Marshal(claims)
	p := base64.RawURLEncoding.EncodeToString(payload)
	token := p + "." + base64.RawURLEncoding.EncodeToString(t.mac("token", p))
	return claims, t.secretFor(claims.AccessKeyID), token
}

// secretFor derives the secret of a temporary AccessKey id.
func (t tokenIssuer) secretFor(accessKeyID string) string {
	return base64.RawURLEncoding.EncodeToString(t.mac("secret", accessKeyID))
}

// parse checks a token's MAC and returns its claims.
func (t tokenIssuer) parse(token string) (*sessionClaims, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errBadToken
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, t.mac("token", p)) {
		return nil, errBadToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return nil, errBadToken
	}
	var c sessionClaims
	if err := json.Unmarshal(payload, &c); err != nil || !strings.HasPrefix(c.AccessKeyID, stsKeyPrefix) {
		return nil, errBadToken
	}
	return &c, nil
}
