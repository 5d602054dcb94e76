package emulator

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strings"
)

// listedObject is one <Contents> entry of a listing.
type listedObject struct {
	Key          string
	LastModified string
	ETag         string
	Type         string
	Size         int64
	StorageClass string
	Owner        *owner `xml:",omitempty"`
}

// owner is an object's owner: the account of the configured role.
type owner struct {
	ID          string
	DisplayName string
}

// commonPrefix is one <CommonPrefixes> entry.
type commonPrefix struct {
	Prefix string
}

// listBucketResult is the answer of ListObjects (V1 fields) and ListObjectsV2 (V2 fields).
type listBucketResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Name                  string
	Prefix                string
	Marker                *string `xml:",omitempty"`
	StartAfter            string  `xml:",omitempty"`
	ContinuationToken     string  `xml:",omitempty"`
	MaxKeys               int
	Delimiter             string
	EncodingType          string `xml:",omitempty"`
	IsTruncated           bool
	KeyCount              *int   `xml:",omitempty"`
	NextMarker            string `xml:",omitempty"`
	NextContinuationToken string `xml:",omitempty"`
	Contents              []listedObject
	CommonPrefixes        []commonPrefix
}

// listPage is one page of a listing: objects and common prefixes in key order.
type listPage struct {
	objects   []*objectMeta
	prefixes  []string
	truncated bool
	// last is the last key or common prefix of the page: where the next page starts after.
	last string
}

// listObjects is ListObjects (marker) and ListObjectsV2 (continuation-token, start-after).
// With a delimiter, keys that contain it after the prefix are rolled up into common
// prefixes, each counting as one entry towards max-keys (1–1000, default 100).
func (c *call) listObjects() error {
	q := c.r.URL.Query()
	v2 := q.Get("list-type") == "2"
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	maxKeys, err := intParam(q, "max-keys", 100, 1, 1000)
	if err != nil {
		return err
	}
	res := listBucketResult{
		Name: c.bucket, Prefix: enc.encode(q.Get("prefix")), MaxKeys: maxKeys,
		Delimiter: enc.encode(q.Get("delimiter")), EncodingType: enc.name(),
	}
	after := q.Get("marker")
	if v2 {
		after = q.Get("start-after")
		res.StartAfter = enc.encode(after)
		if token := q.Get("continuation-token"); token != "" {
			raw, err := base64.RawURLEncoding.DecodeString(token)
			if err != nil {
				return errInvalidArgument("The continuation token provided is incorrect.", "continuation-token", token)
			}
			after, res.ContinuationToken = string(raw), enc.encode(token)
		}
	} else {
		marker := enc.encode(after)
		res.Marker = &marker
	}
	page := listing(c.e.store.list(c.bucket, q.Get("prefix"), after), q.Get("prefix"), q.Get("delimiter"), after, maxKeys)
	res.IsTruncated = page.truncated
	withOwner := !v2 || q.Get("fetch-owner") == "true"
	for _, m := range page.objects {
		o := listedObject{
			Key: enc.encode(m.Key), LastModified: xmlTime(m.LastModified), ETag: `"` + m.ETag + `"`,
			Type: m.Type, Size: m.Size, StorageClass: "Standard",
		}
		if withOwner {
			o.Owner = &owner{ID: c.e.account, DisplayName: c.e.account}
		}
		res.Contents = append(res.Contents, o)
	}
	for _, p := range page.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{enc.encode(p)})
	}
	if v2 {
		count := len(res.Contents) + len(res.CommonPrefixes)
		res.KeyCount = &count
		if page.truncated {
			res.NextContinuationToken = enc.encode(base64.RawURLEncoding.EncodeToString([]byte(page.last)))
		}
	} else if page.truncated {
		res.NextMarker = enc.encode(page.last)
	}
	return c.writeXML(http.StatusOK, res)
}

// listing pages through objs (the keys with prefix after after, sorted), rolling keys up
// into common prefixes at delimiter.
func listing(objs []*objectMeta, prefix, delimiter, after string, maxKeys int) listPage {
	var page listPage
	for _, m := range objs {
		item, rolled := rollUp(m.Key, prefix, delimiter)
		// A common prefix already returned: the previous page ended on it, or this page has it.
		if rolled && (item == after || item == page.last) {
			continue
		}
		if len(page.objects)+len(page.prefixes) == maxKeys {
			page.truncated = true
			break
		}
		if rolled {
			page.prefixes = append(page.prefixes, item)
		} else {
			page.objects = append(page.objects, m)
		}
		page.last = item
	}
	return page
}

// rollUp returns the common prefix key belongs to, a listing's prefix up to and including the
// first delimiter after it, or key itself when there is none (or no delimiter).
func rollUp(key, prefix, delimiter string) (item string, rolled bool) {
	if delimiter != "" {
		if i := strings.Index(key[len(prefix):], delimiter); i >= 0 {
			return key[:len(prefix)+i+len(delimiter)], true
		}
	}
	return key, false
}
