package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/tls"
	"encoding/xml"
	"hash/crc64"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// The fixed root key and buckets of the test emulators ("ak"/"sk" as in the spec's vectors).
const (
	testKeyID   = "ak"
	testSecret  = "sk"
	testBucket  = "bucket"
	otherBucket = "other-bucket"
	testRegion  = "cn-hangzhou"
)

// testClock is an adjustable clock for an emulator.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is one started emulator for a test.
type env struct {
	t   testing.TB
	emu *emulator.Emulator
	srv *emulator.Server
	// http is a client that sends every request, whatever its host, to the OSS endpoint.
	http *http.Client
}

// newEnv starts an emulator with root key ak/sk and buckets "bucket" and "other-bucket";
// adjust may change the configuration first. The emulator stops at the end of the test.
func newEnv(t testing.TB, adjust ...func(*emulator.Config)) *env {
	t.Helper()
	cfg := emulator.Config{
		DataDir:         t.TempDir(),
		Buckets:         []string{testBucket, otherBucket},
		RootAccessKeyID: testKeyID, RootAccessKeySecret: testSecret,
	}
	for _, f := range adjust {
		f(&cfg)
	}
	emu, err := emulator.New(cfg)
	require.NoError(t, err)
	srv, err := emu.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	client := endpointClient(srv.OSSEndpoint)
	t.Cleanup(client.CloseIdleConnections)
	return &env{t: t, emu: emu, srv: srv, http: client}
}

// endpointClient is an HTTP client that sends every request, whatever its host, to the OSS
// endpoint (http://127.0.0.1:port), and answers a redirect with the redirect itself.
func endpointClient(endpoint string) *http.Client {
	addr := strings.TrimPrefix(endpoint, "http://")
	return &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// sdkClient returns an official SDK v2 client for the emulator at endpoint (path-style, since
// the endpoint is an IP address) signing with provider, with V4 unless v1, sending through hc.
func sdkClient(endpoint string, hc *http.Client, provider osscreds.CredentialsProvider, v1 bool) *oss.Client {
	cfg := oss.LoadDefaultConfig().
		WithCredentialsProvider(provider).
		WithEndpoint(endpoint).
		WithRegion(testRegion).
		WithRetryMaxAttempts(1).
		WithHttpClient(hc)
	if v1 {
		cfg = cfg.WithSignatureVersion(oss.SignatureVersionV1)
	}
	return oss.NewClient(cfg)
}

// withClock makes an emulator use clock.
func withClock(clock *testClock) func(*emulator.Config) {
	return func(c *emulator.Config) { c.Now = clock.Now }
}

// client returns an official SDK v2 client for the emulator (path-style, since the endpoint is
// an IP address) signing with provider, with V4 unless v1.
func (e *env) client(provider osscreds.CredentialsProvider, v1 bool) *oss.Client {
	return sdkClient(e.srv.OSSEndpoint, e.http, provider, v1)
}

// rootClient is a V4 SDK client with the root key.
func (e *env) rootClient() *oss.Client {
	return e.client(osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), false)
}

// objectURL is the path-style URL of bucket/key (key path-escaped, "/" kept).
func (e *env) objectURL(bucket, key string) string {
	return e.srv.OSSEndpoint + "/" + bucket + "/" + escapeKey(key)
}

// escapeKey percent-encodes a key for a URL path, keeping "/".
func escapeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}

// response is a received response, body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// send sends req and reads the whole response.
func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := e.http.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// newRequest builds a request; it fails the test on a bad URL.
func (e *env) newRequest(method, url string, body []byte) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(e.t, err)
	return req
}

// ossErrorDoc is the parts of OSS's error document the tests look at.
type ossErrorDoc struct {
	Code, Message, RequestID, HostID, EC, StringToSign, CanonicalRequest string
}

// parseError decodes an OSS error document.
func parseError(t *testing.T, body []byte) ossErrorDoc {
	t.Helper()
	var doc struct {
		XMLName          xml.Name `xml:"Error"`
		Code             string
		Message          string
		RequestID        string `xml:"RequestId"`
		HostID           string `xml:"HostId"`
		EC               string
		StringToSign     string
		CanonicalRequest string
	}
	require.NoError(t, xml.Unmarshal(body, &doc), "error body: %s", body)
	return ossErrorDoc{doc.Code, doc.Message, doc.RequestID, doc.HostID, doc.EC, doc.StringToSign, doc.CanonicalRequest}
}

// signHeader signs req in header form with the official SDK signer, V4 unless v1, at time at.
func signHeader(t testing.TB, req *http.Request, bucket, key string, creds osscreds.Credentials, at time.Time, v1 bool, additional ...string) {
	t.Helper()
	sctx := &signer.SigningContext{
		Product: ptr("oss"), Region: ptr(testRegion), Bucket: ptr(bucket), Request: req,
		Credentials: &creds, Time: at, AdditionalHeaders: additional,
	}
	if key != "" {
		sctx.Key = ptr(key)
	}
	var s signer.Signer = &signer.SignerV4{}
	if v1 {
		s = &signer.SignerV1{}
		// Browsers cannot set Date: sign (and send) the time in x-oss-date.
		req.Header.Set("x-oss-date", at.UTC().Format(http.TimeFormat))
	}
	require.NoError(t, s.Sign(context.Background(), sctx))
}

// rootCreds are the root key's credentials.
var rootCreds = osscreds.Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// crc64ECMA is the CRC OSS reports in x-oss-hash-crc64ecma.
func crc64ECMA(data []byte) string {
	return strconv.FormatUint(crc64.Checksum(data, crc64.MakeTable(crc64.ECMA)), 10)
}

// trustEmulatorCA makes http.DefaultTransport (which credentials-go clones) trust the
// emulator's CA for the rest of the test. Tests calling it must not run in parallel.
func trustEmulatorCA(t testing.TB, emu *emulator.Emulator) {
	tr := http.DefaultTransport.(*http.Transport)
	old := tr.TLSClientConfig
	tr.TLSClientConfig = &tls.Config{RootCAs: emu.CACertPool()}
	t.Cleanup(func() { tr.TLSClientConfig = old })
}

// stsProvider is credentials-go's RAMRoleArn provider against the emulator's STS endpoint.
func (e *env) stsProvider(sessionName, policy string, seconds int) providers.CredentialsProvider {
	e.t.Helper()
	p, err := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithAccessKeyId(testKeyID).
		WithAccessKeySecret(testSecret).
		WithRoleArn(e.emu.RoleARN()).
		WithRoleSessionName(sessionName).
		WithPolicy(policy).
		WithDurationSeconds(seconds).
		WithStsEndpoint(e.srv.STSHost).
		Build()
	require.NoError(e.t, err)
	return p
}

// ossProvider adapts a credentials-go provider to the OSS SDK.
func ossProvider(p providers.CredentialsProvider) osscreds.CredentialsProvider {
	return osscreds.CredentialsProviderFunc(func(context.Context) (osscreds.Credentials, error) {
		c, err := p.GetCredentials()
		if err != nil {
			return osscreds.Credentials{}, err
		}
		return osscreds.Credentials{AccessKeyID: c.AccessKeyId, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}, nil
	})
}

// stsCreds assumes the role through credentials-go and returns the temporary credentials.
func (e *env) stsCreds(sessionName, policy string) osscreds.Credentials {
	e.t.Helper()
	trustEmulatorCA(e.t, e.emu)
	c, err := ossProvider(e.stsProvider(sessionName, policy, 900)).GetCredentials(context.Background())
	require.NoError(e.t, err)
	return c
}

// tlsTrusting is a client TLS configuration trusting the emulator's CA.
func tlsTrusting(e *env) *tls.Config { return &tls.Config{RootCAs: e.emu.CACertPool()} }

// readAll reads r to its end.
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

// rootRequest sends a request signed (V4 header, now) with the root key to bucket/key plus an
// optional raw query, with headers and body.
func (e *env) rootRequest(method, bucket, key, rawQuery string, header map[string]string, body []byte) response {
	e.t.Helper()
	u := e.objectURL(bucket, key)
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req := e.newRequest(method, u, body)
	for name, v := range header {
		req.Header.Set(name, v)
	}
	signHeader(e.t, req, bucket, key, rootCreds, time.Now(), false)
	return e.send(req)
}

// md5Of is the MD5 of s.
func md5Of(s string) []byte {
	sum := md5.Sum([]byte(s))
	return sum[:]
}
