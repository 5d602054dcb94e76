package emulator

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ossTime is the time format of OSS's XML documents.
const ossTime = "2006-01-02T15:04:05.000Z"

// initiateMultipartUpload is InitiateMultipartUpload: the request's headers become the object's
// once the upload completes.
func (c *call) initiateMultipartUpload() error {
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	spec, err := c.objectAttributes()
	if err != nil {
		return err
	}
	u, err := c.e.store.initiate(c.bucket, c.key, spec, c.now)
	if err != nil {
		return err
	}
	return c.writeXML(http.StatusOK, struct {
		XMLName      xml.Name `xml:"InitiateMultipartUploadResult"`
		Bucket       string
		Key          string
		UploadID     string `xml:"UploadId"`
		EncodingType string `xml:",omitempty"`
	}{Bucket: c.bucket, Key: enc.encode(c.key), UploadID: u.ID, EncodingType: enc.name()})
}

// uploadTarget returns the upload and the part number an UploadPart or UploadPartCopy writes.
func (c *call) uploadTarget() (*upload, int, error) {
	q := c.r.URL.Query()
	n, err := strconv.Atoi(q.Get("partNumber"))
	if err != nil || n < 1 || n > maxPartNumber {
		return nil, 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive.", "partNumber", q.Get("partNumber"))
	}
	u, err := c.e.store.upload(q.Get("uploadId"), c.bucket, c.key)
	return u, n, err
}

// uploadPart is UploadPart.
func (c *call) uploadPart() error {
	u, n, err := c.uploadTarget()
	if err != nil {
		return err
	}
	st, err := c.stageBody(cached)
	if err != nil {
		return err
	}
	p, err := c.e.store.putPart(u, n, st, c.now)
	if err != nil {
		return err
	}
	c.writeUploadResult(p.ETag, p.CRC64, "")
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// listPartsResult is ListParts' answer.
type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	EncodingType         string   `xml:",omitempty"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	StorageClass         string
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []listedPart `xml:"Part"`
}

// listedPart is one part in ListParts' answer.
type listedPart struct {
	PartNumber    int
	LastModified  string
	ETag          string
	HashCrc64ecma string
	Size          int64
}

// listParts is ListParts: parts after part-number-marker, at most max-parts (1–1000, default
// 1000) of them.
func (c *call) listParts() error {
	q := c.r.URL.Query()
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	maxParts, err := intParam(q, "max-parts", 1000, 1, 1000)
	if err != nil {
		return err
	}
	marker, err := intParam(q, "part-number-marker", 0, 0, maxPartNumber)
	if err != nil {
		return err
	}
	u, err := c.e.store.upload(q.Get("uploadId"), c.bucket, c.key)
	if err != nil {
		return err
	}
	parts, err := c.e.store.listParts(u)
	if err != nil {
		return err
	}
	res := listPartsResult{
		EncodingType: enc.name(), Bucket: c.bucket, Key: enc.encode(c.key), UploadID: u.ID,
		StorageClass: "Standard", PartNumberMarker: marker, MaxParts: maxParts,
	}
	for _, p := range parts {
		if p.Number <= marker {
			continue
		}
		if len(res.Parts) == maxParts {
			res.IsTruncated = true
			break
		}
		res.Parts = append(res.Parts, listedPart{
			PartNumber: p.Number, LastModified: xmlTime(p.LastModified), ETag: `"` + p.ETag + `"`,
			HashCrc64ecma: strconv.FormatUint(p.CRC64, 10), Size: p.Size,
		})
		res.NextPartNumberMarker = p.Number
	}
	return c.writeXML(http.StatusOK, res)
}

// completeMultipartUpload is CompleteMultipartUpload, from a part list or, with
// "x-oss-complete-all: yes" and no body, from every uploaded part.
func (c *call) completeMultipartUpload() error {
	q := c.r.URL.Query()
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	forbid, err := forbidOverwrite(c.r.Header.Get("x-oss-forbid-overwrite"))
	if err != nil {
		return err
	}
	u, err := c.e.store.upload(q.Get("uploadId"), c.bucket, c.key)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	if err != nil {
		return err
	}
	all := strings.EqualFold(c.r.Header.Get("x-oss-complete-all"), "yes")
	var doc struct {
		Parts []partRef `xml:"Part"`
	}
	switch {
	case all && len(strings.TrimSpace(string(body))) > 0:
		return errInvalidArgument("With x-oss-complete-all: yes the request body must be empty.", "x-oss-complete-all", "yes")
	case !all && xml.Unmarshal(body, &doc) != nil:
		return errMalformedXML()
	}
	m, err := c.e.store.complete(u, doc.Parts, all, forbid, c.now)
	if err != nil {
		return err
	}
	c.writeUploadResult(m.ETag, m.CRC64, "")
	return c.writeXML(http.StatusOK, struct {
		XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
		EncodingType string   `xml:",omitempty"`
		Location     string
		Bucket       string
		Key          string
		ETag         string
	}{
		EncodingType: enc.name(), Location: c.objectURL(c.key),
		Bucket: c.bucket, Key: enc.encode(c.key), ETag: `"` + m.ETag + `"`,
	})
}

// abortMultipartUpload is AbortMultipartUpload.
func (c *call) abortMultipartUpload() error {
	u, err := c.e.store.upload(c.r.URL.Query().Get("uploadId"), c.bucket, c.key)
	if err != nil {
		return err
	}
	if err := c.e.store.abort(u); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// keyEncoding is a request's encoding-type: with "url", keys and prefixes in the answer are
// URL-encoded (spaces as %20).
type keyEncoding bool

// encodingType reads and checks the encoding-type parameter.
func (c *call) encodingType() (keyEncoding, error) {
	switch v := c.r.URL.Query().Get("encoding-type"); v {
	case "":
		return false, nil
	case "url":
		return true, nil
	default:
		return false, errInvalidArgument("The encoding-type parameter must be url.", "encoding-type", v)
	}
}

// encode returns s as the answer carries it.
func (k keyEncoding) encode(s string) string {
	if !k {
		return s
	}
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// name is the EncodingType element's value.
func (k keyEncoding) name() string {
	if k {
		return "url"
	}
	return ""
}

// intParam reads an integer query parameter within [lo, hi], def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	v, err := strconv.Atoi(q.Get(name))
	if err != nil || v < lo || v > hi {
		return 0, errInvalidArgument("The "+name+" parameter must be an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi)+".", name, q.Get(name))
	}
	return v, nil
}

// xmlTime formats t as OSS's XML documents do.
func xmlTime(t time.Time) string { return t.UTC().Format(ossTime) }
