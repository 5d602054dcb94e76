package emulator_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestSTSWithCredentialsGo gets temporary credentials through credentials-go's RAMRoleArn
// provider, trusting the emulator's CA through the transport's root CAs, and checks the
// emulator counted exactly the calls that reached it.
func TestSTSWithCredentialsGo(t *testing.T) {
	e := newEnv(t)
	trustEmulatorCA(t, e.emu)
	p := e.stsProvider("user-42_web.session@x", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}]}`, 1800)
	c, err := p.GetCredentials()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(c.AccessKeyId, "STS."), "AccessKeyId %q", c.AccessKeyId)
	assert.NotEmpty(t, c.AccessKeySecret)
	assert.NotEmpty(t, c.SecurityToken)
	again, err := p.GetCredentials()
	require.NoError(t, err)
	assert.Equal(t, c.AccessKeyId, again.AccessKeyId, "credentials-go caches until 180 s before expiry")
	stats := e.emu.Stats()
	assert.Equal(t, int64(1), stats.AssumeRoleCalls)
	assert.Equal(t, int64(1), stats.CredentialsIssued)
}

// TestSTSErrors sends wrong AssumeRole calls through credentials-go and checks STS's codes.
func TestSTSErrors(t *testing.T) {
	e := newEnv(t)
	trustEmulatorCA(t, e.emu)
	build := func(adjust func(b *providers.RAMRoleARNCredentialsProviderBuilder)) providers.CredentialsProvider {
		b := providers.NewRAMRoleARNCredentialsProviderBuilder().
			WithAccessKeyId(testKeyID).WithAccessKeySecret(testSecret).
			WithRoleArn(e.emu.RoleARN()).WithRoleSessionName("session").
			WithDurationSeconds(900).WithStsEndpoint(e.srv.STSHost)
		adjust(b)
		p, err := b.Build()
		require.NoError(t, err)
		return p
	}
	cases := []struct {
		name     string
		adjust   func(b *providers.RAMRoleARNCredentialsProviderBuilder)
		wantCode string
	}{
		{"wrong secret", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithAccessKeySecret("wrong") }, "SignatureDoesNotMatch"},
		{"unknown AccessKeyId", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithAccessKeyId("LTAInobody") }, "InvalidAccessKeyId.NotFound"},
		{"another role", func(b *providers.RAMRoleARNCredentialsProviderBuilder) {
			b.WithRoleArn("acs:ram::1234567890123456:role/other")
		}, "EntityNotExist.Role"},
		{"a user ARN", func(b *providers.RAMRoleARNCredentialsProviderBuilder) {
			b.WithRoleArn("acs:ram::1234567890123456:user/alice")
		}, "InvalidParameter.RoleArn"},
		{"session name too short", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithRoleSessionName("a") }, "InvalidParameter.RoleSessionName"},
		{"session name with a space", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithRoleSessionName("user 42") }, "InvalidParameter.RoleSessionName"},
		{"duration over 12 hours", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithDurationSeconds(43201) }, "InvalidParameter.DurationSeconds"},
		{"policy that is not JSON", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithPolicy("allow everything") }, "InvalidParameter.PolicyGrammar"},
		{"policy without a statement", func(b *providers.RAMRoleARNCredentialsProviderBuilder) {
			b.WithPolicy(`{"Version":"1","Statement":[]}`)
		}, "InvalidParameter.PolicyGrammar"},
		{"policy with a bad effect", func(b *providers.RAMRoleARNCredentialsProviderBuilder) {
			b.WithPolicy(`{"Version":"1","Statement":[{"Effect":"Permit","Action":"oss:*","Resource":"*"}]}`)
		}, "InvalidParameter.PolicyGrammar"},
		{"policy over 2048 bytes", func(b *providers.RAMRoleARNCredentialsProviderBuilder) {
			b.WithPolicy(`{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:b/` + strings.Repeat("x", 2048) + `"}]}`)
		}, "InvalidParameter.PolicySize"},
		{"external id with a bad character", func(b *providers.RAMRoleARNCredentialsProviderBuilder) { b.WithExternalId("a#b") }, "InvalidParameter.ExternalId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(tc.adjust).GetCredentials()
			require.Error(t, err)
			_, body, ok := strings.Cut(err.Error(), "refresh session token failed: ")
			require.True(t, ok, "error: %v", err)
			var doc struct{ RequestId, HostId, Code, Message, Recommend string }
			require.NoError(t, json.Unmarshal([]byte(body), &doc), "body: %s", body)
			assert.Equal(t, tc.wantCode, doc.Code)
			assert.NotEmpty(t, doc.Message)
			assert.NotEmpty(t, doc.RequestId)
		})
	}
	assert.Zero(t, e.emu.Stats().CredentialsIssued)
	assert.Equal(t, int64(len(cases)), e.emu.Stats().AssumeRoleCalls)
}

// TestSTSSignatureVector sends the spec's AssumeRole vector (sts-and-vending.md §1.3: an
// independent verifier's signature, also checked against live credentials-go traffic), then
// replays it and sends it stale.
func TestSTSSignatureVector(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	e := newEnv(t, withClock(clock), func(c *emulator.Config) {
		c.RootAccessKeyID, c.RootAccessKeySecret = "testid", "testsecret"
		c.RoleARN = "acs:ram::1234567890123456:role/oss-uploader"
	})
	query := url.Values{
		"Action": {"AssumeRole"}, "Version": {"2015-04-01"}, "Format": {"JSON"}, "AccessKeyId": {"testid"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"}, "SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"Timestamp": {"2026-01-01T00:00:00Z"}, "Signature": {"UqJ4tIY1vwmsME51d1+8I+Tm0Zg="},
	}
	form := url.Values{"RoleArn": {"acs:ram::1234567890123456:role/oss-uploader"}, "RoleSessionName": {"user-42"}, "DurationSeconds": {"900"}}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsTrusting(e)}}
	call := func() (int, string, []byte) {
		req, err := http.NewRequest("POST", e.srv.STSEndpoint+"/?"+query.Encode(), strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var doc struct {
			Code        string
			Credentials struct{ AccessKeyId, Expiration string }
		}
		body := readAll(t, resp.Body)
		require.NoError(t, json.Unmarshal(body, &doc), "body: %s", body)
		return resp.StatusCode, doc.Code, []byte(doc.Credentials.Expiration)
	}
	status, code, expiration := call()
	require.Equal(t, http.StatusOK, status, "code %s", code)
	assert.Equal(t, "2026-01-01T00:15:00Z", string(expiration))

	status, code, _ = call()
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "SignatureNonceUsed", code)

	clock.Set(clock.Now().Add(16 * time.Minute))
	query.Set("SignatureNonce", "another-nonce")
	status, code, _ = call()
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidTimeStamp.Expired", code)
}

// TestSTSDefaultsToXML checks that without Format=JSON the answer is XML, as STS's is.
func TestSTSDefaultsToXML(t *testing.T) {
	e := newEnv(t)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsTrusting(e)}}
	resp, err := client.Post(e.srv.STSEndpoint+"/?Action=AssumeRole", "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var doc struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
	}
	require.NoError(t, xml.Unmarshal(readAll(t, resp.Body), &doc))
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "MissingVersion", doc.Code)
}
