package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// storedHeaders are the standard headers an upload stores and a download returns.
var storedHeaders = []string{"Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

// maxUserMetaSize is OSS's limit on the total size of x-oss-meta-* names and values: 8 KiB.
const maxUserMetaSize = 8 << 10

// putObject is PutObject: the body becomes the object once it is wholly received and its
// Content-MD5, when sent, matches.
func (c *call) putObject() error {
	spec, err := c.objectAttributes()
	if err != nil {
		return err
	}
	st, err := c.stageBody(synced)
	if err != nil {
		return err
	}
	m := normalObject(c.key, st, c.now, spec.headers, spec.meta)
	m.ACL = spec.acl
	if err := c.e.store.put(c.bucket, m, st, spec.forbid); err != nil {
		return err
	}
	c.writeUploadResult(m.ETag, m.CRC64, m.ContentMD5)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// uploadSpec is what an upload request asks for besides the bytes.
type uploadSpec struct {
	// forbid is x-oss-forbid-overwrite.
	forbid bool
	// headers and meta are the standard headers and the user metadata to store.
	headers, meta map[string]string
	// acl is x-oss-object-acl ("" for default).
	acl string
}

// objectAttributes reads what PutObject, InitiateMultipartUpload and AppendObject store
// besides the bytes: x-oss-forbid-overwrite (refusing at once when the object exists), the
// standard headers, the user metadata and x-oss-object-acl.
func (c *call) objectAttributes() (uploadSpec, error) {
	var spec uploadSpec
	var err error
	if spec.forbid, err = forbidOverwrite(c.r.Header.Get("x-oss-forbid-overwrite")); err != nil {
		return spec, err
	}
	if spec.forbid && c.e.store.exists(c.bucket, c.key) {
		return spec, errFileAlreadyExists()
	}
	if spec.acl, err = c.objectACL(c.r.Header.Get("x-oss-object-acl"), c.key); err != nil {
		return spec, err
	}
	spec.headers, spec.meta, err = uploadAttributes(c.r.Header, c.key)
	return spec, err
}

// normalObject describes a Normal (single-request) object of the staged bytes st.
func normalObject(key string, st *staged, now time.Time, headers, meta map[string]string) *objectMeta {
	return &objectMeta{
		Key: key, Size: st.size, CRC64: st.crc, LastModified: now, Type: objectNormal,
		ETag:       strings.ToUpper(hex.EncodeToString(st.md5[:])),
		ContentMD5: base64.StdEncoding.EncodeToString(st.md5[:]),
		Headers:    headers, Meta: meta,
	}
}

// writeUploadResult sets the headers OSS returns for stored bytes: ETag (quoted),
// x-oss-hash-crc64ecma (decimal) and Content-MD5.
func (c *call) writeUploadResult(etag string, crc uint64, contentMD5 string) {
	h := c.w.Header()
	h.Set("ETag", `"`+etag+`"`)
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(crc, 10))
	if contentMD5 != "" {
		h.Set("Content-MD5", contentMD5)
	}
}

// deleteObject is DeleteObject: 204 whether or not the object existed.
func (c *call) deleteObject() error {
	if err := c.e.store.delete(c.bucket, c.key); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// stageBody stores the request body in a staged file (synced if d says so), checking its
// size and Content-MD5.
func (c *call) stageBody(d durability) (*staged, error) {
	want, err := contentMD5(c.r.Header.Get("Content-MD5"))
	if err != nil {
		return nil, err
	}
	if c.r.ContentLength > maxObjectSize {
		return nil, newOSSError(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.").
			with("MaxSizeAllowed", strconv.Itoa(maxObjectSize))
	}
	st, err := stage(c.e.store.tmpDir, c.r.Body, maxObjectSize, d)
	var re *readError
	if errors.As(err, &re) {
		return nil, newOSSError(http.StatusBadRequest, "IncompleteBody",
			"You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	if err != nil {
		return nil, err
	}
	if want != nil && !bytes.Equal(want, st.md5[:]) {
		st.discard()
		return nil, errDigestMismatch(c.r.Header.Get("Content-MD5"), st.md5[:])
	}
	return st, nil
}

// errDigestMismatch is 400 InvalidDigest for a body whose MD5 is not its Content-MD5. OSS
// answers InvalidDigest, not S3's BadDigest ("The Content-MD5 you specified was invalid",
// https://www.alibabacloud.com/help/en/oss/the-the-content-md5-you-specified-was-invalid-error-message-is-returned-when-you-upload-a-file-to-oss-by-using-sts),
// with EC 0017-00000503 (https://help.aliyun.com/zh/oss/user-guide/0017-00000503).
func errDigestMismatch(sent string, got []byte) *ossError {
	return newOSSError(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified was invalid.").
		with("Content-MD5", sent).
		with("CalculatedMD5", base64.StdEncoding.EncodeToString(got)).withEC("0017-00000503")
}

// contentMD5 decodes a Content-MD5 header: nil when absent, InvalidDigest when not the Base64
// of 16 bytes (EC 0017-00000502, https://help.aliyun.com/zh/oss/user-guide/0017-00000502).
func contentMD5(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	sum, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(sum) != 16 {
		return nil, newOSSError(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.").
			with("Content-MD5", v).withEC("0017-00000502")
	}
	return sum, nil
}

// forbidOverwrite parses x-oss-forbid-overwrite ("true", "false" or absent).
func forbidOverwrite(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, errInvalidArgument("x-oss-forbid-overwrite must be true or false.", "x-oss-forbid-overwrite", v).withEC(ecForbidOverwriteValue)
}

// uploadAttributes collects what an upload stores besides its bytes from h (request headers,
// or PostObject form fields): the standard headers, Content-Type defaulting by the key's
// extension as OSS does, and the x-oss-meta-* user metadata.
func uploadAttributes(h http.Header, key string) (headers, meta map[string]string, err error) {
	headers = map[string]string{}
	for _, name := range storedHeaders {
		if v := h.Get(name); v != "" {
			headers[name] = v
		}
	}
	if headers["Content-Type"] == "" {
		headers["Content-Type"] = defaultContentType(key)
	}
	meta, err = userMeta(h)
	return headers, meta, err
}

// userMeta returns the x-oss-meta-* entries of h by lower-case name, refusing more than 8 KiB.
func userMeta(h http.Header) (map[string]string, error) {
	meta := map[string]string{}
	size := 0
	for name, values := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-oss-meta-") {
			meta[lower] = strings.Join(values, ",")
			size += len(lower) + len(meta[lower])
		}
	}
	if size > maxUserMetaSize {
		return nil, newOSSError(http.StatusBadRequest, "MetadataTooLarge",
			"Your metadata headers exceed the maximum allowed metadata size.").with("MaxSizeAllowed", strconv.Itoa(maxUserMetaSize))
	}
	return meta, nil
}
