package wire

import (
	"errors"
	"time"

	"github.com/ossign/ossign/signer"
)

// credentialsJSON holds the credential fields as Alibaba Cloud spells them: at the top level of
// a vending response, in the Credentials object of an AssumeRole response.
type credentialsJSON struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

// source names a document in error messages, and the path of its credential fields.
type source struct {
	doc  string // "vending response"
	path string // prefix of the credential field names: "" or "Credentials."
}

var (
	vendingSource    = source{doc: "vending response"}
	assumeRoleSource = source{doc: "AssumeRole response", path: "Credentials."}
)

// credentials checks j for shape and converts it. AccessKeyId and AccessKeySecret are
// required, SecurityToken too when temporary, and Expiration whenever there is a token. The
// Expiration is RFC 3339: UTC with "Z" as credentials-go requires, or (leniently) with an
// explicit offset, converted to UTC; fractional seconds are accepted. Expiry is not checked.
func (j *credentialsJSON) credentials(src source, temporary bool) (signer.Credentials, error) {
	missing := ""
	switch {
	case j.AccessKeyID == "":
		missing = "AccessKeyId"
	case j.AccessKeySecret == "":
		missing = "AccessKeySecret"
	case temporary && j.SecurityToken == "":
		missing = "SecurityToken"
	case j.SecurityToken != "" && j.Expiration == "":
		missing = "Expiration"
	}
	if missing != "" {
		return signer.Credentials{}, newError(signer.CodeMissingCredentials, "%s has no %s%s", src.doc, src.path, missing)
	}
	c := signer.Credentials{AccessKeyID: j.AccessKeyID, AccessKeySecret: j.AccessKeySecret, SecurityToken: j.SecurityToken}
	if j.Expiration != "" {
		t, err := signer.ParseExpiration(j.Expiration)
		if err != nil || t.IsZero() {
			return signer.Credentials{}, newError(signer.CodeInvalidCredentials,
				"%s: %sExpiration %q is not an RFC 3339 time such as \"2026-01-01T00:15:00Z\"", src.doc, src.path, j.Expiration)
		}
		c.Expiration = t.UTC()
	}
	// Validating just before the expiration applies signer's structural checks (printable
	// keys, an STS key paired with its token) and never the expiry check.
	if err := c.Validate(c.Expiration.Add(-time.Nanosecond)); err != nil {
		var e *signer.Error
		if errors.As(err, &e) {
			return signer.Credentials{}, newError(e.Code, "%s: %s", src.doc, e.Message)
		}
		return signer.Credentials{}, err
	}
	return c, nil
}
