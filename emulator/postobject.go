package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxFormFields bounds the size of a PostObject form's fields (everything but the file).
const maxFormFields = 64 << 10

// postObject is PostObject: a multipart/form-data upload whose fields carry the object key,
// the policy and its signature (V1 or V4), then the file. The signature and the policy (expiry
// and every condition) are checked before the file is read; the size range once it is. As on
// OSS, a field no condition names is accepted and applied like the request header of its name
// in PutObject (Content-Type, Content-Disposition, Cache-Control, x-oss-meta-*,
// x-oss-object-acl, x-oss-forbid-overwrite…; others are ignored), unless Config.StrictPost;
// fields after the file are ignored (OSS's sample form sends "submit" there).
func (c *call) postObject() error {
	mr, err := c.r.MultipartReader()
	if err != nil {
		return errInvalidArgument("PostObject needs a multipart/form-data body.", "Content-Type", c.r.Header.Get("Content-Type"))
	}
	fields, file, err := readFormFields(mr)
	if err != nil {
		return err
	}
	key := strings.ReplaceAll(fields["key"], "${filename}", baseName(file.FileName()))
	if fields["key"] == "" {
		return errInvalidArgument("The key field is required.", "key", "")
	}
	if err := checkObjectKey(key); err != nil {
		return err
	}
	if b, ok := fields["bucket"]; ok && b != c.bucket {
		return errInvalidArgument("The bucket field names another bucket than the one the form is posted to.", "bucket", b)
	}
	sent := slices.Collect(maps.Keys(fields))
	fields["bucket"], fields["key"] = c.bucket, key
	policy, err := c.authenticatePost(fields)
	if err != nil {
		return err
	}
	if err := c.authorize(key); err != nil {
		return err
	}
	if err := policy.check(fields); err != nil {
		return err
	}
	if c.e.cfg.StrictPost {
		if err := policy.checkNamed(sent); err != nil {
			return err
		}
	}
	forbid, err := forbidOverwrite(fields["x-oss-forbid-overwrite"])
	if err != nil {
		return err
	}
	acl, err := c.objectACL(fields["x-oss-object-acl"], key)
	if err != nil {
		return err
	}
	header := http.Header{}
	for name, v := range fields {
		header.Set(name, v)
	}
	if header.Get("Content-Type") == "" {
		header.Set("Content-Type", file.Header.Get("Content-Type"))
	}
	headers, meta, err := uploadAttributes(header, key)
	if err != nil {
		return err
	}
	limit := int64(maxObjectSize)
	if policy.hasSize {
		limit = min(limit, policy.sizeMax)
	}
	st, err := stage(c.e.store.tmpDir, file, limit, synced)
	var oe *ossError
	var re *readError
	switch {
	case errors.As(err, &oe) && oe.code == "EntityTooLarge" && policy.hasSize:
		return policy.checkSize(limit + 1)
	case errors.As(err, &re):
		return errInvalidArgument("The file field could not be read: the form is malformed or incomplete.", "file", "")
	case err != nil:
		return err
	}
	if err := policy.checkSize(st.size); err != nil {
		st.discard()
		return err
	}
	m := normalObject(key, st, c.now, headers, meta)
	m.ACL = acl
	if err := c.e.store.put(c.bucket, m, st, forbid); err != nil {
		return err
	}
	return c.postResponse(fields, m)
}

// readFormFields reads the form up to its file field: field names lower-cased, each at most
// once, together at most 64 KiB.
func readFormFields(mr *multipart.Reader) (map[string]string, *multipart.Part, error) {
	fields := map[string]string{}
	size := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, nil, errInvalidArgument("The form has no file field.", "file", "")
		}
		if err != nil {
			return nil, nil, errInvalidArgument("The multipart/form-data body is malformed.", "Content-Type", "")
		}
		name := strings.ToLower(part.FormName())
		if name == "file" {
			return fields, part, nil
		}
		value, err := io.ReadAll(io.LimitReader(part, int64(maxFormFields-size+1)))
		size += len(name) + len(value)
		switch {
		case err != nil:
			return nil, nil, errInvalidArgument("The multipart/form-data body is malformed.", name, "")
		case size > maxFormFields:
			return nil, nil, errInvalidArgument("The form fields before the file exceed 64 KiB.", name, "")
		}
		if _, dup := fields[name]; dup {
			return nil, nil, errInvalidArgument("The form field "+name+" may appear only once.", name, "")
		}
		fields[name] = string(value)
	}
}

// baseName is the last element of a file name sent with either kind of separator.
func baseName(name string) string {
	return name[strings.LastIndexAny(name, `/\`)+1:]
}

// authenticatePost verifies a PostObject form's signature and policy (spec §3) and returns the
// policy. V1: Signature = Base64(HMAC-SHA1(secret, policy)). V4: x-oss-signature =
// Hex(HMAC-SHA256(signing key, policy)), and the policy must repeat the x-oss-signature-version,
// x-oss-credential and x-oss-date fields (and x-oss-security-token, with STS) as exact
// conditions.
func (c *call) authenticatePost(f map[string]string) (*postPolicy, error) {
	v1 := f["ossaccesskeyid"] != "" || f["signature"] != ""
	v4 := f["x-oss-signature-version"] != "" || f["x-oss-credential"] != "" || f["x-oss-signature"] != ""
	switch {
	case v1 && v4:
		return nil, errInvalidArgument("Sign the form with either V1 (OSSAccessKeyId, Signature) or V4 (x-oss-signature…), not both.", "Signature", "")
	case !v1 && !v4:
		return nil, errAccessDenied("You have no right to access this object because of bucket acl: anonymous PostObject is not allowed; sign the policy.")
	case f["policy"] == "":
		return nil, errInvalidArgument("A signed PostObject form needs the policy field.", "policy", "")
	}
	token := f["x-oss-security-token"]
	var err error
	if v1 {
		c.principal, err = c.verifyPostV1(f, token)
	} else {
		c.principal, err = c.verifyPostV4(f, token)
	}
	if err != nil {
		return nil, err
	}
	policy, err := parsePostPolicy(f["policy"])
	if err != nil {
		return nil, err
	}
	if c.now.After(policy.expiration) {
		return nil, errPolicyViolation("Policy expired.").with("Expiration", policy.expiration.UTC().Format(ossTime)).
			with("ServerTime", c.now.UTC().Format(ossTime))
	}
	if v4 {
		required := []string{"x-oss-signature-version", "x-oss-credential", "x-oss-date"}
		if token != "" {
			required = append(required, "x-oss-security-token")
		}
		for _, name := range required {
			if !policy.hasExact(name, f[name]) {
				return nil, errPolicyViolation("a V4 policy must contain the condition {\"" + name + "\": \"<the form's " + name + ">\"}.")
			}
		}
	}
	return policy, nil
}

// verifyPostV1 checks Signature = Base64(HMAC-SHA1(secret, policy)).
func (c *call) verifyPostV1(f map[string]string, token string) (*principal, error) {
	accessKeyID, provided := f["ossaccesskeyid"], f["signature"]
	if accessKeyID == "" || provided == "" {
		return nil, errInvalidArgument("A V1 PostObject form needs OSSAccessKeyId and Signature.", "OSSAccessKeyId", accessKeyID)
	}
	p, secret, err := c.e.credentialsFor(accessKeyID, token, c.now)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(f["policy"]))
	got, err := base64.StdEncoding.DecodeString(provided)
	if err != nil || !hmac.Equal(m.Sum(nil), got) {
		return nil, errSignatureMismatch(accessKeyID, provided, f["policy"], "")
	}
	return p, nil
}

// verifyPostV4 checks x-oss-signature = Hex(HMAC-SHA256(signing key, policy)), with the
// signing time within the allowed skew in the future and 7 days in the past.
func (c *call) verifyPostV4(f map[string]string, token string) (*principal, error) {
	if v := f["x-oss-signature-version"]; v != v4Algorithm {
		return nil, errInvalidArgument("x-oss-signature-version must be OSS4-HMAC-SHA256.", "x-oss-signature-version", v)
	}
	scope, err := c.e.parseCredential(f["x-oss-credential"], "x-oss-credential")
	if err != nil {
		return nil, err
	}
	t, err := parseV4Time(f["x-oss-date"], scope, "x-oss-date")
	if err != nil {
		return nil, err
	}
	if t.Sub(c.now) > maxSkew {
		return nil, c.checkSkew(t)
	}
	if expires := t.Add(maxV4URLLifetime * time.Second); c.now.After(expires) {
		return nil, c.errExpired(expires)
	}
	p, secret, err := c.e.credentialsFor(scope.accessKeyID, token, c.now)
	if err != nil {
		return nil, err
	}
	expected := hmacSHA256(signingKeyV4(secret, scope.date, scope.region, scope.product), f["policy"])
	provided, err := hex.DecodeString(f["x-oss-signature"])
	if err != nil || !hmac.Equal(expected, provided) {
		return nil, errSignatureMismatch(scope.accessKeyID, f["x-oss-signature"], f["policy"], "")
	}
	return p, nil
}

// postResponse answers a stored PostObject: a 303 redirect to success_action_redirect, or
// success_action_status 200 (empty), 201 (an XML PostResponse) or 204 (the default).
func (c *call) postResponse(f map[string]string, m *objectMeta) error {
	c.writeUploadResult(m.ETag, m.CRC64, m.ContentMD5)
	if redirect, err := url.Parse(f["success_action_redirect"]); err == nil && redirect.IsAbs() {
		q := redirect.Query()
		q.Set("bucket", c.bucket)
		q.Set("key", m.Key)
		q.Set("etag", `"`+m.ETag+`"`)
		redirect.RawQuery = q.Encode()
		http.Redirect(c.w, c.r, redirect.String(), http.StatusSeeOther)
		return nil
	}
	switch f["success_action_status"] {
	case "200":
		c.w.Header().Set("Content-Length", "0")
		c.w.WriteHeader(http.StatusOK)
		return nil
	case "201":
		return c.writeXML(http.StatusCreated, struct {
			XMLName  xml.Name `xml:"PostResponse"`
			Bucket   string
			Location string
			Key      string
			ETag     string
		}{Bucket: c.bucket, Location: c.objectURL(m.Key), Key: m.Key, ETag: `"` + m.ETag + `"`})
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// objectURL is the URL of an object, in the addressing style of the request.
func (c *call) objectURL(key string) string {
	if _, virtual := c.e.virtualHostBucket(c.r.Host); virtual {
		return "http://" + c.r.Host + "/" + uriEncode(key, true)
	}
	return "http://" + c.r.Host + "/" + c.bucket + "/" + uriEncode(key, true)
}
