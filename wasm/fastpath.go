//go:build js && wasm

package main

import (
	"time"
	"unsafe"

	"github.com/ossign/ossign/signer"
)

// The signing fast path. A syscall/js call costs tens of microseconds, a //go:wasmexport call
// a few nanoseconds, so the hot calls pass their request as NUL-separated UTF-8 fields in a
// buffer of linear memory and get their result back the same way. Requests whose strings
// contain a NUL take the syscall/js "sign" function instead, with the same fields as an array.
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
//
// PostObject takes two calls: the conditions a V4 policy signed now must hold (no request
// fields; result: count, name, value, …), then the signature of the policy built with them
// (request fields: bucket, policy JSON; result: url, field count, name, value, …).
var ioBuf = make([]byte, 16<<10)

// Operations of ossign_sign.
const (
	opPresign        = 1
	opSignHeaders    = 2
	opPostConditions = 3
	opSignPost       = 4
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
	out, err := signFields(op, id, msToTime(nowMs), nulTerminated(string(ioBuf[:n])))
	if err != nil {
		return -writeResult(errorFields(err))
	}
	return writeResult(out)
}

// nulTerminated splits s into the fields that each end in a NUL; bytes after the last NUL
// are not a field.
func nulTerminated(s string) []string {
	var fields []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			fields = append(fields, s[start:i])
			start = i + 1
		}
	}
	return fields
}

func writeResult(fields []string) int32 {
	n := len(fields) - 1
	for _, f := range fields {
		n += len(f)
	}
	if n > len(ioBuf) {
		ioBuf = make([]byte, n)
	}
	b := ioBuf[:0]
	for i, f := range fields {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, f...)
	}
	return int32(n)
}

func errorFields(err error) []string {
	code := string(codeBadCall)
	if se, ok := err.(*signer.Error); ok {
		code = string(se.Code)
	}
	return []string{code, err.Error()}
}

// signFields runs op on the request fields for client id at now and returns the result fields.
func signFields(op, id int32, now time.Time, fields []string) ([]string, error) {
	c, err := lookupClient(id)
	if err != nil {
		return nil, err
	}
	switch op {
	case opPresign, opSignHeaders:
		return signRequestFields(c, op, now, fields)
	case opPostConditions:
		conds, err := signer.PostPolicyConditions(c.target, c.creds, now)
		if err != nil {
			return nil, err
		}
		return fieldWriter{}.params(conds), nil
	case opSignPost:
		if len(fields) != 2 {
			return nil, &signer.Error{Code: codeBadCall, Message: "malformed request fields"}
		}
		form, err := signer.SignPostObject(c.target, c.creds, fields[0], []byte(fields[1]), now)
		if err != nil {
			return nil, err
		}
		return fieldWriter{}.add(form.URL).params(form.Fields), nil
	}
	return nil, &signer.Error{Code: codeBadCall, Message: "unknown operation"}
}

// signRequestFields presigns or header-signs the request fields.
func signRequestFields(c *client, op int32, now time.Time, fields []string) ([]string, error) {
	r := fieldReader{fields: fields}
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
		return nil, &signer.Error{Code: codeBadCall, Message: "malformed request fields"}
	}
	if err := signer.BrowserAddressable(req.Key, target.EncodeSlash); err != nil {
		return nil, err
	}

	var w fieldWriter
	var x signer.Explanation
	switch op {
	case opPresign:
		p, err := signer.Presign(target, c.creds, req, now)
		if err != nil {
			return nil, err
		}
		w = w.add(p.URL).add(p.Method).add(decimal(p.Expiration.UnixMilli())).add(flag(p.Clamped)).headers(p.Headers)
		x = p.Explanation
	case opSignHeaders:
		s, err := signer.SignHeaders(target, c.creds, req, now)
		if err != nil {
			return nil, err
		}
		w = w.add(s.URL).add(s.Method).add("0").add("0").headers(s.Headers)
		x = s.Explanation
	}
	if explain {
		w = w.add(string(x.Version)).add(x.CanonicalRequest).add(x.StringToSign).add(x.Signature)
	}
	return w, nil
}

// decimal writes n in base 10, as strconv.FormatInt(n, 10) does (strconv would bring its
// quoting and number-error machinery into the module).
func decimal(n int64) string {
	u, sign := uint64(n), ""
	if n < 0 {
		u, sign = -u, "-"
	}
	return sign + string(appendUint(nil, u))
}

func appendUint(b []byte, u uint64) []byte {
	if u >= 10 {
		b = appendUint(b, u/10)
	}
	return append(b, byte('0'+u%10))
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// fieldReader reads request fields; bad records missing or malformed ones.
type fieldReader struct {
	fields []string
	bad    bool
}

func (r *fieldReader) next() string {
	if len(r.fields) == 0 {
		r.bad = true
		return ""
	}
	s := r.fields[0]
	r.fields = r.fields[1:]
	return s
}

// count reads a list length, which cannot exceed the fields left.
func (r *fieldReader) count() int {
	n := r.atoi(r.next())
	if n > len(r.fields) {
		r.bad = true
		return 0
	}
	return n
}

// atoi reads a non-negative decimal number as strconv.Atoi reads it (an optional sign, at most
// the largest int); anything else marks the fields bad.
func (r *fieldReader) atoi(s string) int {
	digits := s
	if s != "" && (s[0] == '+' || s[0] == '-') {
		digits = s[1:]
	}
	const maxInt = int(^uint(0) >> 1)
	n := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[i] - '0')
		if digits[i] < '0' || digits[i] > '9' || n > (maxInt-d)/10 {
			r.bad = true
			return 0
		}
		n = n*10 + d
	}
	if digits == "" || s[0] == '-' && n != 0 {
		r.bad = true
		return 0
	}
	return n
}

// fieldWriter collects result fields.
type fieldWriter []string

func (w fieldWriter) add(s string) fieldWriter { return append(w, s) }

// params writes a count, then each parameter's name and value.
func (w fieldWriter) params(ps []signer.Param) fieldWriter {
	w = w.add(decimal(int64(len(ps))))
	for _, p := range ps {
		w = w.add(p.Name).add(p.Value)
	}
	return w
}

func (w fieldWriter) headers(hs []signer.Header) fieldWriter {
	w = w.add(decimal(int64(len(hs))))
	for _, h := range hs {
		w = w.add(h.Name).add(h.Value)
	}
	return w
}
