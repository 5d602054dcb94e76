package vending

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/ossign/ossign/signer/wire"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Source credentials of the tests that go through credentials-go.
const (
	sourceKeyID  = "LTAI5tSourceKeyId"
	sourceSecret = "sourceSECRETvalue0123456789"
	sourceToken  = "sourceTOKENvalue-of-a-role-chain"
)

// rpcEscape percent-encodes as RPC signature V2 does (spec sts-and-vending.md §1.3).
func rpcEscape(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

// rpcSignature is the V2 (HMAC-SHA1) signature of params, written independently of
// credentials-go from the spec.
func rpcSignature(secret, method string, params url.Values) (signature, stringToSign string) {
	var pairs []string
	for name, values := range params {
		if name != "Signature" {
			pairs = append(pairs, rpcEscape(name)+"="+rpcEscape(values[0]))
		}
	}
	slices.Sort(pairs)
	stringToSign = method + "&" + rpcEscape("/") + "&" + rpcEscape(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), stringToSign
}

func TestRPCSignatureVector(t *testing.T) {
	params := url.Values{}
	for k, v := range map[string]string{
		"AccessKeyId": "testid", "Action": "AssumeRole", "Version": "2015-04-01", "Format": "JSON",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"Timestamp": "2026-01-01T00:00:00Z", "RoleArn": "acs:ram::1234567890123456:role/oss-uploader",
		"RoleSessionName": "user-42", "DurationSeconds": "900",
	} {
		params.Set(k, v)
	}
	got, _ := rpcSignature("testsecret", "POST", params)
	assert.Equal(t, "UqJ4tIY1vwmsME51d1+8I+Tm0Zg=", got, "spec sts-and-vending.md §1.3 vector")
}

// stsCall is what the fake STS server received.
type stsCall struct {
	params   url.Values
	provider string
}

// fakeSTSServer is an AssumeRole endpoint over HTTPS that checks the V2 signature and the
// parameters the way STS does.
type fakeSTSServer struct {
	*httptest.Server
	calls atomic.Int64
	mu    sync.Mutex
	last  stsCall
	fail  func(params url.Values) (status int, body string) // when set and non-zero, the answer
}

// newFakeSTSServer serves AssumeRole with a certificate of httptest's own.
func newFakeSTSServer(t *testing.T) *fakeSTSServer {
	s := &fakeSTSServer{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// host is the server's host:port, the form Config.STSEndpoint takes.
func (s *fakeSTSServer) host() string { return strings.TrimPrefix(s.URL, "https://") }

// lastCall returns the last request's parameters.
func (s *fakeSTSServer) lastCall() stsCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// serve answers one AssumeRole call.
func (s *fakeSTSServer) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	body, _ := io.ReadAll(r.Body)
	form, err1 := url.ParseQuery(string(body))
	params, err2 := url.ParseQuery(r.URL.RawQuery)
	if err1 != nil || err2 != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		stsAnswer(w, http.StatusBadRequest, `{"Code":"InvalidParameter","Message":"bad request shape","RequestId":"REQ-SHAPE"}`)
		return
	}
	for k, v := range form {
		params[k] = v
	}
	s.mu.Lock()
	s.last = stsCall{params: params, provider: r.Header.Get("x-acs-credentials-provider")}
	fail := s.fail
	s.mu.Unlock()
	want, stringToSign := rpcSignature(sourceSecret, r.Method, params)
	switch {
	case params.Get("Action") != "AssumeRole" || params.Get("Version") != "2015-04-01" || params.Get("Format") != "JSON" ||
		params.Get("SignatureMethod") != "HMAC-SHA1" || params.Get("SignatureVersion") != "1.0" || params.Get("SignatureNonce") == "":
		stsAnswer(w, http.StatusBadRequest, `{"Code":"InvalidParameter","Message":"common parameters","RequestId":"REQ-COMMON"}`)
	case params.Get("AccessKeyId") != sourceKeyID:
		stsAnswer(w, http.StatusNotFound, `{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","RequestId":"REQ-AK"}`)
	case params.Get("Signature") != want:
		doc, _ := json.Marshal(map[string]string{"Code": "SignatureDoesNotMatch", "RequestId": "REQ-SIG", "HostId": "sts.aliyuncs.com",
			"Message": "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign})
		stsAnswer(w, http.StatusBadRequest, string(doc))
	case fail != nil:
		status, body := fail(params)
		stsAnswer(w, status, body)
	default:
		seconds, _ := strconv.Atoi(params.Get("DurationSeconds"))
		n := s.calls.Load()
		doc, _ := json.Marshal(map[string]any{
			"RequestId": fmt.Sprintf("REQ-OK-%d", n),
			"Credentials": map[string]string{
				"AccessKeyId":     fmt.Sprintf("STS.realKey%d", n),
				"AccessKeySecret": fmt.Sprintf("realSECRET%d", n),
				"SecurityToken":   fmt.Sprintf("realTOKEN%d", n),
				"Expiration":      time.Now().UTC().Add(time.Duration(seconds) * time.Second).Format(wire.ExpirationLayout),
			},
		})
		stsAnswer(w, http.StatusOK, string(doc))
	}
}

// stsAnswer writes a JSON answer.
func stsAnswer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// staticSource returns the source AccessKey provider; with token, STS credentials (a role
// chain).
func staticSource(t testing.TB, secret, token string) providers.CredentialsProvider {
	if token != "" {
		p, err := providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(sourceKeyID).WithAccessKeySecret(secret).WithSecurityToken(token).Build()
		require.NoError(t, err)
		return p
	}
	p, err := providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(sourceKeyID).WithAccessKeySecret(secret).Build()
	require.NoError(t, err)
	return p
}

// pointAt configures c to call sts with source.
func pointAt(sts *fakeSTSServer, source providers.CredentialsProvider) func(*Config) {
	return func(c *Config) {
		c.STSEndpoint = sts.host()
		c.STSRootCAs = []*x509.Certificate{sts.Certificate()}
		c.Source = source
	}
}

func TestCredentialsGoAssumeRole(t *testing.T) {
	sts := newFakeSTSServer(t)
	h := newRealHarness(t, pointAt(sts, staticSource(t, sourceSecret, "")))
	resp := h.getSTS("42", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "log: %s", h.logs.String())
	body := decode(t, resp)
	assert.Equal(t, "STS.realKey1", body["AccessKeyId"])
	assert.Equal(t, "realSECRET1", body["AccessKeySecret"])
	assert.Equal(t, "realTOKEN1", body["SecurityToken"])
	assert.Equal(t, "2026-01-02T03:19:05Z", body["Expiration"], "the time before the call plus the duration, on the server's clock")

	call := sts.lastCall()
	assert.Equal(t, testRoleARN, call.params.Get("RoleArn"))
	assert.Equal(t, "ossign-42", call.params.Get("RoleSessionName"))
	assert.Equal(t, "900", call.params.Get("DurationSeconds"))
	assert.Contains(t, call.params.Get("Policy"), "acs:oss:*:*:examplebucket/users/42/*")
	assert.Empty(t, call.params.Get("SecurityToken"))
	assert.Equal(t, "static_ak", call.provider)

	assert.Equal(t, http.StatusOK, h.getSTS("42", nil).StatusCode)
	assert.Equal(t, int64(1), sts.calls.Load(), "the second request is served from the cache")
	require.NoError(t, h.srv.CheckSTS(context.Background()))
	assert.Equal(t, "ossign-uploader", sts.lastCall().params.Get("RoleSessionName"))
}

func TestCredentialsGoOptionalParameters(t *testing.T) {
	sts := newFakeSTSServer(t)
	h := newRealHarness(t, func(c *Config) {
		pointAt(sts, staticSource(t, sourceSecret, sourceToken))(c)
		c.ExternalID = "abc-123 *~"
		c.Duration = time.Hour
	})
	require.Equal(t, http.StatusOK, h.getSTS("alice@example.com", nil).StatusCode, "log: %s", h.logs.String())
	call := sts.lastCall()
	assert.Equal(t, sourceToken, call.params.Get("SecurityToken"), "a role chain sends the source's token")
	assert.Equal(t, "abc-123 *~", call.params.Get("ExternalId"))
	assert.Equal(t, "3600", call.params.Get("DurationSeconds"))
	assert.Equal(t, "ossign-alice@example.com", call.params.Get("RoleSessionName"))
}

func TestCredentialsGoFailures(t *testing.T) {
	sts := newFakeSTSServer(t)
	untrusted := newTestCA(t).serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := closed.Addr().String()
	closed.Close()
	cases := []struct {
		name     string
		edit     func(*Config)
		fail     func(url.Values) (int, string)
		attrs    map[string]string
		contains string
	}{
		{
			name: "NoPermission",
			edit: pointAt(sts, staticSource(t, sourceSecret, "")),
			fail: func(url.Values) (int, string) {
				return 403, `{"RequestId":"REQ-NP","HostId":"sts.aliyuncs.com","Code":"NoPermission","Message":"Roles may not be assumed by root accounts."}`
			},
			attrs: map[string]string{"sts_code": "NoPermission", "sts_request_id": "REQ-NP", "sts_host_id": "sts.aliyuncs.com", "sts_message": "Roles may not be assumed by root accounts."},
		},
		{
			name:  "wrong secret of a role chain: the string to sign holding the token is not logged",
			edit:  pointAt(sts, staticSource(t, "wrong-secret", sourceToken)),
			attrs: map[string]string{"sts_code": "SignatureDoesNotMatch", "sts_request_id": "REQ-SIG", "sts_message": "Specified signature is not matched with our calculation. server string to sign: (not logged)"},
		},
		{
			name:  "error without JSON",
			edit:  pointAt(sts, staticSource(t, sourceSecret, "")),
			fail:  func(url.Values) (int, string) { return 500, "<html>" + sourceToken + "</html>" },
			attrs: map[string]string{"error": "STS answered an error without a JSON Code (body not logged)"},
		},
		{
			name: "untrusted certificate",
			edit: func(c *Config) {
				pointAt(sts, staticSource(t, sourceSecret, ""))(c)
				c.STSEndpoint = strings.TrimPrefix(untrusted.URL, "https://")
			},
			attrs:    map[string]string{"error": "STS request failed", "sts_host": strings.TrimPrefix(untrusted.URL, "https://")},
			contains: "certificate",
		},
		{
			name: "connection refused",
			edit: func(c *Config) {
				pointAt(sts, staticSource(t, sourceSecret, ""))(c)
				c.STSEndpoint = closedAddr
			},
			attrs:    map[string]string{"error": "STS request failed", "sts_host": closedAddr},
			contains: "refused",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sts.mu.Lock()
			sts.fail = tc.fail
			sts.mu.Unlock()
			h := newRealHarness(t, tc.edit)
			resp := h.getSTS("42", nil)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			body := decode(t, resp)
			assert.Equal(t, CodeSTSUnavailable, body["Code"])
			assert.Equal(t, "temporary credentials could not be obtained: try again later", body["Message"])
			line := h.logs.requestLine(t, resp.Header.Get("X-Request-Id"))
			for k, v := range tc.attrs {
				assert.Equal(t, v, line[k], k)
			}
			if tc.contains != "" {
				assert.Contains(t, line["cause"], tc.contains)
			}
			logs := h.logs.String()
			for _, secret := range []string{sourceSecret, sourceToken, "Signature="} {
				assert.NotContains(t, logs, secret)
			}

			err := h.srv.CheckSTS(context.Background())
			require.Error(t, err)
			for k, v := range tc.attrs {
				assert.Contains(t, err.Error(), k+"="+v)
			}
			assert.NotContains(t, err.Error(), sourceToken)
		})
	}
}
