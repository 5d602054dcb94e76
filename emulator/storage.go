package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Object types, as x-oss-object-type and ListObjects report them.
const (
	objectNormal     = "Normal"
	objectMultipart  = "Multipart"
	objectAppendable = "Appendable"
)

// objectMeta describes one stored object. It is never modified once stored: a new version
// of an object is a new objectMeta.
type objectMeta struct {
	Key string `json:"key"`
	// Blob is the file of the object's bytes, when they are in one file (Normal and Appendable
	// objects).
	Blob string `json:"blob,omitempty"`
	// Segments are the files of a Multipart object's bytes, one per part in order:
	// CompleteMultipartUpload links the parts' files into place, so it costs O(parts), not
	// O(bytes).
	Segments []segment `json:"segments,omitempty"`
	// UploadID is the multipart upload the object was completed from. Its directory goes once
	// the object is published; a crash in between leaves it, and the next start removes it.
	UploadID string `json:"uploadId,omitempty"`
	Size     int64  `json:"size"`
	// ETag is upper-case hex without quotes: the MD5 of a Normal object, or
	// "<MD5 of the parts' MD5s>-<part count>" for a Multipart one.
	ETag string `json:"etag"`
	// ContentMD5 is the Base64 MD5 of a Normal object's bytes.
	ContentMD5   string    `json:"contentMD5,omitempty"`
	CRC64        uint64    `json:"crc64"`
	LastModified time.Time `json:"lastModified"`
	Type         string    `json:"type"`
	// Headers are the stored standard headers (Content-Type, Cache-Control…), by canonical name.
	Headers map[string]string `json:"headers,omitempty"`
	// Meta are the x-oss-meta-* headers, by lower-case name.
	Meta map[string]string `json:"meta,omitempty"`
	// ACL is the object ACL (private, public-read or public-read-write); "" is "default", the
	// bucket's ACL (private here).
	ACL string `json:"acl,omitempty"`
}

// segments returns the files of the object's bytes, in order.
func (m *objectMeta) segments() []segment {
	if len(m.Segments) > 0 {
		return m.Segments
	}
	return []segment{{Blob: m.Blob, Size: m.Size}}
}

// store keeps buckets, objects and multipart uploads under a data directory:
//
//	<root>/tmp/                               staged files, removed at start
//	<root>/buckets/<bucket>/objects/<sha256(key)>.json   object metadata
//	<root>/buckets/<bucket>/blobs/<id>                   object bytes (a multipart object's: one per part)
//	<root>/buckets/<bucket>/uploads/<upload id>/         a multipart upload (see multipart.go)
//
// An object's bytes are staged and synced, renamed to a fresh blob (or, for a multipart
// object, its parts' synced files are hard-linked to fresh blobs), and only then published by
// atomically replacing its metadata file; the in-memory index follows the metadata files, and
// blobs nothing refers to are removed at start. So no partial object is ever visible, even
// after a crash (TestCrashSafety kills a process at every step).
type store struct {
	root, tmpDir string
	log          *slog.Logger

	mu      sync.RWMutex
	buckets map[string]*bucket

	upMu    sync.Mutex
	uploads map[string]*upload

	// appendMu serializes AppendObject's read-append-publish.
	appendMu sync.Mutex

	// pins keep the blobs being read from removal.
	pins pinSet
}

// bucket is one bucket's directory and index.
type bucket struct {
	name, dir string
	objects   map[string]*objectMeta
}

// errNoSuchKey is 404 NoSuchKey for key.
func errNoSuchKey(key string) *ossError {
	return newOSSError(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").with("Key", key).withEC(ecNoSuchKey)
}

// errFileAlreadyExists is 409 FileAlreadyExists, for x-oss-forbid-overwrite.
func errFileAlreadyExists() *ossError {
	return newOSSError(http.StatusConflict, "FileAlreadyExists", "The object you specified already exists and can not be overwritten.").withEC(ecFileAlreadyExists)
}

// openStore opens the data directory at root, creating it and the named buckets as needed,
// and loads every bucket it holds.
func openStore(root string, names []string, log *slog.Logger) (*store, error) {
	s := &store{
		root:    root,
		tmpDir:  filepath.Join(root, "tmp"),
		log:     log,
		buckets: map[string]*bucket{},
		uploads: map[string]*upload{},
	}
	if err := os.RemoveAll(s.tmpDir); err != nil {
		return nil, fmt.Errorf("emulator: clearing %s: %w", s.tmpDir, err)
	}
	for _, dir := range []string{s.tmpDir, filepath.Join(root, "buckets")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("emulator: data directory: %w", err)
		}
	}
	for _, name := range names {
		if err := os.MkdirAll(filepath.Join(root, "buckets", name), 0o755); err != nil {
			return nil, fmt.Errorf("emulator: creating bucket %s: %w", name, err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "buckets"))
	if err != nil {
		return nil, fmt.Errorf("emulator: data directory: %w", err)
	}
	for _, ent := range entries {
		if !ent.IsDir() || !validBucketName(ent.Name()) {
			continue
		}
		if err := s.loadBucket(ent.Name()); err != nil {
			return nil, fmt.Errorf("emulator: loading bucket %s: %w", ent.Name(), err)
		}
	}
	return s, nil
}

// loadBucket indexes a bucket's objects and uploads, removing files nothing refers to.
func (s *store) loadBucket(name string) error {
	b := &bucket{name: name, dir: filepath.Join(s.root, "buckets", name), objects: map[string]*objectMeta{}}
	for _, sub := range []string{"objects", "blobs", "uploads"} {
		if err := os.MkdirAll(filepath.Join(b.dir, sub), 0o755); err != nil {
			return err
		}
	}
	metas, err := os.ReadDir(filepath.Join(b.dir, "objects"))
	if err != nil {
		return err
	}
	referenced, completed := map[string]bool{}, map[string]bool{}
	for _, ent := range metas {
		path := filepath.Join(b.dir, "objects", ent.Name())
		var m objectMeta
		err := readJSON(path, &m)
		if err == nil && ent.Name() != metaFileName(m.Key) {
			err = errors.New("file name does not match its key")
		}
		if err == nil {
			err = b.checkSegments(&m)
		}
		if err != nil {
			s.log.Warn("emulator: removing unreadable object metadata", "bucket", name, "file", ent.Name(), "err", err)
			os.Remove(path)
			continue
		}
		b.objects[m.Key] = &m
		for _, seg := range m.segments() {
			referenced[seg.Blob] = true
		}
		completed[m.UploadID] = true
	}
	blobs, err := os.ReadDir(filepath.Join(b.dir, "blobs"))
	if err != nil {
		return err
	}
	for _, ent := range blobs {
		if !referenced[ent.Name()] {
			os.Remove(b.blobPath(ent.Name()))
		}
	}
	s.buckets[name] = b
	return s.loadUploads(b, completed)
}

// checkSegments checks that m's segment files exist with the sizes m gives them.
func (b *bucket) checkSegments(m *objectMeta) error {
	var total int64
	for _, seg := range m.segments() {
		info, err := os.Stat(b.blobPath(seg.Blob))
		if err != nil {
			return err
		}
		if info.Size() != seg.Size {
			return fmt.Errorf("blob %s has %d bytes, not %d", seg.Blob, info.Size(), seg.Size)
		}
		total += seg.Size
	}
	if total != m.Size {
		return fmt.Errorf("the blobs hold %d bytes, not %d", total, m.Size)
	}
	return nil
}

// metaFileName is the name of the metadata file of key.
func metaFileName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:]) + ".json"
}

// blobPath is the path of a blob.
func (b *bucket) blobPath(blob string) string { return filepath.Join(b.dir, "blobs", blob) }

// metaPath is the path of key's metadata file.
func (b *bucket) metaPath(key string) string {
	return filepath.Join(b.dir, "objects", metaFileName(key))
}

// hasBucket reports whether the bucket exists.
func (s *store) hasBucket(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.buckets[name] != nil
}

// bucketNames returns the bucket names, sorted.
func (s *store) bucketNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.buckets))
	for name := range s.buckets {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// head returns the metadata of an object.
func (s *store) head(bucketName, key string) (*objectMeta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.buckets[bucketName].objects[key]
	if m == nil {
		return nil, errNoSuchKey(key)
	}
	return m, nil
}

// open returns an object's metadata and a reader of its bytes, pinned while the index lock is
// held: the bytes stay readable even if the object is replaced or deleted while they are being
// sent. The caller closes the reader.
func (s *store) open(bucketName, key string) (*objectMeta, *objectReader, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucketName]
	m := b.objects[key]
	if m == nil {
		return nil, nil, errNoSuchKey(key)
	}
	return m, s.newObjectReader(b, m), nil
}

// bucket returns the named bucket.
func (s *store) bucket(name string) *bucket {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.buckets[name]
}

// put publishes st as the object m.Key (m.Blob is set here). With forbidOverwrite, an existing
// object is FileAlreadyExists. st is consumed either way.
func (s *store) put(bucketName string, m *objectMeta, st *staged, forbidOverwrite bool) error {
	return s.putChecked(bucketName, m, st, overwriteCheck(forbidOverwrite))
}

// overwriteCheck is the check of a write that replaces any object, or with forbidOverwrite
// none.
func overwriteCheck(forbidOverwrite bool) func(*objectMeta) error {
	if forbidOverwrite {
		return refuseExisting
	}
	return func(*objectMeta) error { return nil }
}

// refuseExisting is the x-oss-forbid-overwrite precondition: FileAlreadyExists when there is
// an object.
func refuseExisting(old *objectMeta) error {
	if old != nil {
		return errFileAlreadyExists()
	}
	return nil
}

// putChecked publishes st as the object m.Key (m.Blob is set here) if check, given the object
// it replaces (nil when there is none) under the index lock, allows it. st is consumed either
// way.
func (s *store) putChecked(bucketName string, m *objectMeta, st *staged, check func(old *objectMeta) error) error {
	b := s.bucket(bucketName)
	m.Blob = randomHex(16)
	if err := commitFile(st.path, b.blobPath(m.Blob), synced); err != nil {
		st.discard()
		return err
	}
	crashPoint("put: blob committed")
	return s.publish(b, m, check, nil)
}

// publish makes m, whose bytes are already synced in b's blobs folder, the object m.Key if
// check, given the object it replaces (nil when there is none) under the index lock, allows
// it; else m's blobs are removed. retire, when set, runs under the index lock once the
// metadata is written: it removes what the new object replaces besides an older object (a
// completed upload), before any other write can see the new object.
func (s *store) publish(b *bucket, m *objectMeta, check func(old *objectMeta) error, retire func()) error {
	s.mu.Lock()
	old := b.objects[m.Key]
	err := check(old)
	if err == nil {
		err = writeJSONAtomic(s.tmpDir, b.metaPath(m.Key), m, synced)
	}
	if err != nil {
		s.mu.Unlock()
		s.pins.remove(b.segmentPaths(m))
		return err
	}
	crashPoint("publish: metadata written")
	if retire != nil {
		retire()
	}
	b.objects[m.Key] = m
	s.mu.Unlock()
	// Nothing can pin the replaced object's blobs any more: they go (unlinking a large file
	// takes a while) without holding up other requests.
	if old != nil {
		s.pins.remove(b.segmentPaths(old))
	}
	return nil
}

// segmentPaths returns the paths of m's blobs.
func (b *bucket) segmentPaths(m *objectMeta) []string {
	var paths []string
	for _, seg := range m.segments() {
		paths = append(paths, b.blobPath(seg.Blob))
	}
	return paths
}

// update replaces the metadata of an object (not its bytes) with what change returns for it.
func (s *store) update(bucketName, key string, change func(m objectMeta) (objectMeta, error)) (*objectMeta, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	old := b.objects[key]
	if old == nil {
		return nil, errNoSuchKey(key)
	}
	m, err := change(*old)
	if err != nil {
		return nil, err
	}
	m.Key, m.Blob, m.Segments, m.UploadID = old.Key, old.Blob, old.Segments, old.UploadID
	if err := writeJSONAtomic(s.tmpDir, b.metaPath(key), &m, synced); err != nil {
		return nil, err
	}
	b.objects[key] = &m
	return &m, nil
}

// copyTo returns a copy of the object key of srcBucket whose blobs are new hard links, in
// dstBucket, to the source's (blobs are never modified, so a link is a copy that costs
// nothing), made while the index lock is held. The copy is not published: pass it to publish,
// or remove its blobs.
func (s *store) copyTo(srcBucket, key, dstBucket string) (*objectMeta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, dst := s.buckets[srcBucket], s.buckets[dstBucket]
	m := src.objects[key]
	if m == nil {
		return nil, errNoSuchKey(key)
	}
	files := slices.Clone(m.segments()) // not m's own: the paths replace the names
	for i := range files {
		files[i].Blob = src.blobPath(files[i].Blob)
	}
	linked, err := dst.linkBlobs(files, "copy: blob linked")
	if err != nil {
		return nil, err
	}
	c := *m
	c.Blob, c.Segments, c.UploadID = "", linked, ""
	if len(linked) == 1 {
		c.Blob, c.Segments = linked[0].Blob, nil
	}
	return &c, nil
}

// linkBlobs hard-links files (each a path and its size) to new blobs of b, marking step after
// each link, and syncs b's blobs folder. It returns the new blobs, or none and an error.
func (b *bucket) linkBlobs(files []segment, step string) ([]segment, error) {
	linked := make([]segment, 0, len(files))
	undo := func() {
		for _, seg := range linked {
			os.Remove(b.blobPath(seg.Blob))
		}
	}
	for _, f := range files {
		seg := segment{Blob: randomHex(16), Size: f.Size}
		if err := os.Link(f.Blob, b.blobPath(seg.Blob)); err != nil {
			undo()
			return nil, err
		}
		linked = append(linked, seg)
		crashPoint(step)
	}
	if err := syncPath(filepath.Join(b.dir, "blobs")); err != nil {
		undo()
		return nil, err
	}
	return linked, nil
}

// discard removes the blobs of an object that copyTo made and that will not be published.
func (s *store) discard(bucketName string, m *objectMeta) {
	s.pins.remove(s.bucket(bucketName).segmentPaths(m))
}

// exists reports whether an object exists.
func (s *store) exists(bucketName, key string) bool {
	_, err := s.head(bucketName, key)
	return err == nil
}

// delete removes an object; a missing object is not an error (OSS answers 204 either way).
func (s *store) delete(bucketName, key string) error {
	s.mu.Lock()
	b := s.buckets[bucketName]
	m := b.objects[key]
	if m == nil {
		s.mu.Unlock()
		return nil
	}
	if err := removeSynced(b.metaPath(key)); err != nil {
		s.mu.Unlock()
		return err
	}
	crashPoint("delete: metadata removed")
	delete(b.objects, key)
	s.mu.Unlock()
	s.pins.remove(b.segmentPaths(m))
	return nil
}

// list returns the objects whose keys start with prefix and sort after after, in key order.
func (s *store) list(bucketName, prefix, after string) []*objectMeta {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*objectMeta
	for key, m := range s.buckets[bucketName].objects {
		if strings.HasPrefix(key, prefix) && key > after {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *objectMeta) int { return strings.Compare(a.Key, b.Key) })
	return out
}
