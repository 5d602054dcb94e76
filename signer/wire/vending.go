package wire

import (
	"encoding/json"

	"github.com/ossign/ossign/signer"
)

// Vending is a parsed token-vending response (spec sts-and-vending.md §5.4): the credentials
// to sign with and where they may be used.
type Vending struct {
	// Credentials are the keys the response carries: normally STS credentials with a token
	// and an Expiration, possibly a long-term AccessKey (no token; development only).
	Credentials signer.Credentials
	// Bucket is the bucket the credentials are scoped to; empty when the server does not say.
	Bucket string
	// Region is the bucket's region id, such as "cn-hangzhou"; empty when not given.
	Region string
	// Endpoint is the OSS endpoint to use instead of the region's default; usually empty.
	Endpoint string
	// Prefix is the key prefix the credentials may write under, such as "users/42/".
	Prefix string
}

// vendingJSON is the flat vending body: the credentials-URI fields of credentials-go (§2.3)
// plus where the credentials may be used.
type vendingJSON struct {
	Code            string `json:"Code"`
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
	Bucket          string `json:"Bucket"`
	Region          string `json:"Region"`
	Endpoint        string `json:"Endpoint"`
	Prefix          string `json:"Prefix"`
	// Message explains a failure (Code other than "Success").
	Message string `json:"Message,omitempty"`
}

// ExpirationLayout is how a vending response writes Expiration: UTC with a literal Z, the only
// form credentials-go's credentials-URI provider parses.
const ExpirationLayout = "2006-01-02T15:04:05Z"

// MarshalJSON writes v as a successful flat vending body, the form ParseVending reads.
func (v Vending) MarshalJSON() ([]byte, error) {
	return json.Marshal(vendingJSON{
		Code:            "Success",
		AccessKeyID:     v.Credentials.AccessKeyID,
		AccessKeySecret: v.Credentials.AccessKeySecret,
		SecurityToken:   v.Credentials.SecurityToken,
		Expiration:      v.Credentials.Expiration.UTC().Format(ExpirationLayout),
		Bucket:          v.Bucket,
		Region:          v.Region,
		Endpoint:        v.Endpoint,
		Prefix:          v.Prefix,
	})
}

// ParseVending parses a vending response body: flat JSON in the format of credentials-go's
// credentials-URI provider, such as
//
//	{"Code":"Success","AccessKeyId":"STS.…","AccessKeySecret":"…","SecurityToken":"…",
//	 "Expiration":"2026-01-01T00:15:00Z","Bucket":"…","Region":"cn-hangzhou","Prefix":"users/42/"}
//
// Code may be absent; when present it must be "Success" (else the error has code
// [CodeVendingFailed] and repeats Code and Message). AccessKeyId and AccessKeySecret are
// required; SecurityToken is required for an STS key ("STS.…"), and Expiration whenever there
// is a token. Expiration is RFC 3339: UTC with a "Z" (the credentials-go format), fractional
// seconds allowed; an explicit offset such as "+08:00", which credentials-go rejects, is
// accepted here and converted to UTC. Expiry is not checked. Bucket, Region, Endpoint and
// Prefix are optional and not validated here (signing validates them). Other fields are
// ignored.
func ParseVending(body []byte) (Vending, error) {
	var j vendingJSON
	if err := decodeJSON(body, vendingSource.doc, &j); err != nil {
		return Vending{}, err
	}
	if j.Code != "" && j.Code != "Success" {
		reason := ""
		if j.Message != "" {
			reason = ": " + j.Message
		}
		return Vending{}, newError(CodeVendingFailed, "vending response has Code %q, not \"Success\"%s", j.Code, reason)
	}
	creds := credentialsJSON{AccessKeyID: j.AccessKeyID, AccessKeySecret: j.AccessKeySecret,
		SecurityToken: j.SecurityToken, Expiration: j.Expiration}
	c, err := creds.credentials(vendingSource, false)
	if err != nil {
		return Vending{}, err
	}
	return Vending{Credentials: c, Bucket: j.Bucket, Region: j.Region, Endpoint: j.Endpoint, Prefix: j.Prefix}, nil
}
