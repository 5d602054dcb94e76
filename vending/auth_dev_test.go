package vending

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDevAnonymous(t *testing.T) {
	const known = "00112233445566778899aabbccddeeff"
	cases := []struct {
		name     string
		cookie   string
		tls      bool
		wantID   string // "" means a new id is issued
		secure   bool
		newValue bool
	}{
		{name: "no cookie: a new id", newValue: true},
		{name: "no cookie over TLS: a Secure cookie", tls: true, newValue: true, secure: true},
		{name: "valid cookie: its id", cookie: known, wantID: "5947d7c33d783f94b3b4c1a96ebc8991"},
		{name: "cookie with upper-case hex: replaced", cookie: "00112233445566778899AABBCCDDEEFF", newValue: true},
		{name: "cookie of the wrong length: replaced", cookie: "0011", newValue: true},
		{name: "cookie trying a path: replaced", cookie: "../../other-user", newValue: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/sts", nil)
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: DevCookie, Value: tc.cookie})
			}
			w := httptest.NewRecorder()
			id, err := DevAnonymous().Authenticate(w, r)
			require.NoError(t, err)
			require.NoError(t, checkUserID(id))
			cookies := w.Result().Cookies()
			if !tc.newValue {
				assert.Equal(t, tc.wantID, id)
				assert.Empty(t, cookies, "a valid cookie is not set again")
				return
			}
			assert.Regexp(t, `^[0-9a-f]{32}$`, id)
			require.Len(t, cookies, 1)
			c := cookies[0]
			assert.Equal(t, DevCookie, c.Name)
			assert.Regexp(t, `^[0-9a-f]{32}$`, c.Value)
			assert.NotEqual(t, c.Value, id, "the cookie, a secret, is not the id")
			assert.Equal(t, devUserID(c.Value), id)
			assert.True(t, c.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
			assert.Equal(t, "/", c.Path)
			assert.Equal(t, tc.secure, c.Secure)
		})
	}
}

func TestDevAnonymousServer(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Authenticator = DevAnonymous() })
	first := h.request(http.MethodGet, "/sts", nil, "")
	require.Equal(t, http.StatusOK, first.StatusCode)
	cookies := first.Cookies()
	require.Len(t, cookies, 1)
	body := decode(t, first)
	assert.Equal(t, "users/"+devUserID(cookies[0].Value)+"/", body["Prefix"])

	again := h.request(http.MethodGet, "/sts", map[string]string{"Cookie": DevCookie + "=" + cookies[0].Value}, "")
	assert.Equal(t, body["AccessKeyId"], decode(t, again)["AccessKeyId"], "the same browser is the same user")
	warned := false
	for _, l := range h.logs.lines(t) {
		if strings.HasPrefix(l["msg"].(string), "vending: dev-anonymous mode") {
			warned = l["level"] == "WARN"
		}
	}
	assert.True(t, warned, "a warning at startup")
}
