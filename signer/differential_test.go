package signer_test

// TestDifferentialGoSDK signs seeded random requests (differential_gen_test.go) with our
// signer and with the official Go SDK's signer (alibabacloud-oss-go-sdk-v2 oss/signer) and
// requires the same string to sign, signature and headers, and URLs with the same path and
// query parameters (compared as maps: the SDK orders the parameters differently).
//
// Feeding the SDK the same request:
//   - URL: scheme://host/ + the key as the SDK's client writes it (oss/client.go buildURL:
//     escapePath(key, false)), query = URIEncode(name)=URIEncode(value), bare name when the value
//     is empty. The SDK's V4 canonical query re-splits the raw query without re-encoding it.
//   - Headers: the same names and values. A "host" in AdditionalHeaders also gets a Host entry
//     in the SDK's Header map: Go keeps Host outside Header, so the SDK signs it only then (§2.2).
//   - V1 header form: we carry the signing time in x-oss-date because browsers cannot set Date
//     (§1.1 DateLine); the SDK signs the Date it sets from SigningContext.Time. Giving the SDK
//     x-oss-date with the same time makes both strings to sign identical.
//   - V1 sub-resources: the SDK's built-in list is §1.3's core list; the legacy bucket/feature
//     names our signer also signs go to SigningContext.SubResource, with Request.SubResources.
//   - V1 and V4 query forms: SigningContext.Time is the expiration. The SDK's V4 query form signs
//     at time.Now(), so it signs first and ours signs at its x-oss-date with its x-oss-expires.
//   - Query forms re-encode the query (url.Values.Encode, then '+' → %20) and write empty values
//     as "name="; URLs are compared as path plus url.ParseQuery maps.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	osssigner "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

const (
	diffSeed        = 1    // case i of every mode draws from rand.NewPCG(diffSeed, i)
	diffCases       = 2000 // per mode
	diffMaxFailures = 3    // per mode, to keep the output readable
)

// diffOutcome is what one signer produced, normalized for comparison.
type diffOutcome struct {
	stringToSign     string
	canonicalRequest string // ours only (the SDK does not expose it)
	signature        string // Authorization header, or the Signature / x-oss-signature parameter
	base             string // scheme://host/path
	query            url.Values
	headers          map[string]string // lower-case name → trimmed value, without Authorization
}

// diffMode signs c with both signers; err is our signer's error.
type diffMode struct {
	name    string
	version signer.Version
	run     func(t *testing.T, c *diffCase) (ours, sdk diffOutcome, err error)
}

func TestDifferentialGoSDK(t *testing.T) {
	modes := []diffMode{
		{"V1Header", signer.V1, diffHeaderForm(&osssigner.SignerV1{}, true)},
		{"V1Query", signer.V1, diffV1Query},
		{"V4Header", signer.V4, diffHeaderForm(&osssigner.SignerV4{}, false)},
		{"V4Query", signer.V4, diffV4Query},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			failures := 0
			for i := 0; i < diffCases && failures < diffMaxFailures; i++ {
				c := genCase(rand.New(rand.NewPCG(diffSeed, uint64(i))), m.version)
				ours, sdk, err := m.run(t, &c)
				where := fmt.Sprintf("%s case %d (rand.NewPCG(%d, %d))\n%s", m.name, i, diffSeed, i, c)
				if !diffCheck(t, where, c.req.Key, m.version, ours, sdk, err) {
					failures++
				}
			}
		})
	}
}

// diffCheck compares one case and reports only the first stage that diverged.
func diffCheck(t *testing.T, where, key string, v signer.Version, ours, sdk diffOutcome, err error) bool {
	t.Helper()
	if diffInvalidKey(key) {
		var se *signer.Error
		return assert.ErrorAs(t, err, &se, "%s: invalid key accepted", where) &&
			assert.Equal(t, signer.CodeInvalidKey, se.Code, "%s: wrong error code", where)
	}
	if !assert.NoError(t, err, "%s: our signer refused a valid request", where) {
		return false
	}
	if ours.stringToSign != sdk.stringToSign {
		stage := "string to sign"
		if v == signer.V4 && diffLines(ours.stringToSign, 3) == diffLines(sdk.stringToSign, 3) {
			stage = "canonical request (hash in the string to sign); ours:\n" + ours.canonicalRequest
		}
		return assert.Equal(t, sdk.stringToSign, ours.stringToSign, "%s\ndiverged at: %s", where, stage)
	}
	return assert.Equal(t, sdk.signature, ours.signature, "%s\ndiverged at: signature", where) &&
		assert.Equal(t, sdk.base, ours.base, "%s\ndiverged at: URL path", where) &&
		assert.Equal(t, sdk.query, ours.query, "%s\ndiverged at: URL query", where) &&
		assert.Equal(t, sdk.headers, ours.headers, "%s\ndiverged at: headers", where)
}

// diffLines returns the first n lines of s.
func diffLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// diffHeaderForm signs in the Authorization header. The V1 SDK signer gets x-oss-date (see the
// file comment).
func diffHeaderForm(sdkSigner osssigner.Signer, addDate bool) func(*testing.T, *diffCase) (diffOutcome, diffOutcome, error) {
	return diffHeaderFormWith(sdkSigner, addDate, func(c *diffCase) (signer.SignedRequest, error) {
		return signer.SignHeaders(c.target, c.creds, c.req, c.now)
	})
}

// diffHeaderFormWith is diffHeaderForm with our side signed by sign.
func diffHeaderFormWith(sdkSigner osssigner.Signer, addDate bool, sign func(*diffCase) (signer.SignedRequest, error)) func(*testing.T, *diffCase) (diffOutcome, diffOutcome, error) {
	return func(t *testing.T, c *diffCase) (ours, sdk diffOutcome, err error) {
		s, err := sign(c)
		if err != nil {
			return ours, sdk, err
		}
		req := diffSDKRequest(t, c)
		if addDate {
			req.Header.Set("x-oss-date", c.now.UTC().Format(http.TimeFormat))
		}
		ctx := diffSDKContext(c, req, false, c.now)
		require.NoError(t, sdkSigner.Sign(context.Background(), ctx))

		ours = diffOutcome{stringToSign: s.Explanation.StringToSign, canonicalRequest: s.Explanation.CanonicalRequest, headers: map[string]string{}}
		for _, h := range s.Headers {
			if strings.EqualFold(h.Name, "Authorization") {
				ours.signature = h.Value
			} else {
				ours.headers[strings.ToLower(h.Name)] = h.Value
			}
		}
		ours.base, ours.query = diffSplitURL(t, s.URL)
		return ours, diffFromSDK(t, ctx, ""), nil
	}
}

func diffV1Query(t *testing.T, c *diffCase) (ours, sdk diffOutcome, err error) {
	p, err := signer.Presign(c.target, c.creds, c.req, c.now)
	if err != nil {
		return ours, sdk, err
	}
	expires := time.Unix(c.now.Unix()+int64(diffLifetime(c.req.Expires)/time.Second), 0)
	ctx := diffSDKContext(c, diffSDKRequest(t, c), true, expires)
	require.NoError(t, (&osssigner.SignerV1{}).Sign(context.Background(), ctx))
	return diffFromPresigned(t, p, "Signature"), diffFromSDK(t, ctx, "Signature"), nil
}

func diffV4Query(t *testing.T, c *diffCase) (ours, sdk diffOutcome, err error) {
	ctx := diffSDKContext(c, diffSDKRequest(t, c), true, time.Now().Add(diffLifetime(c.req.Expires)))
	require.NoError(t, (&osssigner.SignerV4{}).Sign(context.Background(), ctx))
	sdk = diffFromSDK(t, ctx, "x-oss-signature")

	signedAt, err := time.Parse("20060102T150405Z", sdk.query.Get("x-oss-date"))
	require.NoError(t, err, "SDK x-oss-date")
	seconds, err := strconv.Atoi(sdk.query.Get("x-oss-expires"))
	require.NoError(t, err, "SDK x-oss-expires")
	require.Positive(t, seconds, "SDK x-oss-expires")
	c.now, c.req.Expires = signedAt, time.Duration(seconds)*time.Second

	p, err := signer.Presign(c.target, c.creds, c.req, c.now)
	if err != nil {
		return ours, sdk, err
	}
	return diffFromPresigned(t, p, "x-oss-signature"), sdk, nil
}

func diffLifetime(d time.Duration) time.Duration {
	if d == 0 {
		return 15 * time.Minute
	}
	return d
}

func diffFromPresigned(t *testing.T, p signer.Presigned, sigParam string) diffOutcome {
	o := diffOutcome{stringToSign: p.Explanation.StringToSign, canonicalRequest: p.Explanation.CanonicalRequest, headers: map[string]string{}}
	o.base, o.query = diffSplitURL(t, p.URL)
	o.signature = o.query.Get(sigParam)
	for _, h := range p.Headers {
		o.headers[strings.ToLower(h.Name)] = h.Value
	}
	return o
}

// diffFromSDK reads the SDK's result; sigParam empty means the Authorization header. Date (set
// by the SDK, unsigned in V4 and replaced by x-oss-date for us in V1) and Host (not a header we
// return) are left out.
func diffFromSDK(t *testing.T, ctx *osssigner.SigningContext, sigParam string) diffOutcome {
	req := ctx.Request
	o := diffOutcome{stringToSign: ctx.StringToSign, headers: map[string]string{}}
	o.base, o.query = diffSplitURL(t, req.URL.String())
	if sigParam == "" {
		o.signature = req.Header.Get("Authorization")
	} else {
		o.signature = o.query.Get(sigParam)
	}
	for name, values := range req.Header {
		if ln := strings.ToLower(name); !slices.Contains([]string{"authorization", "date", "host"}, ln) {
			o.headers[ln] = strings.TrimSpace(strings.Join(values, ","))
		}
	}
	return o
}

func diffSplitURL(t *testing.T, u string) (string, url.Values) {
	base, raw, _ := strings.Cut(u, "?")
	q, err := url.ParseQuery(raw)
	require.NoError(t, err, "query of %s", u)
	return base, q
}

// diffSDKRequest builds the http.Request the SDK signs (see the file comment).
func diffSDKRequest(t testing.TB, c *diffCase) *http.Request {
	host := diffHost
	if c.req.Bucket != "" {
		host = c.req.Bucket + "." + diffHost
	}
	u := "http://" + host + "/" + diffSDKEscapePath(c.req.Key)
	var query []string
	for _, p := range c.req.Query {
		if p.Value == "" {
			query = append(query, signer.URIEncode(p.Name, false))
		} else {
			query = append(query, signer.URIEncode(p.Name, false)+"="+signer.URIEncode(p.Value, false))
		}
	}
	if len(query) > 0 {
		u += "?" + strings.Join(query, "&")
	}
	req, err := http.NewRequest(strings.ToUpper(c.req.Method), u, nil)
	require.NoError(t, err)
	for _, h := range c.req.Headers {
		req.Header.Add(h.Name, h.Value)
	}
	if slices.ContainsFunc(c.req.AdditionalHeaders, func(s string) bool { return strings.EqualFold(s, "host") }) {
		req.Header.Set("Host", host)
	}
	return req
}

// diffSDKEscapePath is the URL path of a key as the SDK's client writes it (oss/client.go
// buildURL → escapePath(key, false)): unreserved bytes and '/' literal, the rest %XX.
func diffSDKEscapePath(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		if c := key[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// diffSDKContext is the SDK's SigningContext for c; tm is the signing time (header forms) or
// the expiration (query forms).
func diffSDKContext(c *diffCase, req *http.Request, query bool, tm time.Time) *osssigner.SigningContext {
	product, region := "oss", diffRegion
	ctx := &osssigner.SigningContext{
		Product:           &product,
		Region:            &region,
		Request:           req,
		SubResource:       slices.Clone(c.req.SubResources),
		AdditionalHeaders: c.req.AdditionalHeaders,
		Credentials: &credentials.Credentials{
			AccessKeyID:     c.creds.AccessKeyID,
			AccessKeySecret: c.creds.AccessKeySecret,
			SecurityToken:   c.creds.SecurityToken,
		},
		AuthMethodQuery: query,
		Time:            tm,
	}
	for _, p := range c.req.Query {
		if slices.Contains(diffLegacySubResources, p.Name) {
			ctx.SubResource = append(ctx.SubResource, p.Name)
		}
	}
	if c.req.Bucket != "" {
		ctx.Bucket = &c.req.Bucket
	}
	if c.req.Key != "" {
		ctx.Key = &c.req.Key
	}
	return ctx
}

// String shows a case in Go syntax, for reproducing it.
func (c diffCase) String() string {
	return fmt.Sprintf("target: %#v\ncreds: %#v\nrequest: %#v\nexpires: %s, now: %s (time.Unix(%d, %d))",
		c.target, c.creds, c.req, c.req.Expires, c.now.Format(time.RFC3339Nano), c.now.Unix(), c.now.Nanosecond())
}
