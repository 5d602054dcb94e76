package emulator

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// copyObject is CopyObject: the object named by x-oss-copy-source becomes c.key, with the
// source's metadata (x-oss-metadata-directive COPY, the default) or the request's (REPLACE).
// The signer needs oss:GetObject on the source as well as oss:PutObject on the target.
func (c *call) copyObject() error {
	srcBucket, srcKey, err := c.copySource()
	if err != nil {
		return err
	}
	replace, err := metadataDirective(c.r.Header.Get("x-oss-metadata-directive"))
	if err != nil {
		return err
	}
	forbid, err := forbidOverwrite(c.r.Header.Get("x-oss-forbid-overwrite"))
	if err != nil {
		return err
	}
	acl, err := c.objectACL(c.r.Header.Get("x-oss-object-acl"), c.key)
	if err != nil {
		return err
	}
	m, err := c.e.store.copyTo(srcBucket, srcKey, c.bucket)
	if err != nil {
		return err
	}
	status, err := c.checkCopyable(m)
	if err == nil && replace {
		m.Headers, m.Meta, err = uploadAttributes(c.r.Header, c.key)
	}
	if err != nil || status == http.StatusNotModified {
		c.e.store.discard(c.bucket, m)
		if err != nil {
			return err
		}
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	m.Key, m.LastModified, m.ACL = c.key, c.now, acl
	if err := c.e.store.publish(c.e.store.bucket(c.bucket), m, overwriteCheck(forbid), nil); err != nil {
		return err
	}
	return c.writeCopyResult("CopyObjectResult", m.ETag, m.CRC64, m.LastModified)
}

// uploadPartCopy is UploadPartCopy: the bytes x-oss-copy-source-range selects (all of them
// without it) of the x-oss-copy-source object become a part of the upload.
func (c *call) uploadPartCopy() error {
	u, n, err := c.uploadTarget()
	if err != nil {
		return err
	}
	srcBucket, srcKey, err := c.copySource()
	if err != nil {
		return err
	}
	src, f, err := c.e.store.open(srcBucket, srcKey)
	if err != nil {
		return err
	}
	defer f.Close()
	if status, err := c.checkCopyable(src); err != nil {
		return err
	} else if status == http.StatusNotModified {
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	start, length := int64(0), src.Size
	if v := c.r.Header.Get("x-oss-copy-source-range"); v != "" {
		if start, length, err = copyRange(v, src.Size); err != nil {
			return err
		}
	}
	st, err := stage(c.e.store.tmpDir, f.section(start, length), maxObjectSize, cached)
	if err != nil {
		return err
	}
	p, err := c.e.store.putPart(u, n, st, c.now)
	if err != nil {
		return err
	}
	return c.writeCopyResult("CopyPartResult", p.ETag, p.CRC64, p.LastModified)
}

// writeCopyResult answers a copy: <root><ETag/><LastModified/></root>, with the CRC-64 of
// what was written in x-oss-hash-crc64ecma.
func (c *call) writeCopyResult(root, etag string, crc uint64, modified time.Time) error {
	c.w.Header().Set("x-oss-hash-crc64ecma", strconv.FormatUint(crc, 10))
	return c.writeXML(http.StatusOK, struct {
		XMLName      xml.Name
		ETag         string
		LastModified string
	}{XMLName: xml.Name{Local: root}, ETag: `"` + etag + `"`, LastModified: xmlTime(modified)})
}

// copySource parses x-oss-copy-source, /<bucket>/<percent-encoded key> (the official SDKs
// encode every byte but unreserved ones and, in Go, "/"), checks the bucket exists and the
// signer may read the object: oss:GetObject on it, as OSS requires of a copy.
func (c *call) copySource() (bucket, key string, err error) {
	v := c.r.Header.Get("x-oss-copy-source")
	path, version, hasVersion := strings.Cut(v, "?")
	if hasVersion {
		if strings.HasPrefix(version, "versionId=") {
			return "", "", errNotImplemented("versioning (a copy source with a versionId)")
		}
		return "", "", errInvalidArgument("x-oss-copy-source must be /<bucket>/<URL-encoded key>[?versionId=<id>].", "x-oss-copy-source", v)
	}
	bucket, escaped, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	key, uerr := url.PathUnescape(escaped)
	if !ok || !strings.HasPrefix(path, "/") || uerr != nil || !validBucketName(bucket) || checkObjectKey(key) != nil {
		return "", "", errInvalidArgument("x-oss-copy-source must be /<bucket>/<URL-encoded key>[?versionId=<id>].", "x-oss-copy-source", v)
	}
	if !c.e.store.hasBucket(bucket) {
		return "", "", errNoSuchBucket(bucket)
	}
	if err := c.authorizeAction("oss:GetObject", bucket, key, false); err != nil {
		return "", "", err
	}
	return bucket, key, nil
}

// checkCopyable refuses to copy an appendable object (OSS: "Appendable objects cannot be
// copied", https://www.alibabacloud.com/help/en/oss/developer-reference/appendobject) and
// evaluates the x-oss-copy-source-if-* conditions: 412 PreconditionFailed is an error, 304 a
// status.
func (c *call) checkCopyable(src *objectMeta) (int, error) {
	if src.Type == objectAppendable {
		return 0, newOSSError(http.StatusBadRequest, "OperationNotSupported",
			"The operation is not supported for this resource: an appendable object cannot be copied.")
	}
	h := http.Header{}
	for _, name := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if v := c.r.Header.Get("x-oss-copy-source-" + name); v != "" {
			h.Set(name, v)
		}
	}
	return checkPreconditions(h, src)
}

// metadataDirective parses x-oss-metadata-directive: COPY (or absent) keeps the source's
// metadata, REPLACE takes the request's.
func metadataDirective(v string) (replace bool, err error) {
	switch strings.ToUpper(v) {
	case "", "COPY":
		return false, nil
	case "REPLACE":
		return true, nil
	}
	return false, errInvalidArgument("x-oss-metadata-directive must be COPY or REPLACE.", "x-oss-metadata-directive", v)
}

// copyRange parses x-oss-copy-source-range, bytes=<first>-<last> within an object of size
// bytes, to a start and a length.
func copyRange(v string, size int64) (start, length int64, err error) {
	bad := errInvalidArgument("x-oss-copy-source-range must be bytes=<first>-<last> within the source object ("+
		strconv.FormatInt(size, 10)+" bytes).", "x-oss-copy-source-range", v)
	spec, ok := strings.CutPrefix(v, "bytes=")
	first, last, ok2 := strings.Cut(spec, "-")
	a, err1 := strconv.ParseInt(first, 10, 64)
	b, err2 := strconv.ParseInt(last, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil || a < 0 || b < a || b >= size {
		return 0, 0, bad
	}
	return a, b - a + 1, nil
}
