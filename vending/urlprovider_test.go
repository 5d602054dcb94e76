package vending

import (
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// credentials-go's credentials-URI provider (ALIBABA_CLOUD_CREDENTIALS_URI) reads GET /sts
// as it is: flat JSON, Expiration in its one accepted layout.
func TestCredentialsURIProviderConsumesSTS(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Authenticator = DevAnonymous() // the provider sends no credentials of its own
		c.Now = time.Now                 // the provider compares Expiration with the real clock
	})
	h.sts.now = time.Now
	p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(h.http.URL + "/sts").Build()
	require.NoError(t, err)
	creds, err := p.GetCredentials()
	require.NoError(t, err)
	assert.Equal(t, "STS.fakeKey1", creds.AccessKeyId)
	assert.Contains(t, creds.AccessKeySecret, "fakeSECRET1")
	assert.Contains(t, creds.SecurityToken, "fakeTOKEN1")
	assert.Equal(t, "credential_uri", creds.ProviderName)

	again, err := p.GetCredentials()
	require.NoError(t, err)
	assert.Equal(t, creds.AccessKeyId, again.AccessKeyId)
	assert.Equal(t, int64(1), h.sts.calls.Load(), "the provider caches until 3 minutes before Expiration")

	resp := h.request(http.MethodGet, "/sts", nil, "")
	assert.Equal(t, "STS.fakeKey2", decode(t, resp)["AccessKeyId"], "each cookie-less caller is a new anonymous user")
}
