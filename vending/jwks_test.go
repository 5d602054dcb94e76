package vending

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jwksHarness is a Server authenticating RS256 JWTs with the keys of a JWKS server whose
// answers can be held back, served through a handler that counts the requests it received.
type jwksHarness struct {
	*harness
	idp     *jwksServer
	entered atomic.Int64 // requests received by the vending server
	url     string
}

// newJWKSHarness starts a JWKS server with keys and a vending server using it.
func newJWKSHarness(t *testing.T, keys ...map[string]string) *jwksHarness {
	j := &jwksHarness{idp: newJWKSServer(t, keys...)}
	j.harness = newHarness(t, func(c *Config) {
		auth, err := JWT(JWTConfig{JWKSURL: j.idp.URL, Issuer: testIssuer, Audience: testAudience, Now: c.Now})
		require.NoError(t, err)
		c.Authenticator = auth
	})
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.entered.Add(1)
		j.srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	j.url = counting.URL
	return j
}

// holdJWKSUntilEntered makes the next JWKS answers wait until n vending requests have been
// received, and 100 ms more: a slow identity provider, answering while those requests are in
// flight.
func (j *jwksHarness) holdJWKSUntilEntered(n int64) {
	j.idp.mu.Lock()
	defer j.idp.mu.Unlock()
	j.idp.hold = func() {
		for j.entered.Load() < n {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// concurrentStatuses sends one GET /sts per token at once and returns the statuses.
func (j *jwksHarness) concurrentStatuses(tokens []string) map[int]int {
	statuses := make([]int, len(tokens))
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodGet, j.url+"/sts", nil)
			if err != nil {
				return
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	return count
}

// Finding 1 of the review: requests arriving while the JWKS is being fetched were refused
// (1 × 200, 19 × 401) instead of waiting for the fetch.
func TestJWKSRequestsWaitForTheFetchInFlight(t *testing.T) {
	keys := testKeys()
	cases := []struct {
		name string
		// prepare runs before the 20 requests and returns the key and kid they use.
		prepare func(t *testing.T, j *jwksHarness) (key any, kid string)
		fetches int64
	}{
		{
			name:    "first fetch at start",
			prepare: func(*testing.T, *jwksHarness) (any, string) { return keys.rsa, "rsa-1" },
			fetches: 1,
		},
		{
			name: "key rotation: a new kid",
			prepare: func(t *testing.T, j *jwksHarness) (any, string) {
				resp := j.request(http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + signWith(t, j.clock, jwt.SigningMethodRS256, keys.rsa, "rsa-1", "42")}, "")
				require.Equal(t, http.StatusOK, resp.StatusCode)
				j.idp.set(t, rsaJWK("rsa-1", keys.rsa), ecJWK("ec-2", keys.ec2))
				j.clock.Advance(time.Minute)
				return keys.ec2, "ec-2"
			},
			fetches: 2,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := newJWKSHarness(t, rsaJWK("rsa-1", keys.rsa))
			key, kid := tc.prepare(t, j)
			method := jwt.SigningMethod(jwt.SigningMethodRS256)
			if kid == "ec-2" {
				method = jwt.SigningMethodES256
			}
			tokens := make([]string, 20)
			for i := range tokens {
				tokens[i] = signWith(t, j.clock, method, key, kid, "42")
			}
			j.holdJWKSUntilEntered(j.entered.Load() + int64(len(tokens)))
			assert.Equal(t, map[int]int{http.StatusOK: len(tokens)}, j.concurrentStatuses(tokens))
			assert.Equal(t, tc.fetches, j.idp.fetches.Load(), "JWKS fetches")
		})
	}
}

// Finding 1 of the review: after a JWKS outage, valid tokens got 503 for up to a minute after
// the JWKS was back.
func TestJWKSRecoveredAtOnce(t *testing.T) {
	keys := testKeys()
	j := newJWKSHarness(t, rsaJWK("rsa-1", keys.rsa))
	j.idp.setStatus(http.StatusServiceUnavailable)
	token := func() map[string]string {
		return map[string]string{"Authorization": "Bearer " + signWith(t, j.clock, jwt.SigningMethodRS256, keys.rsa, "rsa-1", "42")}
	}
	resp := j.request(http.MethodGet, "/sts", token(), "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "the JWKS is down")
	assert.Equal(t, CodeAuthUnavailable, decode(t, resp)["Code"])

	j.idp.setStatus(http.StatusOK)
	j.clock.Advance(time.Second)
	resp = j.request(http.MethodGet, "/sts", token(), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the JWKS is back: used a second later")
	assert.Equal(t, int64(2), j.idp.fetches.Load())
}
