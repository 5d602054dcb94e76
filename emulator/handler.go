package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// call is one OSS request being served.
type call struct {
	e *Emulator
	// w is the writer handlers use; it records the status for the log line.
	w *statusWriter
	r *http.Request
	// id is the request's x-oss-request-id.
	id string
	// body counts the request body bytes read, for the log line.
	body *countingReader
	// now is the emulator's clock when the request arrived.
	now time.Time
	route
	op        *operation
	principal *principal
}

// serveOSS is the OSS endpoint: common headers, CORS, faults, routing, authentication,
// authorization, then the operation; every failure is answered as an OSS XML error.
func (e *Emulator) serveOSS(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	e.stats.ossRequests.Add(1)
	body := &countingReader{ReadCloser: r.Body}
	r.Body = body
	// Injected latency comes first: the request reaches the emulator only after it.
	out, fault := e.faults.inject(r, w)
	c := &call{e: e, w: &statusWriter{ResponseWriter: out}, r: r, id: newRequestID(), now: e.now(), body: body}
	h := w.Header()
	h.Set("x-oss-request-id", c.id)
	h.Set("Date", c.now.UTC().Format(http.TimeFormat))
	h.Set("Server", "AliyunOSS")
	if r.Method != http.MethodOptions {
		e.cfg.CORS.decorate(h, r)
	}
	var err error
	switch fault {
	case faultDrop:
		e.stats.injectedDrops.Add(1)
		c.logLine(start, "drop")
		return
	case faultCorrupt:
		e.stats.injectedCorruptions.Add(1)
		err = c.dispatch()
	case faultFail:
		e.stats.injectedFailures.Add(1)
		err = newOSSError(http.StatusServiceUnavailable, "ServiceUnavailable", "Please reduce your request rate. (injected fault)")
	default:
		err = c.dispatch()
	}
	if err != nil {
		c.fail(err)
	}
	dropped := ""
	if cw, ok := out.(*cutWriter); ok {
		cw.finish()
		e.stats.injectedDrops.Add(1)
		dropped = "drop"
	}
	c.logLine(start, dropped)
}

// dispatch routes, authenticates and authorizes the request, then serves it.
func (c *call) dispatch() error {
	rt, err := c.e.parseRoute(c.r)
	c.route = rt
	if err != nil {
		return err
	}
	if c.r.Method == http.MethodOptions {
		return c.preflight()
	}
	op, err := identify(c.r, rt)
	if err != nil {
		return err
	}
	c.op = op
	if op == opPostObject {
		return op.serve(c)
	}
	if c.principal, err = c.e.authenticate(c); err != nil {
		return err
	}
	if op.action != "" {
		if err := c.authorize(c.key); err != nil {
			return err
		}
	}
	return op.serve(c)
}

// fail answers err; an error that is not an *ossError is logged and answered InternalError.
func (c *call) fail(err error) {
	var oe *ossError
	if !errors.As(err, &oe) {
		c.e.log.Error("oss: internal error", "request_id", c.id, "err", err)
		oe = newOSSError(http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
	}
	c.w.code = oe.code
	writeOSSError(c.w, c.r, oe, c.id)
}

// logLine logs the request: never its query, Authorization, token or body.
func (c *call) logLine(start time.Time, fault string) {
	attrs := []slog.Attr{
		slog.String("request_id", c.id),
		slog.String("method", c.r.Method),
		slog.String("bucket", c.bucket),
		slog.String("key", c.key),
		slog.Int("status", c.w.status()),
		slog.Duration("duration", time.Since(start)),
	}
	if c.op != nil {
		attrs = append(attrs, slog.String("op", c.op.name))
	}
	if c.principal != nil && c.principal.accessKeyID != "" {
		attrs = append(attrs, slog.String("access_key_id", c.principal.accessKeyID))
	}
	if n := c.body.n; n > 0 || c.r.ContentLength > 0 {
		attrs = append(attrs, slog.Int64("body_bytes", n))
	}
	if c.w.sent > 0 {
		attrs = append(attrs, slog.Int64("sent_bytes", c.w.sent))
	}
	if rng := c.r.Header.Get("Range"); rng != "" {
		attrs = append(attrs, slog.String("range", rng))
	}
	if part := c.r.URL.Query().Get("partNumber"); part != "" {
		attrs = append(attrs, slog.String("part_number", part))
	}
	if c.w.code != "" {
		attrs = append(attrs, slog.String("code", c.w.code))
	}
	if fault != "" {
		attrs = append(attrs, slog.String("fault", fault))
	}
	c.e.log.LogAttrs(c.r.Context(), slog.LevelInfo, "oss", attrs...)
}

// writeXML answers status with v marshalled as an XML document.
func (c *call) writeXML(status int, v any) error {
	body, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	body = append([]byte(xml.Header), body...)
	h := c.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, err = c.w.Write(body)
	return err
}

// sourceIP is the client's IP address, for the acs:SourceIp condition key.
func (c *call) sourceIP() string {
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		return c.r.RemoteAddr
	}
	return host
}

// countingReader counts the bytes read from a request body.
type countingReader struct {
	io.ReadCloser
	n int64
}

// Read reads from the body and counts what it read.
func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n += int64(n)
	return n, err
}

// statusWriter records the status, the OSS error code and the body bytes of a response.
type statusWriter struct {
	http.ResponseWriter
	wrote int
	code  string
	sent  int64
}

// WriteHeader records the status and passes it on.
func (w *statusWriter) WriteHeader(status int) {
	if w.wrote == 0 {
		w.wrote = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write passes p on; a first Write without WriteHeader means 200.
func (w *statusWriter) Write(p []byte) (int, error) {
	if w.wrote == 0 {
		w.wrote = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.sent += int64(n)
	return n, err
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// status is the recorded status (200 when nothing was written: net/http's default).
func (w *statusWriter) status() int {
	if w.wrote == 0 {
		return http.StatusOK
	}
	return w.wrote
}

// newRequestID returns 24 upper-case hex digits, the shape of OSS's request ids.
func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
