package vending

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultPolicy(t *testing.T) {
	p, err := parsePolicyTemplate("default", DefaultPolicyTemplate, testBucket, DefaultPrefix)
	require.NoError(t, err)
	got, err := p.render(PolicyData{Bucket: testBucket, Prefix: "users/42/", UserID: "42"})
	require.NoError(t, err)
	want := `{"Version":"1","Statement":[` +
		`{"Effect":"Allow","Action":["oss:PutObject","oss:GetObject","oss:DeleteObject","oss:AbortMultipartUpload","oss:ListParts"],"Resource":["acs:oss:*:*:examplebucket/users/42/*"]},` +
		`{"Effect":"Allow","Action":["oss:ListObjects","oss:ListMultipartUploads"],"Resource":["acs:oss:*:*:examplebucket"],"Condition":{"StringLike":{"oss:Prefix":["users/42/*"]}}}]}`
	assert.Equal(t, want, got)

	longest, err := p.render(PolicyData{Bucket: strings.Repeat("b", 63), Prefix: strings.Repeat("p", 200) + "/" + strings.Repeat("u", 64) + "/", UserID: strings.Repeat("u", 64)})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(longest), MaxPolicyBytes, "a 63-character bucket, a 200-character prefix and a 64-character user id still fit")
}

func TestUploaderPolicy(t *testing.T) {
	p, err := parsePolicyTemplate("uploader", uploaderPolicyTemplate, testBucket, DefaultPrefix)
	require.NoError(t, err)
	got, err := p.render(PolicyData{Bucket: testBucket, Prefix: DefaultPrefix})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject"],"Resource":["acs:oss:*:*:examplebucket/users/*"]}]}`, got)
}

func TestPolicyTemplateErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"template syntax", `{"Version":"1","Statement":[{{.Bucket}]}`, "Config.PolicyTemplate"},
		{"unknown field", `{"Version":"1","Statement":[{"Resource":"{{.Tenant}}"}]}`, "Tenant"},
		{"not JSON", `Version: 1`, "not JSON"},
		{"no statement", `{"Version":"1"}`, "Statement"},
		{"statement not a list", `{"Version":"1","Statement":{}}`, "Statement"},
		{"too long for a 64-character user id", `{"Version":"1","Statement":[{"Resource":"` + strings.Repeat("{{.UserID}}", 32) + `"}]}`, "more than the 2048"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePolicyTemplate("Config.PolicyTemplate", tc.src, testBucket, DefaultPrefix)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCustomPolicyTemplateReachesSTS(t *testing.T) {
	tmpl := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*","Condition":{"StringEquals":{"acs:SourceIp":"10.0.0.1"}}}]}`
	h := newHarness(t, func(c *Config) { c.PolicyTemplate = tmpl })
	resp := h.getSTS("alice", nil)
	require.Equal(t, 200, resp.StatusCode)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(h.sts.lastRequest(t).policy), &doc))
	statement := doc["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, "acs:oss:*:*:examplebucket/users/alice/*", statement["Resource"])
	assert.Equal(t, "oss:GetObject", statement["Action"])
}
