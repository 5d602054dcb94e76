package signer

import "time"

// Credentials are the keys a request is signed with: a long-term AccessKey (no token, no
// expiry) or STS temporary credentials (AccessKeyId "STS.…", a SecurityToken and an Expiration).
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	// SecurityToken is the STS token; empty for a long-term AccessKey.
	SecurityToken string
	// Expiration is when STS credentials stop working; the zero time means never.
	Expiration time.Time
}

// Validate reports whether the credentials can sign a request at now: both keys present and
// printable, an STS AccessKeyId paired with its token, and not expired. Its messages name the
// problem without repeating any key.
func (c *Credentials) Validate(now time.Time) error {
	if err := c.checkFormat(); err != nil {
		return err
	}
	return c.checkExpiry(now)
}

// checkFormat is Validate without the expiry.
func (c *Credentials) checkFormat() error {
	switch {
	case c.AccessKeyID == "":
		return newError(CodeMissingCredentials, "no AccessKeyId: sign with the credentials your vending endpoint returned")
	case c.AccessKeySecret == "":
		return newError(CodeMissingCredentials, "no AccessKeySecret: sign with the credentials your vending endpoint returned")
	case !isToken(c.AccessKeyID):
		return newError(CodeInvalidCredentials, "the AccessKeyId contains spaces or non-printable characters")
	case !isToken(c.AccessKeySecret):
		return newError(CodeInvalidCredentials, "the AccessKeySecret contains spaces or non-printable characters")
	case c.SecurityToken != "" && !isToken(c.SecurityToken):
		return newError(CodeInvalidCredentials, "the SecurityToken contains spaces or non-printable characters")
	case c.SecurityToken == "" && len(c.AccessKeyID) > 4 && c.AccessKeyID[:4] == "STS.":
		return newError(CodeInvalidCredentials, "the AccessKeyId is an STS key (\"STS.…\") but no SecurityToken came with it")
	}
	return nil
}

// checkExpiry is Validate's expiry check alone.
func (c *Credentials) checkExpiry(now time.Time) error {
	if c.Expired(now) {
		return newError(CodeExpiredCredentials, "the credentials expired at ", formatRFC3339(c.Expiration),
			" (signing time ", formatRFC3339(now), "): fetch new ones before signing")
	}
	return nil
}

// Expired reports whether the credentials have an expiry and it is not after now.
func (c *Credentials) Expired(now time.Time) bool {
	return !c.Expiration.IsZero() && !now.Before(c.Expiration)
}

// isToken reports whether s is non-empty printable ASCII without spaces.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return s != ""
}
