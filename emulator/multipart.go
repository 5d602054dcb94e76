package emulator

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Multipart limits, as OSS enforces them.
const (
	// maxPartNumber is the highest part number.
	maxPartNumber = 10000
	// minPartSize is the smallest size of a part that is not the last one: 100 KiB.
	minPartSize = 100 << 10
)

// upload is one multipart upload, kept on disk until it is completed or aborted:
//
//	uploads/<id>/upload.json        this struct
//	uploads/<id>/part-<n>.json      a part's partMeta
//	uploads/<id>/<n>-<random>.part  a part's bytes
type upload struct {
	ID        string            `json:"id"`
	Bucket    string            `json:"bucket"`
	Key       string            `json:"key"`
	Initiated time.Time         `json:"initiated"`
	Headers   map[string]string `json:"headers,omitempty"`
	Meta      map[string]string `json:"meta,omitempty"`
	// ACL is the object ACL the completed object gets.
	ACL string `json:"acl,omitempty"`

	dir string
	// mu guards parts and done; Complete holds it while it assembles the object.
	mu    sync.Mutex
	parts map[int]*partMeta
	done  bool
}

// partMeta describes one uploaded part.
type partMeta struct {
	Number       int       `json:"number"`
	File         string    `json:"file"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"`
	CRC64        uint64    `json:"crc64"`
	LastModified time.Time `json:"lastModified"`

	// synced is closed once the part's file is on disk, flushed in the background after
	// UploadPart answered, with syncErr the flush's error; nil for a part loaded at start,
	// which CompleteMultipartUpload flushes itself.
	synced  chan struct{}
	syncErr error
}

// syncInBackground flushes the part's file to disk without holding up the request that
// uploaded it: by the time the upload completes, its parts are on disk, and completing costs
// no writing.
func (p *partMeta) syncInBackground(path string) {
	p.synced = make(chan struct{})
	go func() {
		p.syncErr = syncPath(path)
		close(p.synced)
	}()
}

// partRef is a part named in a CompleteMultipartUpload body.
type partRef struct {
	Number int    `xml:"PartNumber"`
	ETag   string `xml:"ETag"`
}

// errNoSuchUpload is 404 NoSuchUpload.
func errNoSuchUpload(id string) *ossError {
	return newOSSError(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").
		with("UploadId", id).withEC(ecNoSuchUpload)
}

// loadUploads indexes a bucket's uploads, dropping unreadable ones, unreferenced part files
// and the uploads an object was completed from (completed: a crash came between publishing the
// object and removing the upload).
func (s *store) loadUploads(b *bucket, completed map[string]bool) error {
	root := filepath.Join(b.dir, "uploads")
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, ent := range entries {
		u := &upload{dir: filepath.Join(root, ent.Name()), parts: map[int]*partMeta{}}
		if completed[ent.Name()] {
			os.RemoveAll(u.dir)
			continue
		}
		if err := s.loadUpload(u); err != nil || u.ID != ent.Name() || u.Bucket != b.name {
			s.log.Warn("emulator: removing unreadable multipart upload", "bucket", b.name, "upload_id", ent.Name(), "err", err)
			os.RemoveAll(u.dir)
			continue
		}
		s.uploads[u.ID] = u
	}
	return nil
}

// loadUpload reads u.dir into u.
func (s *store) loadUpload(u *upload) error {
	if err := readJSON(filepath.Join(u.dir, "upload.json"), u); err != nil {
		return err
	}
	files, err := os.ReadDir(u.dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		if !strings.HasPrefix(f.Name(), "part-") {
			continue
		}
		var p partMeta
		if err := readJSON(filepath.Join(u.dir, f.Name()), &p); err != nil {
			return err
		}
		u.parts[p.Number] = &p
	}
	referenced := map[string]bool{"upload.json": true}
	for n, p := range u.parts {
		// Parts are written without waiting for the disk: after a power loss, a part whose
		// file did not make it whole is dropped (ListParts no longer shows it).
		if info, err := os.Stat(filepath.Join(u.dir, p.File)); err != nil || info.Size() != p.Size {
			delete(u.parts, n)
			continue
		}
		referenced[p.File], referenced[partMetaName(p.Number)] = true, true
	}
	for _, f := range files {
		if !referenced[f.Name()] {
			os.Remove(filepath.Join(u.dir, f.Name()))
		}
	}
	return nil
}

// partMetaName is the file name of part n's metadata.
func partMetaName(n int) string { return "part-" + strconv.Itoa(n) + ".json" }

// initiate creates an upload for bucket/key and returns it.
func (s *store) initiate(bucketName, key string, spec uploadSpec, now time.Time) (*upload, error) {
	s.mu.RLock()
	b := s.buckets[bucketName]
	s.mu.RUnlock()
	id := strings.ToUpper(randomHex(16))
	u := &upload{
		ID: id, Bucket: bucketName, Key: key, Initiated: now, Headers: spec.headers, Meta: spec.meta, ACL: spec.acl,
		dir: filepath.Join(b.dir, "uploads", id), parts: map[int]*partMeta{},
	}
	if err := os.Mkdir(u.dir, 0o755); err != nil {
		return nil, err
	}
	crashPoint("initiate: folder made")
	if err := writeJSONAtomic(s.tmpDir, filepath.Join(u.dir, "upload.json"), u, synced); err != nil {
		os.RemoveAll(u.dir)
		return nil, err
	}
	s.upMu.Lock()
	s.uploads[id] = u
	s.upMu.Unlock()
	return u, nil
}

// upload returns the upload id of bucket/key.
func (s *store) upload(id, bucketName, key string) (*upload, error) {
	s.upMu.Lock()
	u := s.uploads[id]
	s.upMu.Unlock()
	if u == nil || u.Bucket != bucketName || u.Key != key {
		return nil, errNoSuchUpload(id)
	}
	return u, nil
}

// putPart stores st as part n of u, replacing an earlier upload of that part.
func (s *store) putPart(u *upload, n int, st *staged, now time.Time) (*partMeta, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		st.discard()
		return nil, errNoSuchUpload(u.ID)
	}
	p := &partMeta{
		Number: n, File: fmt.Sprintf("%d-%s.part", n, randomHex(8)), Size: st.size,
		ETag: strings.ToUpper(hex.EncodeToString(st.md5[:])), CRC64: st.crc, LastModified: now,
	}
	if err := commitFile(st.path, filepath.Join(u.dir, p.File), cached); err != nil {
		st.discard()
		return nil, err
	}
	crashPoint("part: file committed")
	if err := writeJSONAtomic(s.tmpDir, filepath.Join(u.dir, partMetaName(n)), p, cached); err != nil {
		os.Remove(filepath.Join(u.dir, p.File))
		return nil, err
	}
	if old := u.parts[n]; old != nil {
		os.Remove(filepath.Join(u.dir, old.File))
	}
	p.syncInBackground(filepath.Join(u.dir, p.File))
	u.parts[n] = p
	return p, nil
}

// listParts returns u's parts in part-number order.
func (s *store) listParts(u *upload) ([]*partMeta, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		return nil, errNoSuchUpload(u.ID)
	}
	return sortedParts(u.parts), nil
}

// sortedParts returns the parts in part-number order.
func sortedParts(parts map[int]*partMeta) []*partMeta {
	out := make([]*partMeta, 0, len(parts))
	for _, p := range parts {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *partMeta) int { return a.Number - b.Number })
	return out
}

// complete makes the listed parts (all parts with all) the object, publishes it and removes
// the upload. The object keeps the parts' files as its segments: each is hard-linked to a new
// blob (the parts were synced when they were uploaded), so completing costs O(parts), not
// O(bytes). The ETag is "<hex MD5 of the parts' binary MD5s>-<count>", the CRC-64 that of the
// whole object, combined from the parts'.
func (s *store) complete(u *upload, refs []partRef, all, forbidOverwrite bool, now time.Time) (*objectMeta, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		return nil, errNoSuchUpload(u.ID)
	}
	parts, err := u.selectParts(refs, all)
	if err != nil {
		return nil, err
	}
	if forbidOverwrite && s.exists(u.Bucket, u.Key) {
		return nil, errFileAlreadyExists()
	}
	b := s.bucket(u.Bucket)
	segs, err := u.linkParts(b, parts)
	if err != nil {
		return nil, err
	}
	etags := md5.New()
	var size int64
	var crc uint64
	var crcs crc64Combiner
	for _, p := range parts {
		sum, _ := hex.DecodeString(p.ETag)
		etags.Write(sum)
		crc = crcs.combine(crc, p.CRC64, p.Size)
		size += p.Size
	}
	m := &objectMeta{
		Key: u.Key, Segments: segs, UploadID: u.ID, Size: size, CRC64: crc, LastModified: now, Type: objectMultipart,
		ETag:    fmt.Sprintf("%X-%d", etags.Sum(nil), len(parts)),
		Headers: u.Headers, Meta: u.Meta, ACL: u.ACL,
	}
	var gone string
	if err := s.publish(b, m, overwriteCheck(forbidOverwrite), func() { gone = s.retire(u) }); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(gone); err != nil {
		s.log.Warn("emulator: removing a completed multipart upload", "upload_id", u.ID, "err", err)
	}
	return m, nil
}

// linkParts makes sure the parts' files are on disk (waiting for their background flushes,
// flushing those loaded at start), hard-links them to new blobs of b and syncs b's blobs
// folder.
func (u *upload) linkParts(b *bucket, parts []*partMeta) ([]segment, error) {
	files := make([]segment, len(parts))
	var unsynced []string
	for i, p := range parts {
		files[i] = segment{Blob: filepath.Join(u.dir, p.File), Size: p.Size}
		if p.synced == nil {
			unsynced = append(unsynced, files[i].Blob)
			continue
		}
		<-p.synced
		if p.syncErr != nil {
			return nil, p.syncErr
		}
	}
	if err := syncFiles(unsynced); err != nil {
		return nil, err
	}
	return b.linkBlobs(files, "complete: part linked")
}

// retire ends a completed upload (u.mu held): its folder is moved out of uploads/ in one
// rename (the object published from it has its own links to the parts' files) and returned,
// to be removed.
func (s *store) retire(u *upload) string {
	gone := filepath.Join(s.tmpDir, "completed-"+u.ID)
	if err := os.Rename(u.dir, gone); err != nil {
		s.log.Warn("emulator: moving a completed multipart upload away", "upload_id", u.ID, "err", err)
		gone = u.dir
	}
	crashPoint("complete: upload moved away")
	s.forget(u)
	return gone
}

// selectParts checks a CompleteMultipartUpload part list against the uploaded parts: ascending
// part numbers, each uploaded with that ETag, every part but the last at least 100 KiB.
func (u *upload) selectParts(refs []partRef, all bool) ([]*partMeta, error) {
	var parts []*partMeta
	if all {
		parts = sortedParts(u.parts)
	}
	for i, ref := range refs {
		if i > 0 && ref.Number <= refs[i-1].Number {
			return nil, newOSSError(http.StatusBadRequest, "InvalidPartOrder",
				"The list of parts was not in ascending order. Parts list must be specified in order by part number.")
		}
		p := u.parts[ref.Number]
		if p == nil || !strings.EqualFold(strings.Trim(ref.ETag, `"`), p.ETag) {
			return nil, newOSSError(http.StatusBadRequest, "InvalidPart",
				"One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.").
				with("PartNumber", strconv.Itoa(ref.Number)).with("ETag", ref.ETag)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return nil, errInvalidArgument("CompleteMultipartUpload needs at least one part.", "Part", "")
	}
	for _, p := range parts[:len(parts)-1] {
		if p.Size < minPartSize {
			return nil, newOSSError(http.StatusBadRequest, "EntityTooSmall",
				"Your proposed upload is smaller than the minimum allowed size.").
				with("PartNumber", strconv.Itoa(p.Number)).with("MinSizeAllowed", strconv.Itoa(minPartSize)).withEC(ecEntityTooSmall)
		}
	}
	return parts, nil
}

// abort removes u and its parts.
func (s *store) abort(u *upload) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		return errNoSuchUpload(u.ID)
	}
	s.finish(u)
	return nil
}

// finish ends u (u.mu held): it leaves the index and the disk.
func (s *store) finish(u *upload) {
	s.forget(u)
	if err := os.RemoveAll(u.dir); err != nil {
		s.log.Warn("emulator: removing a finished multipart upload", "upload_id", u.ID, "err", err)
	}
}

// forget marks u done (u.mu held) and removes it from the index.
func (s *store) forget(u *upload) {
	u.done = true
	s.upMu.Lock()
	delete(s.uploads, u.ID)
	s.upMu.Unlock()
}
