//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/ossign/ossign/signer"
)

// codeVendingRejected is the error code of a vending response whose Code is not "Success":
// the server answered, and said no (unlike VendingFailed, nothing to retry).
const codeVendingRejected signer.ErrorCode = "VendingRejected"

// credentialsFrom reads credentials from a parsed vending or STS response. Field names follow
// the credentials-go URI format (AccessKeyId, AccessKeySecret, SecurityToken, Expiration), the
// STS AssumeRole response (the same inside "Credentials"), or ali-oss's camelCase
// (accessKeyId, accessKeySecret, stsToken or securityToken, expiration).
func credentialsFrom(v js.Value) (signer.Credentials, error) {
	if v.Type() != js.TypeObject {
		return signer.Credentials{}, &signer.Error{Code: signer.CodeMissingCredentials, Message: "the credentials are not an object"}
	}
	if code := str(v, "Code"); code != "" && code != "Success" {
		return signer.Credentials{}, &signer.Error{Code: codeVendingRejected,
			Message: "the vending endpoint answered Code " + code + ": " + str(v, "Message")}
	}
	if nested := v.Get("Credentials"); nested.Type() == js.TypeObject {
		v = nested
	}
	c := signer.Credentials{
		AccessKeyID:     firstString(v, "AccessKeyId", "accessKeyId"),
		AccessKeySecret: firstString(v, "AccessKeySecret", "accessKeySecret"),
		SecurityToken:   firstString(v, "SecurityToken", "securityToken", "stsToken"),
	}
	// Without an Expiration (static STS credentials, as ali-oss takes them) the credentials are
	// used as they are: never refreshed by time, and URLs are not clamped to them.
	if exp := firstString(v, "Expiration", "expiration"); exp != "" {
		t, err := signer.ParseExpiration(exp)
		if err != nil {
			return c, err
		}
		c.Expiration = t
	}
	return c, nil
}

func firstString(v js.Value, names ...string) string {
	for _, n := range names {
		if s := str(v, n); s != "" {
			return s
		}
	}
	return ""
}
