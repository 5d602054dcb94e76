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
	Key  string `json:"key"`
	Blob string `json:"blob"`
	Size int64  `json:"size"`
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

// store keeps buckets, objects and multipart uploads under a data directory:
//
//	<root>/tmp/                               staged files, removed at start
//	<root>/buckets/<bucket>/objects/<sha256(key)>.json   object metadata
//	<root>/buckets/<bucket>/blobs/<id>                   object bytes
//	<root>/buckets/<bucket>/uploads/<upload id>/         a multipart upload (see multipart.go)
//
// An object's bytes are staged and synced, renamed to a fresh blob, and only then published by
// atomically replacing its metadata file; the in-memory index follows the metadata files, and
// blobs nothing refers to are removed at start. So no partial object is ever visible, even
// after a crash.
type store struct {
	root, tmpDir string
	log          *slog.Logger

	mu      sync.RWMutex
	buckets map[string]*bucket

	upMu    sync.Mutex
	uploads map[string]*upload

	// appendMu serializes AppendObject's read-append-publish.
	appendMu sync.Mutex
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
	referenced := map[string]bool{}
	for _, ent := range metas {
		path := filepath.Join(b.dir, "objects", ent.Name())
		var m objectMeta
		err := readJSON(path, &m)
		if err == nil && ent.Name() != metaFileName(m.Key) {
			err = errors.New("file name does not match its key")
		}
		if err == nil {
			_, err = os.Stat(b.blobPath(m.Blob))
		}
		if err != nil {
			s.log.Warn("emulator: removing unreadable object metadata", "bucket", name, "file", ent.Name(), "err", err)
			os.Remove(path)
			continue
		}
		b.objects[m.Key] = &m
		referenced[m.Blob] = true
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
	return s.loadUploads(b)
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

// open returns an object's metadata and its bytes, opened while the index lock is held: the
// file stays readable even if the object is replaced or deleted while it is being sent.
func (s *store) open(bucketName, key string) (*objectMeta, *os.File, error) {
	var f *os.File
	m, err := s.withBlob(bucketName, key, func(blob string) (err error) {
		f, err = os.Open(blob)
		return err
	})
	return m, f, err
}

// withBlob calls use with the path of an object's bytes while the index lock is held, and
// returns the object's metadata.
func (s *store) withBlob(bucketName, key string, use func(blob string) error) (*objectMeta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucketName]
	m := b.objects[key]
	if m == nil {
		return nil, errNoSuchKey(key)
	}
	if err := use(b.blobPath(m.Blob)); err != nil {
		return nil, err
	}
	return m, nil
}

// put publishes st as the object m.Key (m.Blob is set here). With forbidOverwrite, an existing
// object is FileAlreadyExists. st is consumed either way.
func (s *store) put(bucketName string, m *objectMeta, st *staged, forbidOverwrite bool) error {
	check := func(*objectMeta) error { return nil }
	if forbidOverwrite {
		check = refuseExisting
	}
	return s.putChecked(bucketName, m, st, check)
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
	s.mu.RLock()
	b := s.buckets[bucketName]
	s.mu.RUnlock()
	m.Blob = randomHex(16)
	if err := commitFile(st.path, b.blobPath(m.Blob)); err != nil {
		st.discard()
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := b.objects[m.Key]
	err := check(old)
	if err == nil {
		err = writeJSONAtomic(s.tmpDir, b.metaPath(m.Key), m)
	}
	if err != nil {
		os.Remove(b.blobPath(m.Blob))
		return err
	}
	b.objects[m.Key] = m
	if old != nil {
		os.Remove(b.blobPath(old.Blob))
	}
	return nil
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
	m.Key, m.Blob = old.Key, old.Blob
	if err := writeJSONAtomic(s.tmpDir, b.metaPath(key), &m); err != nil {
		return nil, err
	}
	b.objects[key] = &m
	return &m, nil
}

// link returns an object's metadata and a staged hard link to its bytes (blobs are never
// modified, so the link is a copy that costs nothing), made while the index lock is held.
func (s *store) link(bucketName, key string) (*objectMeta, *staged, error) {
	path := filepath.Join(s.tmpDir, "link-"+randomHex(8))
	m, err := s.withBlob(bucketName, key, func(blob string) error { return os.Link(blob, path) })
	if err != nil {
		return nil, nil, err
	}
	return m, &staged{path: path, size: m.Size, crc: m.CRC64}, nil
}

// exists reports whether an object exists.
func (s *store) exists(bucketName, key string) bool {
	_, err := s.head(bucketName, key)
	return err == nil
}

// delete removes an object; a missing object is not an error (OSS answers 204 either way).
func (s *store) delete(bucketName, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	m := b.objects[key]
	if m == nil {
		return nil
	}
	if err := removeSynced(b.metaPath(key)); err != nil {
		return err
	}
	delete(b.objects, key)
	os.Remove(b.blobPath(m.Blob))
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
