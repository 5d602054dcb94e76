package vending

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/template"
)

// MaxPolicyBytes is the largest session policy AssumeRole accepts.
const MaxPolicyBytes = 2048

// DefaultPolicyTemplate is the default session policy. Under their own prefix a user may do
// everything a file manager needs: read, write (PUT, multipart, abort and list the parts of
// their uploads), delete, and list that prefix and their unfinished uploads under it (the JS
// package aborts the extra uploads a retried InitiateMultipartUpload started); nothing outside
// it, and nothing on the bucket's configuration or ACLs. HeadObject needs no action of its own: OSS authorizes it
// with oss:GetObject.
const DefaultPolicyTemplate = `{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["oss:PutObject", "oss:GetObject", "oss:DeleteObject", "oss:AbortMultipartUpload", "oss:ListParts"],
      "Resource": ["acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*"]
    },
    {
      "Effect": "Allow",
      "Action": ["oss:ListObjects", "oss:ListMultipartUploads"],
      "Resource": ["acs:oss:*:*:{{.Bucket}}"],
      "Condition": {"StringLike": {"oss:Prefix": ["{{.Prefix}}*"]}}
    }
  ]
}`

// uploaderPolicyTemplate is the session policy of the server's own credentials, which sign
// POST /sign uploads: writing under the common prefix (the key is chosen by the server).
const uploaderPolicyTemplate = `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject"],"Resource":["acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*"]}]}`

// PolicyData is what a session policy template is executed with. Every value is safe to
// place in a JSON string as is: bucket names, prefixes and user ids use no character JSON or
// RAM wildcards give a meaning to.
type PolicyData struct {
	// Bucket is Config.Bucket.
	Bucket string
	// Prefix is the user's key prefix, Config.Prefix + user id + "/", e.g. "users/42/".
	Prefix string
	// UserID is the user id.
	UserID string
}

// policyTemplate renders session policies.
type policyTemplate struct {
	t *template.Template
}

// parsePolicyTemplate parses src and checks that it renders a valid policy for the longest
// user id, so that a bad template stops the server at startup rather than at a request.
func parsePolicyTemplate(name, src, bucket, prefix string) (*policyTemplate, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("vending: %s: %w", name, err)
	}
	p := &policyTemplate{t: t}
	longest := strings.Repeat("u", 64)
	if _, err := p.render(PolicyData{Bucket: bucket, Prefix: prefix + longest + "/", UserID: longest}); err != nil {
		return nil, fmt.Errorf("vending: %s, rendered for a 64-character user id: %w", name, err)
	}
	return p, nil
}

// render executes the template and returns the policy as compact JSON of at most
// MaxPolicyBytes.
func (p *policyTemplate) render(d PolicyData) (string, error) {
	var out bytes.Buffer
	if err := p.t.Execute(&out, d); err != nil {
		return "", err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, out.Bytes()); err != nil {
		return "", fmt.Errorf("the policy is not JSON: %v", err)
	}
	var doc struct {
		Version   string
		Statement []json.RawMessage
	}
	if err := json.Unmarshal(compact.Bytes(), &doc); err != nil || doc.Version == "" || len(doc.Statement) == 0 {
		return "", errors.New("the policy is not a RAM policy object with a Version and a Statement list")
	}
	if compact.Len() > MaxPolicyBytes {
		return "", fmt.Errorf("the policy has %d bytes, more than the %d AssumeRole accepts", compact.Len(), MaxPolicyBytes)
	}
	return compact.String(), nil
}
