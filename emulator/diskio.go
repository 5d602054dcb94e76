package emulator

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
)

// maxObjectSize is the largest object (and part) OSS accepts in one request: 5 GiB.
const maxObjectSize = 5 << 30

// crcTable is the CRC-64/ECMA-182 table of x-oss-hash-crc64ecma (Go's crc64 applies the
// initial and final inversion OSS uses).
var crcTable = crc64.MakeTable(crc64.ECMA)

// crashHook, when set, is called with the name of each step of a write that a crash could
// interrupt, in the order the steps happen. The crash-safety test sets it (through
// export_test.go) in a child process to kill that process at each step in turn; it is nil
// otherwise.
var crashHook func(step string)

// crashPoint marks a step of a write (see crashHook).
func crashPoint(step string) {
	if crashHook != nil {
		crashHook(step)
	}
}

// staged is a file written under the data directory's tmp folder and synced to disk, with the
// digests of its bytes. Nobody can see it until it is renamed into place.
type staged struct {
	path string
	size int64
	md5  [md5.Size]byte
	crc  uint64
}

// discard removes a staged file that will not be committed.
func (st *staged) discard() { os.Remove(st.path) }

// readError is a failure of the reader a file was staged from (as opposed to the disk).
type readError struct{ err error }

// Error returns the reader's error text.
func (e *readError) Error() string { return "reading the data to store: " + e.err.Error() }

// Unwrap returns the reader's error.
func (e *readError) Unwrap() error { return e.err }

// trackingReader remembers the error of the reader it wraps.
type trackingReader struct {
	r   io.Reader
	err error
}

// Read reads from the wrapped reader.
func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// durability says whether a write waits for the disk before it returns. Either way a write
// is published by an atomic rename, so a process that is killed leaves it whole or absent;
// durability is about a machine that loses power.
type durability bool

const (
	// synced writes are on disk when they return: an object's bytes and metadata, before the
	// object is published.
	synced durability = true
	// cached writes are left to the kernel to write: a part's, flushed in the background
	// once UploadPart has answered, and waited for by CompleteMultipartUpload before it
	// publishes the object made of them.
	cached durability = false
)

// copyBuffers hold the buffers stage copies through: 1 MiB reads and writes take a
// thirty-second of the system calls of io.Copy's 32 KiB, which shows when the CPU is shared.
var copyBuffers = sync.Pool{New: func() any {
	b := make([]byte, 1<<20)
	return &b
}}

// stage copies r (at most limit bytes) into a new file in tmpDir (synced if d says so),
// computing its size, MD5 and CRC-64. More than limit bytes is EntityTooLarge; a failure of r
// is a *readError.
func stage(tmpDir string, r io.Reader, limit int64, d durability) (*staged, error) {
	f, err := os.CreateTemp(tmpDir, "stage-*")
	if err != nil {
		return nil, err
	}
	st := &staged{path: f.Name()}
	md, crc := md5.New(), crc64.New(crcTable)
	src := &trackingReader{r: io.LimitReader(r, limit+1)}
	buf := copyBuffers.Get().(*[]byte)
	n, err := io.CopyBuffer(io.MultiWriter(f, md, crc), src, *buf)
	copyBuffers.Put(buf)
	if err == nil {
		crashPoint("stage: written")
		err = d.sync(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case src.err != nil:
		err = &readError{src.err}
	case err == nil && n > limit:
		err = newOSSError(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.").
			with("MaxSizeAllowed", fmt.Sprint(limit))
	}
	if err != nil {
		st.discard()
		return nil, err
	}
	st.size, st.crc = n, crc.Sum64()
	md.Sum(st.md5[:0])
	return st, nil
}

// commitFile renames a file into place and (synced) syncs the directory, so that after a
// crash the file is either wholly there or not at all.
func commitFile(tmpPath, finalPath string, d durability) error {
	if err := os.Rename(tmpPath, finalPath); err != nil {
		return err
	}
	crashPoint("commit: renamed")
	if d == cached {
		return nil
	}
	return syncPath(filepath.Dir(finalPath))
}

// sync flushes f to disk when d is synced.
func (d durability) sync(f *os.File) error {
	if d == cached {
		return nil
	}
	return f.Sync()
}

// writeJSONAtomic writes v as JSON to path through a temporary file in tmpDir, synced if d
// says so.
func writeJSONAtomic(tmpDir, path string, v any, d durability) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(tmpDir, "json-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		crashPoint("json: written")
		err = d.sync(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = commitFile(f.Name(), path, d)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// syncFiles flushes the files at paths to disk, several at a time.
func syncFiles(paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	for i, path := range paths {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			errs[i] = syncPath(path)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// syncPath flushes the file at path to disk, or the entries of the directory at path.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// removeSynced removes path and syncs its directory.
func removeSynced(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncPath(filepath.Dir(path))
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// randomHex returns n random bytes as lower-case hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
