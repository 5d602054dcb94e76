package emulator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultConfig describes the faults an emulator injects into OSS requests (STS is never
// faulted). The zero value injects nothing. Draws come from a random sequence seeded by
// Seed, so a sequential test sees the same faults on every run.
type FaultConfig struct {
	// FailFraction is the fraction of requests, 0 to 1, answered 503 ServiceUnavailable.
	FailFraction float64
	// DropFraction is the fraction of requests, 0 to 1, whose connection is closed mid-body:
	// after reading half of a request body, or else after sending half of the response body
	// (before the response, when it has none).
	DropFraction float64
	// CorruptFraction is the fraction of requests, 0 to 1, whose request body has one byte
	// flipped as it is received (the middle byte), as a faulty proxy would: the object or part
	// stores, hashes and reports the corrupted bytes. Requests without a body are unaffected.
	CorruptFraction float64
	// Latency is added before every request is handled.
	Latency time.Duration
	// ClockShift moves the OSS endpoint's clock (Config.Now) by this much: its Date header,
	// ServerTime, token expiry and clock-skew checks all use the shifted time. STS keeps the
	// true time, as a client whose own clock is wrong sees it: credentials are issued, then OSS
	// answers RequestTimeTooSkewed.
	ClockShift time.Duration
	// Seed seeds the random sequence that decides which requests fail or drop.
	Seed uint64
}

// validate refuses fractions outside 0…1 (or summing above 1) and negative latency.
func (f FaultConfig) validate() error {
	for _, x := range []float64{f.FailFraction, f.DropFraction, f.CorruptFraction} {
		if x < 0 || x > 1 {
			return fmt.Errorf("emulator: fault fractions must be from 0 to 1 (fail %v, drop %v, corrupt %v)", f.FailFraction, f.DropFraction, f.CorruptFraction)
		}
	}
	switch {
	case f.total() > 1:
		return fmt.Errorf("emulator: FailFraction + DropFraction + CorruptFraction must not exceed 1 (%v)", f.total())
	case f.Latency < 0:
		return fmt.Errorf("emulator: fault Latency must not be negative (%v)", f.Latency)
	}
	return nil
}

// total is the fraction of requests that get some fault.
func (f FaultConfig) total() float64 { return f.FailFraction + f.DropFraction + f.CorruptFraction }

// fault is what the injector decided for one request.
type fault int

const (
	// faultNone: the request is served normally.
	faultNone fault = iota
	// faultFail: answer 503.
	faultFail
	// faultDrop: the connection was dropped while reading the request body.
	faultDrop
	// faultCut: the response will be cut (the returned writer does it).
	faultCut
	// faultCorrupt: the request body has a byte flipped (the request's Body is replaced).
	faultCorrupt
)

// faultInjector holds the live FaultConfig and its random sequence.
type faultInjector struct {
	mu  sync.Mutex
	cfg FaultConfig
	rng *rand.Rand
}

// newFaultInjector starts an injector with f.
func newFaultInjector(f FaultConfig) *faultInjector {
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

// set replaces the configuration and reseeds the sequence.
func (fi *faultInjector) set(f FaultConfig) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.cfg = f
	fi.rng = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

// get returns the configuration.
func (fi *faultInjector) get() FaultConfig {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.cfg
}

// draw returns the configuration and one draw of the sequence (when a fraction is set).
func (fi *faultInjector) draw() (FaultConfig, float64) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.cfg.total() == 0 {
		return fi.cfg, 1
	}
	return fi.cfg, fi.rng.Float64()
}

// inject applies latency, then decides the request's fault. With faultCut, the returned writer
// cuts the response; with faultDrop, the connection is already closed; with faultCorrupt,
// r.Body flips a byte.
func (fi *faultInjector) inject(r *http.Request, w http.ResponseWriter) (http.ResponseWriter, fault) {
	cfg, u := fi.draw()
	if cfg.Latency > 0 {
		t := time.NewTimer(cfg.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	switch {
	case u < cfg.FailFraction:
		return w, faultFail
	case u < cfg.FailFraction+cfg.DropFraction:
		if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
			dropMidRequest(r, w)
			return w, faultDrop
		}
		return &cutWriter{raw: w}, faultCut
	case u < cfg.total() && r.ContentLength > 0:
		r.Body = &flipReader{ReadCloser: r.Body, at: r.ContentLength / 2}
		return w, faultCorrupt
	}
	return w, faultNone
}

// flipReader inverts the lowest bit of the byte at offset at of the stream it wraps.
type flipReader struct {
	io.ReadCloser
	at, read int64
}

// Read reads from the wrapped body, flipping the chosen byte as it passes.
func (f *flipReader) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if i := f.at - f.read; i >= 0 && i < int64(n) {
		p[i] ^= 1
	}
	f.read += int64(n)
	return n, err
}

// dropMidRequest reads half of the request body (16 KiB of one of unknown length), then
// closes the connection without answering.
func dropMidRequest(r *http.Request, w http.ResponseWriter) {
	n := r.ContentLength / 2
	if r.ContentLength < 0 {
		n = 16 << 10
	}
	io.CopyN(io.Discard, r.Body, n)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// cutWriter sends the status line, the headers and half of the body (by Content-Length),
// then closes the connection.
type cutWriter struct {
	raw    http.ResponseWriter
	status int
	conn   net.Conn
	buf    *bufio.ReadWriter
	// left is how many more body bytes may be sent before the cut.
	left int64
	done bool
}

// errCut is returned by Write once the connection has been cut.
var errCut = errors.New("emulator: connection dropped by fault injection")

// Header returns the response headers.
func (cw *cutWriter) Header() http.Header { return cw.raw.Header() }

// WriteHeader records the status; it is sent with the first body bytes.
func (cw *cutWriter) WriteHeader(status int) {
	if cw.status == 0 {
		cw.status = status
	}
}

// Write sends the response head on the first call, then body bytes until half of the body is
// out, then cuts the connection.
func (cw *cutWriter) Write(p []byte) (int, error) {
	if cw.done {
		return 0, errCut
	}
	if cw.conn == nil && !cw.start(int64(len(p))) {
		return 0, errCut
	}
	n := int64(len(p))
	if n > cw.left {
		n = cw.left
	}
	cw.buf.Write(p[:n])
	cw.left -= n
	if cw.left == 0 {
		cw.finish()
		return int(n), errCut
	}
	return int(n), nil
}

// start hijacks the connection and writes the status line and headers; the body budget is half
// of Content-Length, or half of the first write when there is none.
func (cw *cutWriter) start(firstWrite int64) bool {
	conn, buf, err := http.NewResponseController(cw.raw).Hijack()
	if err != nil {
		cw.done = true
		return false
	}
	cw.conn, cw.buf = conn, buf
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	size := firstWrite
	if cl, err := strconv.ParseInt(cw.raw.Header().Get("Content-Length"), 10, 64); err == nil {
		size = cl
	}
	cw.left = size / 2
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", cw.status, http.StatusText(cw.status))
	cw.raw.Header().Write(buf)
	buf.WriteString("\r\n")
	return true
}

// finish cuts the connection: after what was sent, or before anything when nothing was.
func (cw *cutWriter) finish() {
	if cw.done {
		return
	}
	cw.done = true
	if cw.conn == nil {
		conn, _, err := http.NewResponseController(cw.raw).Hijack()
		if err != nil {
			return
		}
		cw.conn = conn
	} else {
		cw.buf.Flush()
	}
	cw.conn.Close()
}
