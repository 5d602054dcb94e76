package emulator

import (
	"bytes"
	"crypto/md5"
	"encoding/xml"
	"io"
	"net/http"
)

// DeleteMultipleObjects limits, as OSS documents them
// (https://www.alibabacloud.com/help/en/oss/developer-reference/deletemultipleobjects).
const (
	// maxDeleteKeys is the most keys one request may delete.
	maxDeleteKeys = 1000
	// maxDeleteBody bounds the request body read.
	maxDeleteBody = 2 << 20
)

// deleteRequest is DeleteMultipleObjects' body.
type deleteRequest struct {
	Quiet   bool
	Objects []struct {
		Key       *string
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

// deletedKey is one <Deleted> entry of the answer.
type deletedKey struct {
	Key string
}

// deleteMultipleObjects is DeleteMultipleObjects: up to 1000 keys, the body checked against
// its Content-MD5, which OSS requires. The signer needs oss:DeleteObject on every key; a key
// it may not delete refuses the whole request before anything is deleted. Keys that do not
// exist count as deleted. In quiet mode the answer lists nothing.
func (c *call) deleteMultipleObjects() error {
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	doc, err := c.readDeleteRequest()
	if err != nil {
		return err
	}
	keys := make([]string, len(doc.Objects))
	for i, o := range doc.Objects {
		switch {
		case o.Key == nil:
			return errMalformedXML().withEC(ecDeleteKeyMissing)
		case o.VersionID != "":
			return errNotImplemented("versioning (a VersionId in DeleteMultipleObjects)")
		}
		if err := checkObjectKey(*o.Key); err != nil {
			return err
		}
		if err := c.authorizeAction("oss:DeleteObject", c.bucket, *o.Key, false); err != nil {
			return err
		}
		keys[i] = *o.Key
	}
	res := struct {
		XMLName      xml.Name `xml:"DeleteResult"`
		EncodingType string   `xml:",omitempty"`
		Deleted      []deletedKey
	}{EncodingType: enc.name()}
	for _, key := range keys {
		if err := c.e.store.delete(c.bucket, key); err != nil {
			return err
		}
		if !doc.Quiet {
			res.Deleted = append(res.Deleted, deletedKey{enc.encode(key)})
		}
	}
	return c.writeXML(http.StatusOK, res)
}

// readDeleteRequest reads and checks a DeleteMultipleObjects body: Content-MD5 present and
// matching, well-formed, 1 to 1000 objects.
func (c *call) readDeleteRequest() (*deleteRequest, error) {
	sent := c.r.Header.Get("Content-MD5")
	if sent == "" {
		return nil, errInvalidArgument("DeleteMultipleObjects needs the Content-MD5 header (the Base64 MD5 of the body).", "Content-MD5", "").
			withEC(ecDeleteMD5Missing)
	}
	want, err := contentMD5(sent)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxDeleteBody+1))
	if err != nil {
		return nil, err
	}
	if sum := md5.Sum(body); !bytes.Equal(sum[:], want) {
		return nil, errDigestMismatch(sent, sum[:])
	}
	var doc deleteRequest
	if len(body) > maxDeleteBody || xml.Unmarshal(body, &doc) != nil || len(doc.Objects) == 0 || len(doc.Objects) > maxDeleteKeys {
		return nil, errMalformedXML().withEC(ecDeleteMalformedXML)
	}
	return &doc, nil
}
