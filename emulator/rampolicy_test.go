package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRAMPolicyEvaluation checks session-policy evaluation the way RAM does it: wildcards in
// actions (case-insensitive) and resources, Deny over Allow, default deny, NotAction,
// NotResource and conditions.
func TestRAMPolicyEvaluation(t *testing.T) {
	const obj = "acs:oss:cn-hangzhou:1234567890123456:bucket/users/42/a.jpg"
	const bucket = "acs:oss:cn-hangzhou:1234567890123456:bucket"
	cases := []struct {
		name     string
		policy   string
		action   string
		resource string
		ctx      map[string]string
		want     bool
	}{
		{"exact action and prefix wildcard", `{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:bucket/users/42/*"}`, "oss:PutObject", obj, nil, true},
		{"another prefix", `{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:bucket/users/43/*"}`, "oss:PutObject", obj, nil, false},
		{"another action", `{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}`, "oss:PutObject", obj, nil, false},
		{"action wildcard", `{"Effect":"Allow","Action":"oss:Get*","Resource":"*"}`, "oss:GetObject", obj, nil, true},
		{"service wildcard", `{"Effect":"Allow","Action":"oss:*","Resource":"*"}`, "oss:DeleteObject", obj, nil, true},
		{"actions are case-insensitive", `{"Effect":"Allow","Action":"OSS:getobject","Resource":"*"}`, "oss:GetObject", obj, nil, true},
		{"resources are case-sensitive", `{"Effect":"Allow","Action":"oss:*","Resource":"acs:oss:*:*:bucket/USERS/42/*"}`, "oss:GetObject", obj, nil, false},
		{"question mark is one character", `{"Effect":"Allow","Action":"oss:*","Resource":"acs:oss:*:*:bucket/users/4?/*"}`, "oss:GetObject", obj, nil, true},
		{"list of actions", `{"Effect":"Allow","Action":["oss:ListParts","oss:PutObject"],"Resource":["acs:oss:*:*:other/*","acs:oss:*:*:bucket/*"]}`, "oss:PutObject", obj, nil, true},
		{"object pattern does not cover the bucket", `{"Effect":"Allow","Action":"oss:ListObjects","Resource":"acs:oss:*:*:bucket/*"}`, "oss:ListObjects", bucket, nil, false},
		{"NotAction", `{"Effect":"Allow","NotAction":"oss:DeleteObject","Resource":"*"}`, "oss:PutObject", obj, nil, true},
		{"NotAction excludes", `{"Effect":"Allow","NotAction":"oss:DeleteObject","Resource":"*"}`, "oss:DeleteObject", obj, nil, false},
		{"NotResource", `{"Effect":"Allow","Action":"oss:*","NotResource":"acs:oss:*:*:bucket/admin/*"}`, "oss:GetObject", obj, nil, true},
		{"prefix condition met", `{"Effect":"Allow","Action":"oss:ListObjects","Resource":"` + bucket + `","Condition":{"StringLike":{"oss:Prefix":["users/42/*"]}}}`, "oss:ListObjects", bucket, map[string]string{"oss:prefix": "users/42/"}, true},
		{"prefix condition failed", `{"Effect":"Allow","Action":"oss:ListObjects","Resource":"` + bucket + `","Condition":{"StringLike":{"oss:Prefix":"users/42/*"}}}`, "oss:ListObjects", bucket, map[string]string{"oss:prefix": "users/"}, false},
		{"condition key absent", `{"Effect":"Allow","Action":"oss:ListObjects","Resource":"*","Condition":{"StringEquals":{"oss:Prefix":"users/42/"}}}`, "oss:ListObjects", bucket, nil, false},
		{"negated condition, key absent", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"StringNotLike":{"oss:Prefix":"admin/*"}}}`, "oss:ListObjects", bucket, nil, true},
		{"IP condition", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"127.0.0.0/8"}}}`, "oss:GetObject", obj, map[string]string{"acs:sourceip": "127.0.0.1"}, true},
		{"NotIpAddress condition", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["127.0.0.1"]}}}`, "oss:GetObject", obj, map[string]string{"acs:sourceip": "127.0.0.1"}, false},
		{"Bool condition", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":true}}}`, "oss:GetObject", obj, map[string]string{"acs:securetransport": "false"}, false},
		{"date condition", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"2030-01-01T00:00:00Z"}}}`, "oss:GetObject", obj, map[string]string{"acs:currenttime": "2026-01-01T00:00:00Z"}, true},
		{"numeric condition", `{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"NumericLessThanEquals":{"oss:MaxKeys":100}}}`, "oss:ListObjects", bucket, map[string]string{"oss:maxkeys": "1000"}, false},
		{"deny wins", `{"Effect":"Allow","Action":"oss:*","Resource":"*"},{"Effect":"Deny","Action":"oss:PutObject","Resource":"acs:oss:*:*:bucket/users/42/*"}`, "oss:PutObject", obj, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parseRAMPolicy(`{"Version":"1","Statement":[` + tc.policy + `]}`)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.allows(tc.action, tc.resource, tc.ctx))
		})
	}
}

// TestRAMPolicyGrammar checks the documents parseRAMPolicy refuses.
func TestRAMPolicyGrammar(t *testing.T) {
	cases := []struct{ name, doc string }{
		{"not JSON", `allow all`},
		{"wrong version", `{"Version":"2","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}]}`},
		{"no statement", `{"Version":"1","Statement":[]}`},
		{"unknown top-level field", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}],"Id":"x"}`},
		{"unknown statement field", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*","Principal":"*"}]}`},
		{"bad effect", `{"Version":"1","Statement":[{"Effect":"allow","Action":"oss:*","Resource":"*"}]}`},
		{"both Action and NotAction", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","NotAction":"oss:Get*","Resource":"*"}]}`},
		{"no resource", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*"}]}`},
		{"empty action list", `{"Version":"1","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`},
		{"action without service", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}`},
		{"resource that is not an ARN", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"bucket/*"}]}`},
		{"unknown condition operator", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"StringStartsWith":{"oss:Prefix":"a"}}}]}`},
		{"condition value that is an object", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{"StringLike":{"oss:Prefix":{"a":1}}}}]}`},
		{"trailing data", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}]} {}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseRAMPolicy(tc.doc)
			assert.Error(t, err)
		})
	}
}
