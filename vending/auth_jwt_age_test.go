package vending

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 20, finding 4: a JWT that expires in 10 years was accepted. A token may be valid for
// at most --max-token-age (default 24 h): exp − iat, or exp − now when it has no iat.
func TestJWTMaxTokenAge(t *testing.T) {
	h := newHarness(t, nil)
	now := h.clock.Now()
	at := func(d time.Duration) *jwt.NumericDate { return jwt.NewNumericDate(now.Add(d)) }
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	cases := []struct {
		name     string
		iat, exp *jwt.NumericDate
		refused  bool
	}{
		{name: "valid for a day exactly", iat: at(0), exp: at(day)},
		{name: "valid for a day, issued 23 h ago", iat: at(-23 * time.Hour), exp: at(time.Hour)},
		{name: "valid for ten years", iat: at(0), exp: at(10 * year), refused: true},
		{name: "valid for a day and a second", iat: at(0), exp: at(day + time.Second), refused: true},
		{name: "a backdated iat does not hide the lifetime", iat: at(-time.Hour), exp: at(day), refused: true},
		{name: "no iat, expires in 23 h", exp: at(23 * time.Hour)},
		{name: "no iat, expires in a day and 10 s (clock skew, within the leeway)", exp: at(day + 10*time.Second)},
		{name: "no iat, expires in 25 h", exp: at(25 * time.Hour), refused: true},
		{name: "no iat, expires in ten years", exp: at(10 * year), refused: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := h.token("42", func(c *jwt.RegisteredClaims) { c.IssuedAt, c.ExpiresAt = tc.iat, tc.exp })
			resp := h.request(http.MethodGet, "/sts", map[string]string{"Authorization": "Bearer " + token}, "")
			body := decode(t, resp)
			if !tc.refused {
				assert.Equal(t, http.StatusOK, resp.StatusCode, body)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Equal(t, CodeUnauthenticated, body["Code"])
			assert.Contains(t, body["Message"], "--max-token-age", "the message names the flag")
			assert.Contains(t, body["Message"], "24h", "and the limit")
			assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
			assert.NotContains(t, h.logs.String(), token, "the token is never logged")
		})
	}
}

// --max-token-age and OSSIGN_MAX_TOKEN_AGE set the limit; JWTConfig refuses a negative one.
func TestJWTMaxTokenAgeFlag(t *testing.T) {
	jwtArgs := []string{"--jwt-issuer", testIssuer, "--jwt-audience", testAudience}
	env := func(extra map[string]string) map[string]string {
		m := map[string]string{"OSSIGN_JWT_HS256_SECRET": string(testSecret)}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name     string
		env      map[string]string
		args     []string
		lifetime time.Duration
		status   int
	}{
		{name: "default: a 2 h token", env: env(nil), lifetime: 2 * time.Hour, status: http.StatusOK},
		{name: "default: a 25 h token", env: env(nil), lifetime: 25 * time.Hour, status: http.StatusUnauthorized},
		{name: "--max-token-age 1h: a 2 h token", env: env(nil), args: []string{"--max-token-age", "1h"}, lifetime: 2 * time.Hour, status: http.StatusUnauthorized},
		{name: "OSSIGN_MAX_TOKEN_AGE=1h: a 2 h token", env: env(map[string]string{"OSSIGN_MAX_TOKEN_AGE": "1h"}), lifetime: 2 * time.Hour, status: http.StatusUnauthorized},
		{name: "--max-token-age 72h: a 48 h token", env: env(nil), args: []string{"--max-token-age", "72h"}, lifetime: 48 * time.Hour, status: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseFlags(t, tc.env, append(append(append([]string{}, required...), jwtArgs...), tc.args...)...).Config()
			require.NoError(t, err)
			cfg.Logger = discardLogger()
			srv, err := newServer(cfg, &fakeSTS{now: time.Now})
			require.NoError(t, err)
			now := time.Now()
			token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Issuer: testIssuer, Subject: "42", Audience: jwt.ClaimStrings{testAudience},
				IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(tc.lifetime))}).SignedString(testSecret)
			require.NoError(t, err)
			r := httptest.NewRequest(http.MethodGet, "/sts", nil)
			r.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, r)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
		})
	}
	_, err := parseFlags(t, env(nil), append(append(append([]string{}, required...), jwtArgs...), "--max-token-age", "a day")...).Config()
	assert.ErrorContains(t, err, "--max-token-age")
	_, err = JWT(JWTConfig{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience, MaxTokenAge: -time.Hour})
	assert.ErrorContains(t, err, "--max-token-age")
}
