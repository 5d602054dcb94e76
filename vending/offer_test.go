package vending

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Finding 4 of the review: /sign's content-type and size limits were bypassed through GET /sts,
// which could not be turned off. --offer (or OSSIGN_OFFER) chooses the routes.
func TestOffer(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		args       []string
		sts, sign  int
		stsMessage string
	}{
		{name: "default: both", sts: http.StatusOK, sign: http.StatusOK},
		{name: "--offer sign", args: []string{"--offer", "sign"}, sts: http.StatusNotFound, sign: http.StatusOK, stsMessage: "use POST /sign, GET /healthz"},
		{name: "OSSIGN_OFFER=sign", env: map[string]string{"OSSIGN_OFFER": "sign"}, sts: http.StatusNotFound, sign: http.StatusOK},
		{name: "--offer sts", args: []string{"--offer", "sts"}, sts: http.StatusOK, sign: http.StatusNotFound},
		{name: "--offer STS,Sign", args: []string{"--offer", "STS, Sign"}, sts: http.StatusOK, sign: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{}, required...), "--dev-anonymous")
			cfg, err := parseFlags(t, tc.env, append(args, tc.args...)...).Config()
			require.NoError(t, err)
			c := newClock()
			cfg.Now, cfg.Logger = c.Now, discardLogger()
			srv, err := newServer(cfg, &fakeSTS{now: c.Now})
			require.NoError(t, err)
			call := func(method, path, body string) *httptest.ResponseRecorder {
				r := httptest.NewRequest(method, "http://localhost:8080"+path, strings.NewReader(body))
				r.RemoteAddr = "127.0.0.1:1"
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				srv.Handler().ServeHTTP(w, r)
				return w
			}
			sts := call(http.MethodGet, "/sts", "")
			assert.Equal(t, tc.sts, sts.Code)
			if tc.sts == http.StatusNotFound {
				assert.NotContains(t, sts.Body.String(), "AccessKeySecret")
				assert.Contains(t, sts.Body.String(), tc.stsMessage)
			}
			sign := call(http.MethodPost, "/sign", `{"contentType":"image/png","size":10}`)
			assert.Equal(t, tc.sign, sign.Code, sign.Body.String())
		})
	}
	for _, bad := range []string{"", "none", "sts,upload"} {
		t.Run("refuses --offer "+bad, func(t *testing.T) {
			_, err := parseFlags(t, nil, append(append([]string{}, required...), "--offer", bad)...).Config()
			assert.ErrorContains(t, err, "--offer")
		})
	}
}
