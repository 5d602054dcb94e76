package signer

import (
	"time"
	"unicode/utf8"
)

// PostForm is what a browser form upload (PostObject, §3) needs besides the file.
type PostForm struct {
	// URL is where the form is POSTed: the bucket's URL, without a key.
	URL string
	// Fields are the form fields to send before the file: policy, the signature fields and,
	// for STS, x-oss-security-token. Add the key and the other fields the policy names; the
	// file must be the last field.
	Fields []Param
	// Explanation holds the string to sign (the Base64 policy) and the signature.
	Explanation Explanation
}

// maxPolicyBytes bounds a policy document; real ones are a few hundred bytes.
const maxPolicyBytes = 64 << 10

// PostPolicyConditions returns the exact-match conditions a V4 policy document must contain
// for SignPostObject at the same now (§3.3): x-oss-signature-version, x-oss-credential,
// x-oss-date and, for STS, x-oss-security-token. A V1 policy needs none.
func PostPolicyConditions(t Target, c Credentials, now time.Time) ([]Param, error) {
	s, err := NewSigner(t, c)
	if err != nil {
		return nil, err
	}
	return s.PostPolicyConditions(now)
}

// PostPolicyConditions is [PostPolicyConditions] with s's Target and credentials.
func (s *Signer) PostPolicyConditions(now time.Time) ([]Param, error) {
	if err := s.usableAt(now); err != nil {
		return nil, err
	}
	if s.e.version != V4 {
		return nil, nil
	}
	return s.postConditions(timestamp(now)), nil
}

// postConditions are the V4 conditions at timestamp ts.
func (s *Signer) postConditions(ts string) []Param {
	out := []Param{
		{"x-oss-signature-version", algorithmV4},
		{"x-oss-credential", s.day(ts).credential},
		{"x-oss-date", ts},
	}
	if s.c.SecurityToken != "" {
		out = append(out, Param{hdrSecurityToken, s.c.SecurityToken})
	}
	return out
}

// SignPostObject signs policy, the exact bytes of a PostObject policy document (JSON), for an
// upload to bucket at now. V1: Base64(HMAC-SHA1(secret, base64(policy))); V4: hex of
// HMAC-SHA256 with the V4 signing key over base64(policy). For V4 the policy must contain the
// conditions PostPolicyConditions returns for the same now.
func SignPostObject(t Target, c Credentials, bucket string, policy []byte, now time.Time) (PostForm, error) {
	s, err := NewSigner(t, c)
	if err != nil {
		return PostForm{}, err
	}
	return s.SignPostObject(bucket, policy, now)
}

// SignPostObject is [SignPostObject] with s's Target and credentials.
func (s *Signer) SignPostObject(bucket string, policy []byte, now time.Time) (PostForm, error) {
	if bucket == "" {
		return PostForm{}, newError(CodeInvalidBucket, "no bucket: a PostObject form uploads to a bucket")
	}
	if err := validBucket(bucket, "", &s.e); err != nil {
		return PostForm{}, err
	}
	if len(policy) == 0 || len(policy) > maxPolicyBytes || !utf8.Valid(policy) || policy[0] != '{' {
		return PostForm{}, newError(CodeInvalidPolicy, "the policy must be a UTF-8 JSON object of at most 64 KiB, starting with '{'")
	}
	if err := s.usableAt(now); err != nil {
		return PostForm{}, err
	}
	c := &s.c
	encoded := finished(appendBase64(make([]byte, 0, (len(policy)+2)/3*4), policy))
	fields := []Param{{"policy", encoded}}
	x := Explanation{Version: s.e.version, StringToSign: encoded}
	if s.e.version == V1 {
		x.Signature = signatureV1(s.v1, []byte(encoded))
		fields = append(fields, Param{"OSSAccessKeyId", c.AccessKeyID}, Param{"Signature", x.Signature})
		if c.SecurityToken != "" {
			fields = append(fields, Param{hdrSecurityToken, c.SecurityToken})
		}
	} else {
		ts := timestamp(now)
		var mac [sha256Size]byte
		s.day(ts).mac.sum(mac[:0], []byte(encoded))
		x.Signature = string(appendHex(nil, mac[:]))
		fields = append(fields, s.postConditions(ts)...)
		fields = append(fields, Param{"x-oss-signature", x.Signature})
	}
	u := appendBaseURL(make([]byte, 0, 128), &s.e, bucket, "")
	return PostForm{URL: finished(u), Fields: fields, Explanation: x}, nil
}
