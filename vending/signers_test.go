package vending

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

var (
	signersTarget = signer.Target{Region: "cn-hangzhou"}
	signersNow    = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	signersReq    = signer.Request{Method: http.MethodPut, Bucket: "examplebucket", Key: "users/42/a.jpg", Expires: 10 * time.Minute}
)

// signersCreds is the n-th set of test credentials.
func signersCreds(n int) signer.Credentials {
	return signer.Credentials{AccessKeyID: fmt.Sprintf("STS.key%d", n), AccessKeySecret: fmt.Sprintf("secret%d", n),
		SecurityToken: fmt.Sprintf("token%d", n), Expiration: signersNow.Add(time.Hour)}
}

// presignWith signs signersReq with the Signer the cache gives for creds, and checks the URL
// is the one-shot function's (assert only: goroutines call it).
func presignWith(t *testing.T, c *signerCache, creds signer.Credentials) *signer.Signer {
	t.Helper()
	s, err := c.get(creds)
	if !assert.NoError(t, err) {
		return nil
	}
	got, err := s.Presign(signersReq, signersNow)
	want, wantErr := signer.Presign(signersTarget, creds, signersReq, signersNow)
	if assert.NoError(t, err) && assert.NoError(t, wantErr) {
		assert.Equal(t, want.URL, got.URL, "signed with %s's Signer", creds.AccessKeyID)
	}
	return s
}

// The cache gives the same Signer for the same credentials and a new one for credentials that
// differ in anything, even under the same AccessKeyId; it keeps at most maxSigners.
func TestSignerCachePerCredentials(t *testing.T) {
	c := newSignerCache(signersTarget)
	first := presignWith(t, c, signersCreds(1))
	sameInstant := signersCreds(1)
	sameInstant.Expiration = sameInstant.Expiration.In(time.FixedZone("UTC+8", 8*3600))
	assert.Same(t, first, presignWith(t, c, sameInstant), "the same credentials: the same Signer")

	changes := []struct {
		name   string
		change func(*signer.Credentials)
	}{
		{"secret", func(c *signer.Credentials) { c.AccessKeySecret = "other" }},
		{"token", func(c *signer.Credentials) { c.SecurityToken = "other" }},
		{"expiration", func(c *signer.Credentials) { c.Expiration = c.Expiration.Add(time.Minute) }},
	}
	for _, ch := range changes {
		t.Run(ch.name, func(t *testing.T) {
			creds := signersCreds(1)
			ch.change(&creds)
			assert.NotSame(t, first, presignWith(t, c, creds), "another %s under the same AccessKeyId", ch.name)
		})
	}

	c = newSignerCache(signersTarget)
	first = presignWith(t, c, signersCreds(1))
	for n := 2; n <= maxSigners+3; n++ {
		presignWith(t, c, signersCreds(n))
		assert.LessOrEqual(t, c.signers.len(), maxSigners)
	}
	assert.NotSame(t, first, presignWith(t, c, signersCreds(1)), "pushed out by newer credentials, then made anew")
}

// Goroutines signing with a few sets of credentials at once all get the one-shot results
// (go test -race checks the cache's locking).
func TestSignerCacheConcurrentUse(t *testing.T) {
	c := newSignerCache(signersTarget)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				presignWith(t, c, signersCreds((g+i)%(maxSigners+2)))
			}
		})
	}
	wg.Wait()
}

// POST /sign signs with the uploader's current credentials: after they are refreshed, its URLs
// carry the new AccessKeyId and token, not the Signer of the old ones.
func TestSignAfterCredentialsRefresh(t *testing.T) {
	h := newHarness(t, nil)
	credential := func() (string, string) {
		resp, a := h.sign("42", `{"contentType":"image/png","size":10}`)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		u, err := url.Parse(a.URL)
		require.NoError(t, err)
		return u.Query().Get("x-oss-credential"), u.Query().Get("x-oss-security-token")
	}
	cred1, token1 := credential()
	assert.Equal(t, "STS.fakeKey1/20260102/cn-hangzhou/oss/aliyun_v4_request", cred1)
	h.clock.Advance(11 * time.Minute) // past the refresh point of the 15-minute credentials
	cred2, token2 := credential()
	assert.Equal(t, "STS.fakeKey2/20260102/cn-hangzhou/oss/aliyun_v4_request", cred2)
	assert.NotEqual(t, token1, token2)
	assert.Equal(t, int64(2), h.sts.calls.Load())
}
