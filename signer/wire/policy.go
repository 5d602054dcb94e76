package wire

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ossign/ossign/signer"
)

const (
	// maxPostObjectSize is the largest object a PostObject upload creates (§3.4): 5 GiB.
	maxPostObjectSize = 5 << 30
	// policyTimeLayout is the policy expiration: ISO 8601 in UTC with milliseconds (§3.1).
	policyTimeLayout = "2006-01-02T15:04:05.000Z"
)

// PostPolicy describes what a PostObject form (spec oss-signing.md §3) may upload. Exactly one
// of Key, KeyPrefix and AnyKey must be set, so that a form never writes anywhere in the bucket
// by accident.
type PostPolicy struct {
	// Expiration is when the form stops working. Required.
	Expiration time.Time
	// Bucket is the bucket the form uploads to. Required.
	Bucket string
	// Key is the exact object key the form must use: {"key": Key}.
	Key string
	// KeyPrefix is a prefix the form's key must start with: ["starts-with", "$key", KeyPrefix].
	KeyPrefix string
	// AnyKey lets the form write any key in the bucket: no key condition at all.
	AnyKey bool
	// ContentLengthMin and ContentLengthMax bound the object size in bytes
	// (["content-length-range", min, max]); both zero means no bound. Max is at most 5 GiB.
	ContentLengthMin, ContentLengthMax int64
	// ContentTypes lists the Content-Type values the form may send:
	// ["in", "$content-type", [...]], or {"content-type": …} when there is exactly one.
	ContentTypes []string
	// SuccessActionStatus is the status OSS answers with: 200, 201 or 204; 0 leaves OSS's
	// default (204).
	SuccessActionStatus int
	// Fields are further form fields the form sends with exactly these values, each pinned
	// by an exact condition {name: value} that OSS enforces: Content-Disposition,
	// Cache-Control, x-oss-forbid-overwrite, x-oss-meta-*… A form that changes or leaves out
	// one is refused. OSS accepts fields a policy does not name and applies them (metadata, an
	// ACL if the signer may set one): pin every attribute that matters.
	Fields []signer.Param
}

// policyDocument is the policy JSON (§3.1). encoding/json writes struct fields in order,
// slices in order and a one-entry map as its one entry, so the bytes are deterministic.
type policyDocument struct {
	Expiration string `json:"expiration"`
	Conditions []any  `json:"conditions"`
}

// Document returns the policy's JSON bytes, the exact bytes to sign, such as
//
//	{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},["content-length-range",1,1024]]}
//
// The conditions come in this order: bucket; the signing parameters as exact conditions (for
// V4 pass signer.PostPolicyConditions: x-oss-signature-version, x-oss-credential, x-oss-date
// and x-oss-security-token; for V1 none); the key; content-length-range; content-type;
// success_action_status; Fields. Invalid policies return a *signer.Error with code
// signer.CodeInvalidPolicy (signer.CodeInvalidBucket for a missing bucket).
func (p PostPolicy) Document(signing []signer.Param) ([]byte, error) {
	if err := p.validate(signing); err != nil {
		return nil, err
	}
	conditions := []any{exact("bucket", p.Bucket)}
	for _, s := range signing {
		conditions = append(conditions, exact(s.Name, s.Value))
	}
	switch {
	case p.Key != "":
		conditions = append(conditions, exact("key", p.Key))
	case p.KeyPrefix != "":
		conditions = append(conditions, []string{"starts-with", "$key", p.KeyPrefix})
	}
	if p.ContentLengthMax > 0 {
		conditions = append(conditions, []any{"content-length-range", p.ContentLengthMin, p.ContentLengthMax})
	}
	switch len(p.ContentTypes) {
	case 0:
	case 1:
		conditions = append(conditions, exact("content-type", p.ContentTypes[0]))
	default:
		conditions = append(conditions, []any{"in", "$content-type", p.ContentTypes})
	}
	if p.SuccessActionStatus != 0 {
		conditions = append(conditions, exact("success_action_status", strconv.Itoa(p.SuccessActionStatus)))
	}
	for _, f := range p.Fields {
		conditions = append(conditions, exact(strings.ToLower(f.Name), f.Value))
	}
	return json.Marshal(policyDocument{Expiration: p.Expiration.UTC().Format(policyTimeLayout), Conditions: conditions})
}

// exact is the condition {name: value}.
func exact(name, value string) map[string]string { return map[string]string{name: value} }

func (p *PostPolicy) validate(signing []signer.Param) error {
	keyRules := 0
	for _, set := range []bool{p.Key != "", p.KeyPrefix != "", p.AnyKey} {
		if set {
			keyRules++
		}
	}
	switch {
	case p.Expiration.IsZero():
		return policyError("the policy has no Expiration: set when the form stops working")
	case p.Bucket == "":
		return newError(signer.CodeInvalidBucket, "no bucket: a PostObject policy names the bucket it uploads to")
	case keyRules == 0:
		return policyError("the policy has no key condition: set Key (exact) or KeyPrefix (starts-with), or AnyKey to let the form write any key in the bucket")
	case keyRules > 1:
		return policyError("Key, KeyPrefix and AnyKey exclude each other: set exactly one")
	case p.ContentLengthMin < 0 || p.ContentLengthMax < 0:
		return policyError("content length bounds must not be negative (min %d, max %d)", p.ContentLengthMin, p.ContentLengthMax)
	case p.ContentLengthMin > p.ContentLengthMax:
		return policyError("ContentLengthMin %d is greater than ContentLengthMax %d", p.ContentLengthMin, p.ContentLengthMax)
	case p.ContentLengthMax > maxPostObjectSize:
		return policyError("ContentLengthMax %d is above 5 GiB (%d bytes), the largest PostObject upload", p.ContentLengthMax, int64(maxPostObjectSize))
	}
	switch p.SuccessActionStatus {
	case 0, 200, 201, 204:
	default:
		return policyError("SuccessActionStatus %d is not one of 200, 201 or 204 (or 0 for OSS's default)", p.SuccessActionStatus)
	}
	texts := []string{p.Bucket, p.Key, p.KeyPrefix}
	for _, ct := range p.ContentTypes {
		if ct == "" {
			return policyError("ContentTypes has an empty entry")
		}
		texts = append(texts, ct)
	}
	for _, s := range signing {
		if s.Name == "" {
			return policyError("a signing condition has an empty name")
		}
		texts = append(texts, s.Name, s.Value)
	}
	for _, f := range p.Fields {
		switch strings.ToLower(f.Name) {
		case "":
			return policyError("a field has an empty name")
		case "key", "bucket", "content-type", "success_action_status", "policy", "file":
			return policyError("field %q has a setting of its own in PostPolicy (or none): not in Fields", f.Name)
		}
		texts = append(texts, f.Name, f.Value)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return policyError("the policy has a value that is not valid UTF-8")
		}
	}
	return nil
}

func policyError(format string, args ...any) *signer.Error {
	return newError(signer.CodeInvalidPolicy, format, args...)
}

// SignPostObject builds the policy document for p and signs it for a PostObject form upload
// with c at now (§3.2, §3.3). A policy never outlives its credentials: when c expires before
// p.Expiration, the document's expiration is c.Expiration instead. The expiration must be after
// now. The returned fields are signer.SignPostObject's plus "key" when p.Key is set,
// "success_action_status" when p.SuccessActionStatus is, and p.Fields; with KeyPrefix the
// caller adds the key, and the file must be the last field.
func SignPostObject(t signer.Target, c signer.Credentials, p PostPolicy, now time.Time) (signer.PostForm, error) {
	s, err := signer.NewSigner(t, c)
	if err != nil {
		return signer.PostForm{}, err
	}
	return SignPostObjectWith(s, p, now)
}

// SignPostObjectWith is SignPostObject with a Signer's Target and credentials, for servers that
// keep a Signer per credentials (signer.Signer derives the day's V4 key once).
func SignPostObjectWith(s *signer.Signer, p PostPolicy, now time.Time) (signer.PostForm, error) {
	if exp := s.Expiration(); !exp.IsZero() && exp.Before(p.Expiration) {
		p.Expiration = exp
	}
	signing, err := s.PostPolicyConditions(now)
	if err != nil {
		return signer.PostForm{}, err
	}
	doc, err := p.Document(signing)
	if err != nil {
		return signer.PostForm{}, err
	}
	if !p.Expiration.After(now) {
		return signer.PostForm{}, newError(signer.CodeInvalidExpiry, "the policy expires at %s, not after the signing time %s",
			p.Expiration.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	form, err := s.SignPostObject(p.Bucket, doc, now)
	if err != nil {
		return signer.PostForm{}, err
	}
	if p.Key != "" {
		form.Fields = append(form.Fields, signer.Param{Name: "key", Value: p.Key})
	}
	if p.SuccessActionStatus != 0 {
		form.Fields = append(form.Fields, signer.Param{Name: "success_action_status", Value: strconv.Itoa(p.SuccessActionStatus)})
	}
	form.Fields = append(form.Fields, p.Fields...)
	return form, nil
}
