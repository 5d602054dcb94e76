package wire_test

import (
	"errors"
	"testing"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assumeRoleBody is a success response in the shape of spec sts-and-vending.md §1.5.
const assumeRoleBody = `{"RequestId":"429D9967-1B5E-4C3A-9A8C-6A8E2F1B2C3D",` +
	`"AssumedRoleUser":{"Arn":"acs:ram::1234567890123456:role/uploader/app-42","AssumedRoleId":"344584339364951186:app-42"},` +
	`"Credentials":{"AccessKeyId":"STS.NUx1","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `",` +
	`"Expiration":"2015-04-09T11:52:19Z"}}`

func TestParseAssumeRole(t *testing.T) {
	got, err := wire.ParseAssumeRole([]byte(assumeRoleBody))
	require.NoError(t, err)
	assert.Equal(t, signer.Credentials{AccessKeyID: "STS.NUx1", AccessKeySecret: canarySecret, SecurityToken: canaryToken,
		Expiration: mustTime(t, "2015-04-09T11:52:19Z")}, got)
}

func TestParseAssumeRoleSTSError(t *testing.T) {
	body := `{"RequestId":"6894B13B-6D71-4EF5-88FA-F32781734A7F","HostId":"sts.aliyuncs.com","Code":"NoPermission",` +
		`"Message":"You are not authorized to do this action. You should be authorized by RAM.","Recommend":"https://api.aliyun.com/troubleshoot?q=NoPermission"}`
	_, err := wire.ParseAssumeRole([]byte(body))
	var stsErr *wire.STSError
	require.True(t, errors.As(err, &stsErr), "want *wire.STSError, got %T: %v", err, err)
	assert.Equal(t, wire.STSError{Code: "NoPermission", Message: "You are not authorized to do this action. You should be authorized by RAM.",
		RequestID: "6894B13B-6D71-4EF5-88FA-F32781734A7F", HostID: "sts.aliyuncs.com",
		Recommend: "https://api.aliyun.com/troubleshoot?q=NoPermission"}, *stsErr)
	assert.Equal(t, "sts: NoPermission: You are not authorized to do this action. You should be authorized by RAM. "+
		"(RequestId 6894B13B-6D71-4EF5-88FA-F32781734A7F)", err.Error())
}

func TestParseAssumeRoleErrors(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		code     signer.ErrorCode
		contains string
	}{
		{"flat vending body", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `"}`,
			signer.CodeMissingCredentials, "AssumeRole response has neither a Credentials object nor an error Code"},
		{"not JSON", "Service Unavailable", wire.CodeMalformedResponse, "AssumeRole response is not JSON: syntax error at byte 1"},
		{"Credentials not an object", `{"Credentials":"` + canarySecret + `"}`, wire.CodeMalformedResponse, "field Credentials must be an object"},
		{"AccessKeySecret not a string", `{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":["` + canarySecret + `"]}}`,
			wire.CodeMalformedResponse, "field Credentials.AccessKeySecret must be a string"},
		{"no token", `{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","Expiration":"2015-04-09T11:52:19Z"}}`,
			signer.CodeMissingCredentials, "AssumeRole response has no Credentials.SecurityToken"},
		{"no Expiration", `{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `"}}`,
			signer.CodeMissingCredentials, "AssumeRole response has no Credentials.Expiration"},
		{"Expiration not RFC 3339", `{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken +
			`","Expiration":"Thu, 09 Apr 2015 11:52:19 GMT"}}`, signer.CodeInvalidCredentials, `AssumeRole response: Credentials.Expiration "Thu, 09 Apr 2015 11:52:19 GMT"`},
		{"empty Credentials with a Code", `{"Code":"Success","Credentials":{}}`, signer.CodeMissingCredentials, "AssumeRole response has no Credentials.AccessKeyId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseAssumeRole([]byte(tc.body))
			require.Error(t, err)
			assert.Equal(t, signer.Credentials{}, got, "result on error")
			msg := requireCode(t, err, tc.code)
			assert.Contains(t, msg, tc.contains)
			assert.NotContains(t, msg, canarySecret, "secret leaked")
			assert.NotContains(t, msg, canaryToken, "token leaked")
		})
	}
}
