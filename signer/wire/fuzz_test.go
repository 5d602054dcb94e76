package wire_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Seed corpora beyond these f.Add calls live in testdata/fuzz/<FuzzName>/.

// secretFields decodes a body the way the parsers do (same field names, same encoding/json
// rules), to learn which secret values it holds and which fields an error may quote.
type secretFields struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Recommend string `json:"Recommend"`
	secretCredentials
	Credentials *secretCredentials `json:"Credentials"`
}

type secretCredentials struct {
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

func decodeSecretFields(body []byte) secretFields {
	var s secretFields
	_ = json.Unmarshal(body, &s) // best effort, like the parsers: fields that decode are set
	if s.Credentials == nil {
		s.Credentials = &secretCredentials{}
	}
	return s
}

// requireTypedError requires a *signer.Error with a code and a message.
func requireTypedError(t *testing.T, err error) {
	t.Helper()
	var e *signer.Error
	require.True(t, errors.As(err, &e), "want *signer.Error, got %T: %v", err, err)
	require.NotEmpty(t, e.Code, "error code")
	require.NotEmpty(t, e.Message, "error message")
}

func FuzzParseVending(f *testing.F) {
	f.Add([]byte(`{"Code":"Success","AccessKeyId":"STS.NUx1","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken +
		`","Expiration":"2026-01-01T00:15:00Z","Bucket":"examplebucket","Region":"cn-hangzhou","Prefix":"users/42/"}`))
	f.Add([]byte(`{"Code":"Failure","Message":"denied","AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `"}`))
	f.Add([]byte(`{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","Expiration":"2026-01-01T08:15:00.5+08:00"}`))
	f.Add([]byte(`{"AccessKeyId":"LTAI5t","AccessKeySecret":"` + canarySecret + `"}`))
	f.Add([]byte(`{"AccessKeyId":"STS.x","AccessKeySecret":` + canarySecret))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := wire.ParseVending(body)
		if err == nil {
			c := v.Credentials
			require.NotEmpty(t, c.AccessKeyID, "AccessKeyID")
			require.NotEmpty(t, c.AccessKeySecret, "AccessKeySecret")
			require.False(t, c.SecurityToken != "" && c.Expiration.IsZero(), "a token without an Expiration")
			require.False(t, strings.HasPrefix(c.AccessKeyID, "STS.") && len(c.AccessKeyID) > 4 && c.SecurityToken == "", "an STS key without a token")
			require.Equal(t, "UTC", c.Expiration.Location().String(), "Expiration location")
			return
		}
		requireTypedError(t, err)
		assert.Equal(t, wire.Vending{}, v, "result on error")
		s := decodeSecretFields(body)
		assert.False(t, leaks(err.Error(), []string{s.AccessKeySecret, s.SecurityToken}, []string{s.Code, s.Message, s.Expiration}),
			"error %q reveals a secret of the body", err)
	})
}

func FuzzParseAssumeRole(f *testing.F) {
	f.Add([]byte(assumeRoleBody))
	f.Add([]byte(`{"RequestId":"6894B13B","HostId":"sts.aliyuncs.com","Code":"NoPermission","Message":"You are not authorized."}`))
	f.Add([]byte(`{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `","Expiration":"yesterday"}}`))
	f.Add([]byte(`{"Credentials":"` + canarySecret + `"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := wire.ParseAssumeRole(body)
		if err == nil {
			require.NotEmpty(t, c.AccessKeyID, "AccessKeyID")
			require.NotEmpty(t, c.AccessKeySecret, "AccessKeySecret")
			require.NotEmpty(t, c.SecurityToken, "SecurityToken")
			require.False(t, c.Expiration.IsZero(), "Expiration")
			return
		}
		assert.Equal(t, signer.Credentials{}, c, "result on error")
		var stsErr *wire.STSError
		if errors.As(err, &stsErr) {
			require.NotEmpty(t, stsErr.Code, "STS error code")
		} else {
			requireTypedError(t, err)
		}
		s := decodeSecretFields(body)
		echoed := []string{s.Code, s.Message, s.RequestID, s.HostID, s.Recommend, s.Credentials.Expiration}
		assert.False(t, leaks(err.Error(), []string{s.Credentials.AccessKeySecret, s.Credentials.SecurityToken}, echoed),
			"error %q reveals a secret of the body", err)
	})
}

func FuzzParseOSSError(f *testing.F) {
	f.Add([]byte(sigMismatchBody))
	f.Add([]byte(`<Error><Code>SignatureDoesNotMatch</Code><StringToSignBytes>47 45 54 0A</StringToSignBytes></Error>`))
	f.Add([]byte(`<html><body>502 Bad Gateway</body>`))
	f.Add([]byte(`<ListBucketResult/>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := wire.ParseOSSError(body)
		if err != nil {
			assert.Nil(t, e, "result on error")
			requireCode(t, err, wire.CodeMalformedResponse)
			return
		}
		require.NotNil(t, e)
		require.NotEmpty(t, e.Code, "Code")
		require.Zero(t, e.StatusCode, "StatusCode")
		require.True(t, strings.HasPrefix(e.Error(), "oss: "+e.Code), "message %q", e.Error())
	})
}
