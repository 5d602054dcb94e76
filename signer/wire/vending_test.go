package wire_test

import (
	"encoding/json"
	"time"

	"testing"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVending(t *testing.T) {
	sts := signer.Credentials{AccessKeyID: "STS.NUx1", AccessKeySecret: canarySecret, SecurityToken: canaryToken,
		Expiration: mustTime(t, "2026-01-01T00:15:00Z")}
	cases := []struct {
		name string
		body string
		want wire.Vending
	}{
		{
			name: "spec §5.4 contract",
			body: `{"Code":"Success","AccessKeyId":"STS.NUx1","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken +
				`","Expiration":"2026-01-01T00:15:00Z","Bucket":"examplebucket","Region":"cn-hangzhou","Endpoint":"oss-cn-hangzhou.aliyuncs.com","Prefix":"users/42/"}`,
			want: wire.Vending{Credentials: sts, Bucket: "examplebucket", Region: "cn-hangzhou",
				Endpoint: "oss-cn-hangzhou.aliyuncs.com", Prefix: "users/42/"},
		},
		{
			name: "no Code, unknown fields ignored",
			body: `{"AccessKeyId":"STS.NUx1","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken +
				`","Expiration":"2026-01-01T00:15:00Z","LastUpdated":"2025-12-31T23:15:00Z"}`,
			want: wire.Vending{Credentials: sts},
		},
		{
			name: "fractional seconds",
			body: `{"AccessKeyId":"STS.NUx1","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-01-01T00:15:00.250Z"}`,
			want: wire.Vending{Credentials: signer.Credentials{AccessKeyID: "STS.NUx1", AccessKeySecret: "s", SecurityToken: "t",
				Expiration: mustTime(t, "2026-01-01T00:15:00.25Z")}},
		},
		{
			name: "offset converted to UTC",
			body: `{"AccessKeyId":"STS.NUx1","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-01-01T08:15:00+08:00"}`,
			want: wire.Vending{Credentials: signer.Credentials{AccessKeyID: "STS.NUx1", AccessKeySecret: "s", SecurityToken: "t",
				Expiration: mustTime(t, "2026-01-01T00:15:00Z")}},
		},
		{
			name: "long-term key needs no token nor Expiration",
			body: `{"Code":"Success","AccessKeyId":"LTAI5t","AccessKeySecret":"s","Bucket":"b"}`,
			want: wire.Vending{Credentials: signer.Credentials{AccessKeyID: "LTAI5t", AccessKeySecret: "s"}, Bucket: "b"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseVending([]byte(tc.body))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, "UTC", got.Credentials.Expiration.Location().String(), "Expiration location")
		})
	}
}

func TestParseVendingErrors(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		code     signer.ErrorCode
		contains string
	}{
		{"Code Failure", `{"Code":"Failure","Message":"not logged in","AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `"}`,
			wire.CodeVendingFailed, `vending response has Code "Failure", not "Success": not logged in`},
		{"empty body", " \n", wire.CodeMalformedResponse, "vending response is empty"},
		{"HTML instead of JSON", "<html>502 Bad Gateway</html>", wire.CodeMalformedResponse, "vending response is not JSON: syntax error at byte 1"},
		{"secret not quoted", `{"AccessKeyId":"STS.x","AccessKeySecret":` + canarySecret + `}`, wire.CodeMalformedResponse, "is not JSON: syntax error at byte"},
		{"truncated", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret, wire.CodeMalformedResponse, "is not JSON"},
		{"array", `["` + canarySecret + `"]`, wire.CodeMalformedResponse, "vending response is not a JSON object"},
		{"number for a string", `{"AccessKeyId":12,"AccessKeySecret":"` + canarySecret + `"}`, wire.CodeMalformedResponse, "field AccessKeyId must be a string"},
		{"missing AccessKeyId", `{"Code":"Success","AccessKeySecret":"` + canarySecret + `"}`, signer.CodeMissingCredentials, "vending response has no AccessKeyId"},
		{"null AccessKeySecret", `{"AccessKeyId":"STS.x","AccessKeySecret":null,"SecurityToken":"` + canaryToken + `"}`,
			signer.CodeMissingCredentials, "vending response has no AccessKeySecret"},
		{"token without Expiration", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `"}`,
			signer.CodeMissingCredentials, "vending response has no Expiration"},
		{"STS key without token", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","Expiration":"2026-01-01T00:15:00Z"}`,
			signer.CodeInvalidCredentials, "vending response: the AccessKeyId is an STS key"},
		{"Expiration without zone", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `","Expiration":"2026-01-01T00:15:00"}`,
			signer.CodeInvalidCredentials, `Expiration "2026-01-01T00:15:00" is not an RFC 3339 time`},
		{"Expiration zero time", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `","Expiration":"0001-01-01T00:00:00Z"}`,
			signer.CodeInvalidCredentials, "is not an RFC 3339 time"},
		{"secret with a space", `{"AccessKeyId":"LTAI5t","AccessKeySecret":"` + canarySecret + ` x"}`,
			signer.CodeInvalidCredentials, "the AccessKeySecret contains spaces"},
		{"token with a newline", `{"AccessKeyId":"STS.x","AccessKeySecret":"` + canarySecret + `","SecurityToken":"` + canaryToken + `\n","Expiration":"2026-01-01T00:15:00Z"}`,
			signer.CodeInvalidCredentials, "the SecurityToken contains spaces"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseVending([]byte(tc.body))
			require.Error(t, err)
			assert.Equal(t, wire.Vending{}, got, "result on error")
			msg := requireCode(t, err, tc.code)
			assert.Contains(t, msg, tc.contains)
			assert.NotContains(t, msg, canarySecret, "secret leaked")
			assert.NotContains(t, msg, canaryToken, "token leaked")
		})
	}
}

func TestVendingMarshalRoundTrip(t *testing.T) {
	v := wire.Vending{
		Credentials: signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: "sk", SecurityToken: "tok+/=",
			Expiration: time.Date(2026, 1, 1, 0, 15, 0, 0, time.FixedZone("CST", 8*3600))},
		Bucket: "examplebucket", Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9000", Prefix: "users/42/",
	}
	body, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Contains(t, string(body), `"Code":"Success"`)
	assert.Contains(t, string(body), `"Expiration":"2025-12-31T16:15:00Z"`, "UTC with a literal Z")
	assert.NotContains(t, string(body), "Message")
	back, err := wire.ParseVending(body)
	require.NoError(t, err)
	assert.True(t, v.Credentials.Expiration.Equal(back.Credentials.Expiration))
	back.Credentials.Expiration = v.Credentials.Expiration
	assert.Equal(t, v, back)
}
