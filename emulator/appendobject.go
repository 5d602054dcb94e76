package emulator

import (
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// appendObject is AppendObject: the body is added at position, which must be the object's
// length (0 for a new object). The first append creates an Appendable object with the
// request's headers, metadata and ACL; later ones keep them. The answer carries
// x-oss-next-append-position and the whole object's CRC-64, which a client chains with the
// CRC-64 of what it appended to check the result.
func (c *call) appendObject() error {
	q := c.r.URL.Query()
	if !q.Has("position") {
		return errInvalidArgument("AppendObject needs the position parameter (0 for the first append).", "position", "").
			withEC(ecAppendPositionMissing)
	}
	pos, err := strconv.ParseInt(q.Get("position"), 10, 64)
	if err != nil || pos < 0 {
		return errInvalidArgument("position must be a non-negative integer.", "position", q.Get("position"))
	}
	acl, err := c.objectACL(c.r.Header.Get("x-oss-object-acl"), c.key)
	if err != nil {
		return err
	}
	headers, meta, err := uploadAttributes(c.r.Header, c.key)
	if err != nil {
		return err
	}
	body, err := c.stageBody(synced)
	if err != nil {
		return err
	}
	first := &objectMeta{Key: c.key, Type: objectAppendable, Headers: headers, Meta: meta, ACL: acl}
	m, err := c.e.store.appendTo(c.bucket, pos, first, body, c.now)
	if err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("x-oss-next-append-position", strconv.FormatInt(m.Size, 10))
	c.writeUploadResult(m.ETag, m.CRC64, "")
	h.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// appendTo appends body to the object first.Key at pos: the object's length, or 0 when there
// is none (first then describes the new object). Appends to one store are serialized; a
// PutObject or delete that replaces the object meanwhile makes the append fail as a position
// mismatch. body is consumed either way.
func (s *store) appendTo(bucketName string, pos int64, first *objectMeta, body *staged, now time.Time) (*objectMeta, error) {
	s.appendMu.Lock()
	defer s.appendMu.Unlock()
	old, err := s.head(bucketName, first.Key)
	if err != nil {
		old = nil
	}
	if err := checkAppendable(old, pos); err != nil {
		body.discard()
		return nil, err
	}
	st, err := s.joined(bucketName, old, body)
	if err != nil {
		return nil, err
	}
	m := *first
	if old != nil {
		m = *old
	}
	m.Size, m.CRC64, m.LastModified = st.size, st.crc, now
	m.ETag = strings.ToUpper(hex.EncodeToString(st.md5[:]))
	err = s.putChecked(bucketName, &m, st, func(current *objectMeta) error {
		if current == old {
			return nil
		}
		if err := checkAppendable(current, pos); err != nil {
			return err
		}
		return errPositionNotEqual(current.Size)
	})
	return &m, err
}

// checkAppendable checks an append at pos to the object old (nil when there is none).
func checkAppendable(old *objectMeta, pos int64) error {
	switch {
	case old != nil && old.Type != objectAppendable:
		return newOSSError(http.StatusConflict, "ObjectNotAppendable", "The object is not appendable.")
	case old == nil && pos != 0:
		return errPositionNotEqual(0)
	case old != nil && old.Size != pos:
		return errPositionNotEqual(old.Size)
	}
	return nil
}

// errPositionNotEqual is 409 PositionNotEqualToLength, with the position to append at.
func errPositionNotEqual(length int64) *ossError {
	return newOSSError(http.StatusConflict, "PositionNotEqualToLength", "Position is not equal to file length").
		withHeader("x-oss-next-append-position", strconv.FormatInt(length, 10)).withEC(ecPositionNotEqualToLength)
}

// joined stages the bytes of old (none when nil) followed by those of body, which it consumes.
func (s *store) joined(bucketName string, old *objectMeta, body *staged) (*staged, error) {
	if old == nil {
		return body, nil
	}
	defer body.discard()
	cur, prev, err := s.open(bucketName, old.Key)
	if err != nil {
		return nil, err
	}
	defer prev.Close()
	added, err := os.Open(body.path)
	if err != nil {
		return nil, err
	}
	defer added.Close()
	return stage(s.tmpDir, io.MultiReader(prev.section(0, cur.Size), added), maxObjectSize, synced)
}
