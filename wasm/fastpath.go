//go:build js && wasm

package main

import (
	"strconv"
	"time"
	"unsafe"

	"github.com/ossign/ossign/signer"
)

// The signing fast path. A syscall/js call costs tens of microseconds, a //go:wasmexport call
// a few nanoseconds, so the hot calls pass their request as NUL-separated UTF-8 fields in a
// buffer of linear memory and get their result back the same way.
//
// Request fields, each ending in a NUL (the op, client and time are arguments):
//
//	method, bucket, key, expires (ms, "" = default), explain ("1" adds the explanation),
//	encode slash ("1" writes '/' in the key as %2F, "0" keeps it, "" = the client's setting),
//	header count, name, value, …, query count, name, value, …,
//	additional-header count, name, …, sub-resource count, name, …
//
// Result fields: url, method, expiration (ms, "0" for header signing), clamped ("1"/"0"),
// header count, name, value, … and, when asked, version, canonical request, string to sign,
// signature. A failed call returns minus the length of "code\x00message".
var ioBuf = make([]byte, 16<<10)

// Operations of ossign_sign.
const (
	opPresign     = 1
	opSignHeaders = 2
)

// ossignBuffer returns the address of the I/O buffer; it moves when the buffer grows.
//
//go:wasmexport ossign_buffer
func ossignBuffer() int32 { return int32(uintptr(unsafe.Pointer(&ioBuf[0]))) }

// ossignReserve makes the I/O buffer hold at least n bytes and returns its address.
//
//go:wasmexport ossign_reserve
func ossignReserve(n int32) int32 {
	if int(n) > len(ioBuf) {
		ioBuf = make([]byte, n)
	}
	return ossignBuffer()
}

// ossignSign signs the request in the first n bytes of the buffer for client id at nowMs.
//
//go:wasmexport ossign_sign
func ossignSign(op, id int32, nowMs float64, n int32) int32 {
	out, err := signFast(op, id, msToTime(nowMs), ioBuf[:n])
	if err != nil {
		code, msg := string(codeBadCall), err.Error()
		if se, ok := err.(*signer.Error); ok {
			code = string(se.Code)
		}
		return -writeResult(fieldWriter{}.add(code).add(msg))
	}
	return writeResult(out)
}

func writeResult(w fieldWriter) int32 {
	if len(w.buf) > len(ioBuf) {
		ioBuf = make([]byte, len(w.buf))
	}
	return int32(copy(ioBuf, w.buf))
}

func signFast(op, id int32, now time.Time, in []byte) (fieldWriter, error) {
	c, err := lookupClient(id)
	if err != nil {
		return fieldWriter{}, err
	}
	r := fieldReader{in: in}
	req := signer.Request{Method: r.next(), Bucket: r.next(), Key: r.next()}
	if ms := r.next(); ms != "" {
		req.Expires = time.Duration(r.atoi(ms)) * time.Millisecond
	}
	explain := r.next() == "1"
	target := c.target
	switch r.next() {
	case "0":
		target.EncodeSlash = false
	case "1":
		target.EncodeSlash = true
	}
	for range r.count() {
		req.Headers = append(req.Headers, signer.Header{Name: r.next(), Value: r.next()})
	}
	for range r.count() {
		req.Query = append(req.Query, signer.Param{Name: r.next(), Value: r.next()})
	}
	for range r.count() {
		req.AdditionalHeaders = append(req.AdditionalHeaders, r.next())
	}
	for range r.count() {
		req.SubResources = append(req.SubResources, r.next())
	}
	if r.bad {
		return fieldWriter{}, &signer.Error{Code: codeBadCall, Message: "malformed request buffer"}
	}

	var w fieldWriter
	var x signer.Explanation
	switch op {
	case opPresign:
		p, err := signer.Presign(target, c.creds, req, now)
		if err != nil {
			return w, err
		}
		w = w.add(p.URL).add(p.Method).add(strconv.FormatInt(p.Expiration.UnixMilli(), 10)).add(flag(p.Clamped)).headers(p.Headers)
		x = p.Explanation
	case opSignHeaders:
		s, err := signer.SignHeaders(target, c.creds, req, now)
		if err != nil {
			return w, err
		}
		w = w.add(s.URL).add(s.Method).add("0").add("0").headers(s.Headers)
		x = s.Explanation
	default:
		return w, &signer.Error{Code: codeBadCall, Message: "unknown operation"}
	}
	if explain {
		w = w.add(string(x.Version)).add(x.CanonicalRequest).add(x.StringToSign).add(x.Signature)
	}
	return w, nil
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// fieldReader reads NUL-separated fields; bad records a malformed buffer.
type fieldReader struct {
	in  []byte
	bad bool
}

// next returns the next field; every field ends in a NUL.
func (r *fieldReader) next() string {
	for i, c := range r.in {
		if c == 0 {
			s := string(r.in[:i])
			r.in = r.in[i+1:]
			return s
		}
	}
	r.bad = true
	return ""
}

func (r *fieldReader) count() int { return r.atoi(r.next()) }

func (r *fieldReader) atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		r.bad = true
		return 0
	}
	return n
}

// fieldWriter builds NUL-separated fields.
type fieldWriter struct{ buf []byte }

func (w fieldWriter) add(s string) fieldWriter {
	if len(w.buf) > 0 {
		w.buf = append(w.buf, 0)
	}
	w.buf = append(w.buf, s...)
	return w
}

func (w fieldWriter) headers(hs []signer.Header) fieldWriter {
	w = w.add(strconv.Itoa(len(hs)))
	for _, h := range hs {
		w = w.add(h.Name).add(h.Value)
	}
	return w
}
