package emulator

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// responseOverrides maps GetObject's response-* query parameters to the header each sets.
var responseOverrides = []struct{ param, header string }{
	{"response-content-type", "Content-Type"},
	{"response-content-language", "Content-Language"},
	{"response-expires", "Expires"},
	{"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"},
	{"response-content-encoding", "Content-Encoding"},
}

// getObject is GetObject and HeadObject: conditional headers, then a single Range (OSS's
// rules: an invalid or out-of-range Range returns the whole object unless
// x-oss-range-behavior is "standard"), then response-* overrides of the response headers.
func (c *call) getObject() error {
	m, f, err := c.e.store.open(c.bucket, c.key)
	if err != nil {
		return err
	}
	defer f.Close()
	h := c.w.Header()
	if status, err := checkPreconditions(c.r.Header, m); err != nil {
		return err
	} else if status == http.StatusNotModified {
		h.Set("ETag", `"`+m.ETag+`"`)
		h.Set("Last-Modified", m.LastModified.UTC().Format(http.TimeFormat))
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	q := c.r.URL.Query()
	if q.Has("x-oss-process") {
		return c.serveProcessed(f.section(0, m.Size), m.Size, q.Get("x-oss-process"))
	}
	setObjectHeaders(h, m)
	for _, o := range responseOverrides {
		if q.Has(o.param) {
			h.Set(o.header, q.Get(o.param))
		}
	}
	if c.r.Method == http.MethodHead {
		h.Set("Content-Length", strconv.FormatInt(m.Size, 10))
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	start, length, status, err := byteRange(c.r.Header.Get("Range"), m.Size, strings.EqualFold(c.r.Header.Get("x-oss-range-behavior"), "standard"))
	if err != nil {
		return err
	}
	if status == http.StatusPartialContent {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+length-1, m.Size))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	c.w.WriteHeader(status)
	_, err = io.Copy(c.w, f.section(start, length))
	if err != nil {
		// The status is sent: all that is left is to stop. net/http closes the connection on
		// a short body.
		c.e.log.Debug("oss: GetObject body not fully sent", "request_id", c.id, "err", err)
	}
	return nil
}

// setObjectHeaders sets the headers describing an object.
func setObjectHeaders(h http.Header, m *objectMeta) {
	for name, v := range m.Headers {
		h.Set(name, v)
	}
	for name, v := range m.Meta {
		h.Set(name, v)
	}
	h.Set("ETag", `"`+m.ETag+`"`)
	h.Set("Last-Modified", m.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-oss-object-type", m.Type)
	h.Set("x-oss-storage-class", "Standard")
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(m.CRC64, 10))
	if m.ContentMD5 != "" {
		h.Set("Content-MD5", m.ContentMD5)
	}
	if m.Type == objectAppendable {
		h.Set("x-oss-next-append-position", strconv.FormatInt(m.Size, 10))
	}
}

// checkPreconditions evaluates If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since in RFC 9110's order: 412 PreconditionFailed is an error, 304 a status.
func checkPreconditions(h http.Header, m *objectMeta) (int, error) {
	failed := func(cond string) (int, error) {
		return 0, newOSSError(http.StatusPreconditionFailed, "PreconditionFailed",
			"At least one of the pre-conditions you specified did not hold.").with("Condition", cond)
	}
	modified := m.LastModified.Truncate(time.Second)
	if v := h.Get("If-Match"); v != "" {
		if !etagListMatches(v, m.ETag) {
			return failed("If-Match")
		}
	} else if t, err := http.ParseTime(h.Get("If-Unmodified-Since")); err == nil && modified.After(t) {
		return failed("If-Unmodified-Since")
	}
	if v := h.Get("If-None-Match"); v != "" {
		if etagListMatches(v, m.ETag) {
			return http.StatusNotModified, nil
		}
	} else if t, err := http.ParseTime(h.Get("If-Modified-Since")); err == nil && !modified.After(t) {
		return http.StatusNotModified, nil
	}
	return http.StatusOK, nil
}

// etagListMatches reports whether a comma-separated If-Match/If-None-Match list names etag
// (quoted or not, any case) or is "*".
func etagListMatches(list, etag string) bool {
	for _, v := range strings.Split(list, ",") {
		v = strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "W/"), `"`)
		if v == "*" || strings.EqualFold(v, etag) {
			return true
		}
	}
	return false
}

// byteRange interprets a Range header for an object of size bytes as OSS does: the first
// range of "bytes=a-b", "bytes=a-" or "bytes=-n". A missing, malformed or out-of-range Range
// selects the whole object (200) — unless standard is set, when an end past the object is cut
// to it and a start past it is 416 InvalidRange.
func byteRange(header string, size int64, standard bool) (start, length int64, status int, err error) {
	whole := func() (int64, int64, int, error) { return 0, size, http.StatusOK, nil }
	spec, ok := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !ok {
		return whole()
	}
	spec, _, _ = strings.Cut(spec, ",")
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return whole()
	}
	var a, b int64
	switch {
	case first == "":
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 || (n > size && !standard) {
			return whole()
		}
		a, b = max(size-n, 0), size-1
	default:
		var err error
		if a, err = strconv.ParseInt(first, 10, 64); err != nil || a < 0 {
			return whole()
		}
		b = size - 1
		if last != "" {
			if b, err = strconv.ParseInt(last, 10, 64); err != nil || b < a {
				return whole()
			}
		}
	}
	switch {
	case a >= size && standard:
		return 0, 0, 0, newOSSError(http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
			"The requested range cannot be satisfied").with("ActualObjectSize", strconv.FormatInt(size, 10)).
			withHeader("Content-Range", fmt.Sprintf("bytes */%d", size))
	case a >= size || b >= size && !standard:
		return whole()
	}
	b = min(b, size-1)
	return a, b - a + 1, http.StatusPartialContent, nil
}
