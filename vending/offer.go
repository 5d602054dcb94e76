package vending

import (
	"encoding/json"
	"regexp"
	"strings"
)

// stsBypassWarning is logged at startup when both routes are served and the /sts session
// policy can write: it names the bypass and the two ways to close it.
const stsBypassWarning = "vending: GET /sts and POST /sign are both offered, and the /sts session policy allows oss:PutObject: " +
	"a signed-in user can take credentials from /sts and upload any type and size under their prefix, which bypasses /sign's limits " +
	"(--presign-types, --presign-max-bytes); to enforce them, offer /sign only (--offer sign) or give /sts a session policy without oss:PutObject (--policy-file)"

// fillOffer picks the routes when Offer is zero: both, unless a /sign limit is set
// (Presign.ContentTypes or Presign.MaxBytes) and the /sts session policy allows oss:PutObject;
// then /sign only, as /sts's credentials would upload around the limit. Call it before the
// Presign defaults are filled in.
func (c *Config) fillOffer() error {
	if c.Offer != (Offer{}) {
		return nil
	}
	c.Offer = DefaultOffer
	if c.Presign.ContentTypes == nil && c.Presign.MaxBytes == 0 {
		return nil
	}
	policy, err := parsePolicyTemplate("Config.PolicyTemplate", c.PolicyTemplate, c.Bucket, c.Prefix)
	if err != nil {
		return err
	}
	if policy.grantsPut(c.Bucket, c.Prefix) {
		c.Offer = Offer{Sign: true}
	}
	return nil
}

// sampleUser is the user id a session policy is rendered for when its statements are
// examined.
const sampleUser = "sample-user"

// grantsPut reports whether the policy, rendered for a sample user, may allow oss:PutObject
// (which PutObject, PostObject, multipart uploads, AppendObject and CopyObject need): an Allow
// statement whose Action matches it (RAM wildcards, any case) or that lists NotAction instead.
// Deny statements and conditions are not weighed, so the answer errs towards yes.
func (p *policyTemplate) grantsPut(bucket, prefix string) bool {
	rendered, err := p.render(PolicyData{Bucket: bucket, Prefix: prefix + sampleUser + "/", UserID: sampleUser})
	if err != nil {
		return true
	}
	var doc struct {
		Statement []struct {
			Effect    string
			Action    stringList
			NotAction stringList
		}
	}
	if err := json.Unmarshal([]byte(rendered), &doc); err != nil {
		return true
	}
	for _, s := range doc.Statement {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		if len(s.NotAction) > 0 {
			return true
		}
		for _, action := range s.Action {
			if ramPattern(action).MatchString("oss:PutObject") {
				return true
			}
		}
	}
	return false
}

// stringList is a policy element that is a string or a list of strings.
type stringList []string

// UnmarshalJSON takes a string or a list of strings.
func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// ramPattern compiles a RAM action pattern: * matches any run of characters, ? one, case
// ignored.
func ramPattern(pattern string) *regexp.Regexp {
	quoted := regexp.QuoteMeta(pattern)
	quoted = strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(quoted)
	return regexp.MustCompile("(?i)^" + quoted + "$")
}
