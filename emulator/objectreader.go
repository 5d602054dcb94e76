package emulator

import (
	"errors"
	"io"
	"os"
	"sort"
	"sync"
)

// segment is one file of an object's bytes: blobs/<Blob>, Size bytes long. A Normal or
// Appendable object is one segment; a Multipart object is one segment per part, in order.
type segment struct {
	Blob string `json:"blob"`
	Size int64  `json:"size"`
}

// objectReader reads an object's bytes across its segment files, opening each one when it is
// first read. The segments are pinned while the reader is open: an object replaced or deleted
// meanwhile loses its files only once the last reader closes, so a download started before
// the change sends the version it started with.
type objectReader struct {
	s *store
	// paths are the segment files, starts the offset of each in the object.
	paths  []string
	starts []int64
	size   int64

	mu    sync.Mutex
	files []*os.File
}

// newObjectReader pins the segments of m (in bucket b) and returns their reader. The caller
// holds the index lock, so that the files cannot be removed before they are pinned.
func (s *store) newObjectReader(b *bucket, m *objectMeta) *objectReader {
	segs := m.segments()
	r := &objectReader{s: s, paths: make([]string, len(segs)), starts: make([]int64, len(segs)), files: make([]*os.File, len(segs))}
	for i, seg := range segs {
		r.paths[i], r.starts[i] = b.blobPath(seg.Blob), r.size
		r.size += seg.Size
	}
	s.pins.pin(r.paths)
	return r
}

// ReadAt reads len(p) bytes at off, crossing segment boundaries as needed.
func (r *objectReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("emulator: negative read offset")
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= r.size {
			return n, io.EOF
		}
		i := sort.Search(len(r.starts), func(i int) bool { return r.starts[i] > at }) - 1
		f, err := r.file(i)
		if err != nil {
			return n, err
		}
		end := r.size
		if i+1 < len(r.starts) {
			end = r.starts[i+1]
		}
		want := p[n:min(len(p), n+int(end-at))]
		m, err := f.ReadAt(want, at-r.starts[i])
		n += m
		if err != nil && !(errors.Is(err, io.EOF) && m == len(want)) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF // a segment shorter than its metadata says
			}
			return n, err
		}
	}
	return n, nil
}

// file opens segment i, once.
func (r *objectReader) file(i int) (*os.File, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.files[i] == nil {
		f, err := os.Open(r.paths[i])
		if err != nil {
			return nil, err
		}
		r.files[i] = f
	}
	return r.files[i], nil
}

// section returns a reader of length bytes from start.
func (r *objectReader) section(start, length int64) *io.SectionReader {
	return io.NewSectionReader(r, start, length)
}

// Close closes the open segment files and unpins the segments.
func (r *objectReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, f := range r.files {
		if f != nil {
			f.Close()
			r.files[i] = nil
		}
	}
	if r.paths != nil {
		r.s.pins.unpin(r.paths)
		r.paths = nil
	}
	return nil
}

// pinSet counts the open readers of each blob file, and removes a file that an object no
// longer refers to once its last reader is done.
type pinSet struct {
	mu     sync.Mutex
	counts map[string]int
	// doomed are pinned files nothing refers to any more.
	doomed map[string]bool
}

// pin adds a reader of each path.
func (ps *pinSet) pin(paths []string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.counts == nil {
		ps.counts, ps.doomed = map[string]int{}, map[string]bool{}
	}
	for _, p := range paths {
		ps.counts[p]++
	}
}

// unpin removes a reader of each path, removing the files doomed meanwhile that no reader
// holds any more.
func (ps *pinSet) unpin(paths []string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range paths {
		if ps.counts[p]--; ps.counts[p] > 0 {
			continue
		}
		delete(ps.counts, p)
		if ps.doomed[p] {
			delete(ps.doomed, p)
			os.Remove(p)
		}
	}
}

// remove removes files no object refers to any more: now, or when their last reader is done.
func (ps *pinSet) remove(paths []string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range paths {
		if ps.counts[p] > 0 {
			ps.doomed[p] = true
		} else {
			os.Remove(p)
		}
	}
}
