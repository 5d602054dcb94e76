package wire_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldOf returns the value of the named form field, or "".
func fieldOf(fields []signer.Param, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// TestVectorsPostObject checks the PostObject vectors of spec oss-signing.md §6.6 (AccessKeyId
// "ak", secret "sk", signed 2023-12-03T12:12:12Z): the policy bytes Document builds, then
// the Base64 policy and signature SignPostObject gives.
func TestVectorsPostObject(t *testing.T) {
	now := mustTime(t, "2023-12-03T12:12:12Z")
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	policy := wire.PostPolicy{Expiration: mustTime(t, "2023-12-03T13:00:00Z"), Bucket: "examplebucket", AnyKey: true,
		ContentLengthMin: 1, ContentLengthMax: 1024}
	cases := []struct {
		id        string
		target    signer.Target
		document  string
		policyB64 string // the spec's Base64 policy, where it gives one
		sigField  string
		signature string
	}{
		{
			id:        "PostObject-V1",
			target:    signer.Target{Region: "cn-hangzhou", Version: signer.V1},
			document:  `{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},["content-length-range",1,1024]]}`,
			policyB64: "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==",
			sigField:  "Signature",
			signature: "ZeilIX96BkMFOqcTwNhY/8V+JYs=",
		},
		{
			id:     "PostObject-V4",
			target: signer.Target{Region: "cn-hangzhou", Version: signer.V4},
			document: `{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},` +
				`{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"ak/20231203/cn-hangzhou/oss/aliyun_v4_request"},` +
				`{"x-oss-date":"20231203T121212Z"},["content-length-range",1,1024]]}`,
			sigField:  "x-oss-signature",
			signature: "00a867c28c763ac3e14a0bd37dd675c9414ee3258e327b629c5ea9531f86c3b1",
		},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			signing, err := signer.PostPolicyConditions(tc.target, creds, now)
			require.NoError(t, err)
			doc, err := policy.Document(signing)
			require.NoError(t, err)
			assert.Equal(t, tc.document, string(doc), "policy document")

			form, err := wire.SignPostObject(tc.target, creds, policy, now)
			require.NoError(t, err)
			assert.Equal(t, base64.StdEncoding.EncodeToString([]byte(tc.document)), fieldOf(form.Fields, "policy"), "policy field")
			if tc.policyB64 != "" {
				assert.Equal(t, tc.policyB64, fieldOf(form.Fields, "policy"), "policy field (spec value)")
			}
			assert.Equal(t, tc.signature, fieldOf(form.Fields, tc.sigField), "signature")
			assert.Equal(t, "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/", form.URL, "URL")
		})
	}
}

func TestPostPolicyDocument(t *testing.T) {
	exp := mustTime(t, "2023-12-03T21:00:00.1239+08:00")
	const head = `{"expiration":"2023-12-03T13:00:00.123Z","conditions":[{"bucket":"examplebucket"},`
	cases := []struct {
		name    string
		policy  wire.PostPolicy
		signing []signer.Param
		want    string
	}{
		{
			name:   "exact key, one content type, status",
			policy: wire.PostPolicy{Expiration: exp, Bucket: "examplebucket", Key: "users/42/a&b.png", ContentTypes: []string{"image/png"}, SuccessActionStatus: 201},
			want:   head + `{"key":"users/42/a\u0026b.png"},{"content-type":"image/png"},{"success_action_status":"201"}]}`,
		},
		{
			name: "key prefix, content types, size, STS token",
			policy: wire.PostPolicy{Expiration: exp, Bucket: "examplebucket", KeyPrefix: "users/42/", ContentTypes: []string{"image/jpeg", "image/png"},
				ContentLengthMax: 5 << 30},
			signing: []signer.Param{{Name: "x-oss-date", Value: "20231203T121212Z"}, {Name: "x-oss-security-token", Value: "tok+/="}},
			want: head + `{"x-oss-date":"20231203T121212Z"},{"x-oss-security-token":"tok+/="},["starts-with","$key","users/42/"],` +
				`["content-length-range",0,5368709120],["in","$content-type",["image/jpeg","image/png"]]]}`,
		},
		{
			name: "pinned fields",
			policy: wire.PostPolicy{Expiration: exp, Bucket: "examplebucket", Key: "k", SuccessActionStatus: 204,
				Fields: []signer.Param{{Name: "Content-Disposition", Value: "attachment"}, {Name: "x-oss-forbid-overwrite", Value: "true"}}},
			want: head + `{"key":"k"},{"success_action_status":"204"},{"content-disposition":"attachment"},{"x-oss-forbid-overwrite":"true"}]}`,
		},
		{
			name:   "any key, nothing else",
			policy: wire.PostPolicy{Expiration: exp, Bucket: "examplebucket", AnyKey: true},
			want:   `{"expiration":"2023-12-03T13:00:00.123Z","conditions":[{"bucket":"examplebucket"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := tc.policy.Document(tc.signing)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(doc))
		})
	}
}

func TestPostPolicyDocumentErrors(t *testing.T) {
	valid := func(edit func(p *wire.PostPolicy)) wire.PostPolicy {
		p := wire.PostPolicy{Expiration: time.Date(2023, 12, 3, 13, 0, 0, 0, time.UTC), Bucket: "examplebucket", KeyPrefix: "users/42/"}
		edit(&p)
		return p
	}
	cases := []struct {
		name     string
		policy   wire.PostPolicy
		signing  []signer.Param
		code     signer.ErrorCode
		contains string
	}{
		{"no expiration", valid(func(p *wire.PostPolicy) { p.Expiration = time.Time{} }), nil, signer.CodeInvalidPolicy, "no Expiration"},
		{"no bucket", valid(func(p *wire.PostPolicy) { p.Bucket = "" }), nil, signer.CodeInvalidBucket, "no bucket"},
		{"no key condition", valid(func(p *wire.PostPolicy) { p.KeyPrefix = "" }), nil, signer.CodeInvalidPolicy, "set Key (exact) or KeyPrefix (starts-with), or AnyKey"},
		{"key and prefix", valid(func(p *wire.PostPolicy) { p.Key = "users/42/a" }), nil, signer.CodeInvalidPolicy, "exclude each other"},
		{"prefix and any key", valid(func(p *wire.PostPolicy) { p.AnyKey = true }), nil, signer.CodeInvalidPolicy, "exclude each other"},
		{"negative min", valid(func(p *wire.PostPolicy) { p.ContentLengthMin = -1 }), nil, signer.CodeInvalidPolicy, "must not be negative"},
		{"min above max", valid(func(p *wire.PostPolicy) { p.ContentLengthMin, p.ContentLengthMax = 10, 5 }), nil, signer.CodeInvalidPolicy,
			"ContentLengthMin 10 is greater than ContentLengthMax 5"},
		{"min without max", valid(func(p *wire.PostPolicy) { p.ContentLengthMin = 1 }), nil, signer.CodeInvalidPolicy, "greater than ContentLengthMax 0"},
		{"max above 5 GiB", valid(func(p *wire.PostPolicy) { p.ContentLengthMax = 5<<30 + 1 }), nil, signer.CodeInvalidPolicy, "above 5 GiB"},
		{"status 202", valid(func(p *wire.PostPolicy) { p.SuccessActionStatus = 202 }), nil, signer.CodeInvalidPolicy, "SuccessActionStatus 202"},
		{"empty content type", valid(func(p *wire.PostPolicy) { p.ContentTypes = []string{"image/png", ""} }), nil, signer.CodeInvalidPolicy, "empty entry"},
		{"invalid UTF-8 key", valid(func(p *wire.PostPolicy) { p.KeyPrefix = "users/\xff" }), nil, signer.CodeInvalidPolicy, "not valid UTF-8"},
		{"unnamed signing condition", valid(func(*wire.PostPolicy) {}), []signer.Param{{Value: "v"}}, signer.CodeInvalidPolicy, "empty name"},
		{"unnamed field", valid(func(p *wire.PostPolicy) { p.Fields = []signer.Param{{Value: "v"}} }), nil, signer.CodeInvalidPolicy, "empty name"},
		{"key as a field", valid(func(p *wire.PostPolicy) { p.Fields = []signer.Param{{Name: "Key", Value: "users/43/x"}} }), nil, signer.CodeInvalidPolicy, "not in Fields"},
		{"invalid UTF-8 field", valid(func(p *wire.PostPolicy) { p.Fields = []signer.Param{{Name: "x-oss-meta-a", Value: "\xff"}} }), nil, signer.CodeInvalidPolicy, "not valid UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := tc.policy.Document(tc.signing)
			require.Error(t, err)
			assert.Nil(t, doc, "document on error")
			assert.Contains(t, requireCode(t, err, tc.code), tc.contains)
		})
	}
}

func TestSignPostObject(t *testing.T) {
	now := mustTime(t, "2023-12-03T12:12:12Z")
	target := signer.Target{Region: "cn-hangzhou"}
	sts := signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: canarySecret, SecurityToken: canaryToken,
		Expiration: mustTime(t, "2023-12-03T12:27:12Z")}
	cases := []struct {
		name           string
		creds          signer.Credentials
		policy         wire.PostPolicy
		wantExpiration string // in the signed document
		wantFields     map[string]string
	}{
		{
			name:           "clamped to the credentials' expiry",
			creds:          sts,
			policy:         wire.PostPolicy{Expiration: mustTime(t, "2023-12-03T13:00:00Z"), Bucket: "examplebucket", Key: "users/42/a.png", SuccessActionStatus: 200},
			wantExpiration: `"expiration":"2023-12-03T12:27:12.000Z"`,
			wantFields:     map[string]string{"key": "users/42/a.png", "success_action_status": "200", "x-oss-security-token": canaryToken},
		},
		{
			name:  "pinned fields are sent",
			creds: sts,
			policy: wire.PostPolicy{Expiration: mustTime(t, "2023-12-03T12:20:00Z"), Bucket: "examplebucket", Key: "k",
				Fields: []signer.Param{{Name: "Cache-Control", Value: "private"}}},
			wantExpiration: `"expiration":"2023-12-03T12:20:00.000Z"`,
			wantFields:     map[string]string{"Cache-Control": "private"},
		},
		{
			name:           "kept when the credentials outlive it",
			creds:          sts,
			policy:         wire.PostPolicy{Expiration: mustTime(t, "2023-12-03T12:20:00Z"), Bucket: "examplebucket", KeyPrefix: "users/42/"},
			wantExpiration: `"expiration":"2023-12-03T12:20:00.000Z"`,
			wantFields:     map[string]string{"key": "", "success_action_status": ""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form, err := wire.SignPostObject(target, tc.creds, tc.policy, now)
			require.NoError(t, err)
			doc, err := base64.StdEncoding.DecodeString(fieldOf(form.Fields, "policy"))
			require.NoError(t, err)
			assert.Contains(t, string(doc), tc.wantExpiration, "policy expiration")
			assert.Contains(t, string(doc), `{"x-oss-security-token":"`+canaryToken+`"}`, "token condition")
			for name, want := range tc.wantFields {
				assert.Equal(t, want, fieldOf(form.Fields, name), "field %s", name)
			}
		})
	}
}

func TestSignPostObjectErrors(t *testing.T) {
	now := mustTime(t, "2023-12-03T12:12:12Z")
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: canarySecret}
	policy := wire.PostPolicy{Expiration: mustTime(t, "2023-12-03T13:00:00Z"), Bucket: "examplebucket", AnyKey: true}
	cases := []struct {
		name     string
		target   signer.Target
		creds    signer.Credentials
		policy   wire.PostPolicy
		code     signer.ErrorCode
		contains string
	}{
		{"policy already expired", signer.Target{Region: "cn-hangzhou"}, creds,
			wire.PostPolicy{Expiration: now, Bucket: "examplebucket", AnyKey: true}, signer.CodeInvalidExpiry, "not after the signing time"},
		{"invalid policy", signer.Target{Region: "cn-hangzhou"}, creds,
			wire.PostPolicy{Expiration: now.Add(time.Hour), Bucket: "examplebucket"}, signer.CodeInvalidPolicy, "no key condition"},
		{"invalid bucket name", signer.Target{Region: "cn-hangzhou"}, creds,
			wire.PostPolicy{Expiration: now.Add(time.Hour), Bucket: "Example_Bucket", AnyKey: true}, signer.CodeInvalidBucket, "invalid bucket name"},
		{"expired credentials", signer.Target{Region: "cn-hangzhou"},
			signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: canarySecret, SecurityToken: canaryToken, Expiration: now},
			policy, signer.CodeExpiredCredentials, "expired"},
		{"no region", signer.Target{}, creds, policy, signer.CodeInvalidRegion, "no region"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form, err := wire.SignPostObject(tc.target, tc.creds, tc.policy, now)
			require.Error(t, err)
			assert.Empty(t, form.Fields, "fields on error")
			msg := requireCode(t, err, tc.code)
			assert.Contains(t, msg, tc.contains)
			assert.NotContains(t, msg, canarySecret, "secret leaked")
		})
	}
}
