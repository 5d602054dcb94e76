package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer"
)

// V1 signatures (header "Authorization: OSS <id>:<signature>" and URL Expires/Signature) are
// recomputed with the official SDK v2 SignerV1 over a request rebuilt from the one received.

// verifyV1Header verifies "Authorization: OSS <AccessKeyId>:<Signature>". The signing time is
// x-oss-date when sent (browsers cannot send Date), else Date, in RFC 1123 GMT form.
func (e *Emulator) verifyV1Header(c *call, auth string) (*principal, error) {
	accessKeyID, provided, ok := parseV1Authorization(auth)
	if !ok {
		return nil, errMalformedAuthorization("a V1 header is \"OSS <AccessKeyId>:<Signature>\"")
	}
	t, err := v1SigningTime(c.r.Header)
	if err != nil {
		return nil, err
	}
	if err := c.checkSkew(t); err != nil {
		return nil, err
	}
	token := c.r.Header.Get("x-oss-security-token")
	p, secret, err := e.credentialsFor(accessKeyID, token, c.now)
	if err != nil {
		return nil, err
	}
	req := c.signingRequest(c.r.URL.RawQuery)
	req.Header.Del("Authorization")
	sctx := c.signingContextV1(req, &credentials.Credentials{AccessKeyID: accessKeyID, AccessKeySecret: secret, SecurityToken: token}, t)
	if err := (&signer.SignerV1{}).Sign(c.r.Context(), sctx); err != nil {
		return nil, err
	}
	_, expected, _ := parseV1Authorization(req.Header.Get("Authorization"))
	if subtle.ConstantTimeCompare([]byte(expected), []byte(provided)) != 1 {
		return nil, errSignatureMismatch(accessKeyID, provided, sctx.StringToSign, "")
	}
	return p, nil
}

// verifyV1Query verifies a V1 signed URL: OSSAccessKeyId, Expires (absolute Unix seconds) and
// Signature, with the STS token in security-token.
func (e *Emulator) verifyV1Query(c *call) (*principal, error) {
	q := c.r.URL.Query()
	accessKeyID, provided := q.Get("OSSAccessKeyId"), q.Get("Signature")
	if accessKeyID == "" || provided == "" || !q.Has("Expires") {
		return nil, errAccessDenied("A V1 signed URL needs OSSAccessKeyId, Expires and Signature.").withEC("0002-00000068")
	}
	expires, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil {
		return nil, errInvalidArgument("Expires must be an integer Unix time in seconds.", "Expires", q.Get("Expires")).withEC("0002-00000070")
	}
	if c.now.Unix() > expires {
		return nil, c.errExpired(time.Unix(expires, 0))
	}
	token := q.Get("security-token")
	if token == "" {
		token = c.r.Header.Get("x-oss-security-token")
	}
	p, secret, err := e.credentialsFor(accessKeyID, token, c.now)
	if err != nil {
		return nil, err
	}
	// The token stays in the query, where the SDK signs it as the security-token
	// sub-resource; the authentication parameters themselves are not signed.
	rest := url.Values{}
	for name, values := range q {
		if name != "OSSAccessKeyId" && name != "Expires" && name != "Signature" {
			rest[name] = values
		}
	}
	req := c.signingRequest(strings.ReplaceAll(rest.Encode(), "+", "%20"))
	sctx := c.signingContextV1(req, &credentials.Credentials{AccessKeyID: accessKeyID, AccessKeySecret: secret}, time.Unix(expires, 0))
	sctx.AuthMethodQuery = true
	if err := (&signer.SignerV1{}).Sign(c.r.Context(), sctx); err != nil {
		return nil, err
	}
	expected := req.URL.Query().Get("Signature")
	if subtle.ConstantTimeCompare([]byte(expected), []byte(provided)) != 1 {
		return nil, errSignatureMismatch(accessKeyID, provided, sctx.StringToSign, "")
	}
	return p, nil
}

// parseV1Authorization splits "OSS <AccessKeyId>:<Signature>".
func parseV1Authorization(v string) (accessKeyID, signature string, ok bool) {
	rest, ok := strings.CutPrefix(v, "OSS ")
	if !ok {
		return "", "", false
	}
	accessKeyID, signature, ok = strings.Cut(strings.TrimSpace(rest), ":")
	return accessKeyID, signature, ok && accessKeyID != "" && signature != ""
}

// v1SigningTime returns the time a V1 header signature signs: x-oss-date if sent, else Date.
// It must be RFC 1123 GMT exactly, since the SDK signer re-renders it in that form.
func v1SigningTime(h http.Header) (time.Time, error) {
	v := h.Get("x-oss-date")
	if v == "" {
		v = h.Get("Date")
	}
	t, err := time.Parse(http.TimeFormat, v)
	if err != nil || t.Format(http.TimeFormat) != v {
		return t, errAccessDenied("OSS authentication requires a valid Date or x-oss-date header in RFC 1123 GMT form, " +
			"such as Wed, 28 Dec 2022 10:27:41 GMT.").withEC("0002-00000503")
	}
	return t, nil
}

// signingRequest rebuilds the received request for an SDK signer: method, headers (Host among
// them, for V4 additional headers) and the given raw query. The signer writes into it.
func (c *call) signingRequest(rawQuery string) *http.Request {
	h := c.r.Header.Clone()
	h.Set("Host", c.r.Host)
	return &http.Request{Method: c.r.Method, URL: &url.URL{RawQuery: rawQuery}, Header: h, Host: c.r.Host}
}

// signingContext is an SDK signing context for the request's bucket and key.
func (c *call) signingContext(req *http.Request, creds *credentials.Credentials, t time.Time) *signer.SigningContext {
	sctx := &signer.SigningContext{Request: req, Credentials: creds, Time: t}
	if c.bucket != "" {
		sctx.Bucket = &c.bucket
	}
	if c.key != "" {
		sctx.Key = &c.key
	}
	return sctx
}

// signingContextV1 is the SDK signing context of a V1 signature: it names the legacy
// sub-resources present in the query, since the SDK's own list is narrower than OSS's.
func (c *call) signingContextV1(req *http.Request, creds *credentials.Credentials, t time.Time) *signer.SigningContext {
	sctx := c.signingContext(req, creds, t)
	for name := range req.URL.Query() {
		if legacySubresources[name] {
			sctx.SubResource = append(sctx.SubResource, name)
		}
	}
	return sctx
}
