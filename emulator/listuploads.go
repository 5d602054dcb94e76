package emulator

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
)

// listUploadsResult is ListMultipartUploads' answer.
type listUploadsResult struct {
	XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
	EncodingType       string   `xml:",omitempty"`
	Bucket             string
	KeyMarker          string
	UploadIDMarker     string `xml:"UploadIdMarker"`
	NextKeyMarker      string
	NextUploadIDMarker string `xml:"NextUploadIdMarker"`
	Delimiter          string
	Prefix             string
	MaxUploads         int
	IsTruncated        bool
	Uploads            []listedUpload `xml:"Upload"`
	CommonPrefixes     []commonPrefix
}

// listedUpload is one <Upload> of the answer.
type listedUpload struct {
	Key          string
	UploadID     string `xml:"UploadId"`
	StorageClass string
	Initiated    string
}

// listMultipartUploads is ListMultipartUploads: the bucket's unfinished uploads whose keys
// start with prefix, in key order and, for one key, in the order they were initiated, after
// key-marker (and, for that key, after upload-id-marker); at most max-uploads (1–1000,
// default 1000) entries, a common prefix (keys rolled up at delimiter) counting as one.
func (c *call) listMultipartUploads() error {
	q := c.r.URL.Query()
	enc, err := c.encodingType()
	if err != nil {
		return err
	}
	maxUploads, err := intParam(q, "max-uploads", 1000, 1, 1000)
	if err != nil {
		return err
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	res := listUploadsResult{
		EncodingType: enc.name(), Bucket: c.bucket, KeyMarker: enc.encode(keyMarker), UploadIDMarker: idMarker,
		Delimiter: enc.encode(delimiter), Prefix: enc.encode(prefix), MaxUploads: maxUploads,
	}
	var lastPrefix string
	for _, u := range c.e.store.openUploads(c.bucket, prefix, keyMarker, idMarker) {
		item, rolled := rollUp(u.Key, prefix, delimiter)
		if rolled && (item == lastPrefix || item == keyMarker) {
			continue
		}
		if len(res.Uploads)+len(res.CommonPrefixes) == maxUploads {
			res.IsTruncated = true
			break
		}
		if rolled {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{enc.encode(item)})
			lastPrefix = item
			res.NextKeyMarker, res.NextUploadIDMarker = enc.encode(item), ""
			continue
		}
		res.Uploads = append(res.Uploads, listedUpload{
			Key: enc.encode(u.Key), UploadID: u.ID, StorageClass: "Standard", Initiated: xmlTime(u.Initiated),
		})
		res.NextKeyMarker, res.NextUploadIDMarker = enc.encode(u.Key), u.ID
	}
	return c.writeXML(http.StatusOK, res)
}

// openUploads returns the bucket's unfinished uploads of keys starting with prefix, sorted by
// key, then initiation time, then id, that come after the marker (keyMarker, idMarker): keys
// after keyMarker, and for keyMarker itself, uploads after the one idMarker names (none when
// idMarker is empty or unknown).
func (s *store) openUploads(bucketName, prefix, keyMarker, idMarker string) []*upload {
	s.upMu.Lock()
	var all []*upload
	for _, u := range s.uploads {
		if u.Bucket == bucketName && strings.HasPrefix(u.Key, prefix) && u.Key >= keyMarker {
			all = append(all, u)
		}
	}
	s.upMu.Unlock()
	slices.SortFunc(all, func(a, b *upload) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), a.Initiated.Compare(b.Initiated), strings.Compare(a.ID, b.ID))
	})
	out := all[:0]
	passed := false
	for _, u := range all {
		if u.Key == keyMarker && keyMarker != "" {
			if !passed {
				passed = u.ID == idMarker
				continue
			}
		}
		out = append(out, u)
	}
	return out
}
