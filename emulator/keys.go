package emulator

import (
	"net/http"
	"strings"
	"time"
)

// principal is who signed a request.
type principal struct {
	accessKeyID string
	// session is the STS session of a temporary key; nil for the root key.
	session *session
}

// session is the STS session a temporary key belongs to.
type session struct {
	claims *sessionClaims
	// policy is the session policy; nil when the token has none (the role's rights: all).
	policy *ramPolicy
}

// credentialsFor resolves an AccessKey id, and the security token sent with it, to the
// principal and the secret its signature must be made with. A temporary (STS.) key needs its
// token, which must be one this emulator minted for that key and not yet expired.
func (e *Emulator) credentialsFor(accessKeyID, token string, now time.Time) (*principal, string, error) {
	switch {
	case accessKeyID == e.cfg.RootAccessKeyID:
		if token != "" {
			return nil, "", errInvalidSecurityToken("A security token was sent with a long-term AccessKeyId; send it only with the STS AccessKeyId it was issued with.")
		}
		return &principal{accessKeyID: accessKeyID}, e.cfg.RootAccessKeySecret, nil
	case !strings.HasPrefix(accessKeyID, stsKeyPrefix):
		return nil, "", errInvalidAccessKeyID(accessKeyID, "The OSS Access Key Id you provided does not exist in our records.")
	case token == "":
		return nil, "", errInvalidAccessKeyID(accessKeyID,
			"The OSS Access Key Id you provided does not exist in our records: an STS AccessKeyId is only valid "+
				"with its security token (x-oss-security-token, or security-token in a V1 signed URL).")
	}
	claims, err := e.tokens.parse(token)
	if err != nil {
		return nil, "", errInvalidSecurityToken("The security token you provided is invalid.").withEC("0002-00000006")
	}
	if claims.AccessKeyID != accessKeyID {
		return nil, "", errInvalidSecurityToken("The security token you provided does not belong to this AccessKeyId.").withEC("0002-00000004")
	}
	if !now.Before(time.Unix(claims.Expires, 0)) {
		return nil, "", newOSSError(http.StatusForbidden, "SecurityTokenExpired", "The security token you provided has expired.").
			with("Expiration", time.Unix(claims.Expires, 0).UTC().Format(time.RFC3339)).
			with("ServerTime", now.UTC().Format(time.RFC3339)).withEC("0002-00000007")
	}
	s := &session{claims: claims}
	if claims.Policy != "" {
		if s.policy, err = parseRAMPolicy(claims.Policy); err != nil {
			return nil, "", errInvalidSecurityToken("The security token you provided is invalid.").withEC("0002-00000006")
		}
	}
	return &principal{accessKeyID: accessKeyID, session: s}, e.tokens.secretFor(accessKeyID), nil
}

// errInvalidAccessKeyID is 403 InvalidAccessKeyId.
func errInvalidAccessKeyID(accessKeyID, message string) *ossError {
	return newOSSError(http.StatusForbidden, "InvalidAccessKeyId", message).with("OSSAccessKeyId", accessKeyID)
}

// errInvalidSecurityToken is 403 InvalidSecurityToken.
func errInvalidSecurityToken(message string) *ossError {
	return newOSSError(http.StatusForbidden, "InvalidSecurityToken", message)
}
