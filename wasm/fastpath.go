//go:build js && wasm

package main

import (
	"time"
	"unsafe"

	"github.com/ossign/ossign/signer"
)

// The signing fast path. A syscall/js call costs tens of microseconds, a //go:wasmexport call
// a few nanoseconds, so the hot calls pass their request as NUL-terminated UTF-8 fields in a
// buffer of linear memory and get their result back the same way.
//
// Request fields, each ending in a NUL (the op, client, time and field count are arguments):
//
//	method, bucket, key, expires (ms, "" = default), explain ("1" adds the explanation),
//	encode slash ("1" writes '/' in the key as %2F, "0" keeps it, "" = the client's setting),
//	header count, name, value, …, query count, name, value, …,
//	additional-header count, name, …, sub-resource count, name, …
//
// The caller says how many fields it wrote. A string containing a NUL would make more: then
// ossign_sign signs nothing and returns 0, and the caller takes the syscall/js "sign"
// function, which gets the same fields as an array.
//
// Result fields, NUL-separated: url, method, expiration (ms, "0" for header signing), clamped
// ("1"/"0"), header count, name, value, … and, when asked, version, canonical request, string
// to sign, signature; for opPresignURL (signatureUrl) the url alone. A failed call returns
// minus the length of "code\x00message".
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
	opPresignURL     = 5
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

// The fast path's request, reused from call to call (JS calls in one at a time): the request
// bytes copied out of the I/O buffer, the fields (strings that share requestBytes' memory), and
// the headers and query parameters read from them. A call's strings live until the next call
// copies the next request over them: nothing that signs a request keeps its strings (errors
// build their messages anew), and the result is written to the I/O buffer before the call ends.
var (
	requestBytes   []byte
	requestFields  []string
	requestHeaders []signer.Header
	requestQuery   []signer.Param
)

// ossignSign signs the count request fields in the first n bytes of the buffer for client id
// at nowMs, and writes the result fields over them.
//
//go:wasmexport ossign_sign
func ossignSign(op, id int32, nowMs float64, n, count int32) int32 {
	requestBytes = append(requestBytes[:0], ioBuf[:n]...)
	requestFields = appendNULTerminated(requestFields[:0], unsafe.String(unsafe.SliceData(requestBytes), n))
	if len(requestFields) != int(count) {
		return 0 // a field contains a NUL
	}
	w := resultWriter{b: ioBuf[:0]}
	err := signFields(op, id, msToTime(nowMs), requestFields, &w)
	if err != nil {
		w = resultWriter{b: ioBuf[:0]}
		w.failure(err)
	}
	ioBuf = w.b[:cap(w.b)] // appends may have moved the buffer
	if err != nil {
		return -int32(len(w.b))
	}
	return int32(len(w.b))
}

// appendNULTerminated appends the fields of s that each end in a NUL; bytes after the last NUL
// are not a field.
func appendNULTerminated(fields []string, s string) []string {
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			fields = append(fields, s[start:i])
			start = i + 1
		}
	}
	return fields
}

// signFields runs op on the request fields for client id at now and writes the result fields.
func signFields(op, id int32, now time.Time, fields []string, w *resultWriter) error {
	c, err := lookupClient(id)
	if err != nil {
		return err
	}
	switch op {
	case opPresign, opPresignURL, opSignHeaders:
		return signRequestFields(c, op, now, fields, w)
	case opPostConditions:
		conds, err := c.signer.PostPolicyConditions(now)
		if err != nil {
			return err
		}
		w.params(conds)
		return nil
	case opSignPost:
		if len(fields) != 2 {
			return &signer.Error{Code: codeBadCall, Message: "malformed request fields"}
		}
		form, err := c.signer.SignPostObject(fields[0], []byte(fields[1]), now)
		if err != nil {
			return err
		}
		w.add(form.URL)
		w.params(form.Fields)
		return nil
	}
	return &signer.Error{Code: codeBadCall, Message: "unknown operation"}
}

// signRequestFields presigns or header-signs the request fields.
func signRequestFields(c *client, op int32, now time.Time, fields []string, w *resultWriter) error {
	r := fieldReader{fields: fields}
	req := signer.Request{Method: r.next(), Bucket: r.next(), Key: r.next()}
	if ms := r.next(); ms != "" {
		req.Expires = time.Duration(r.atoi(ms)) * time.Millisecond
	}
	explain := r.next() == "1"
	encodeSlash := c.encodeSlash
	switch r.next() {
	case "0":
		encodeSlash = false
	case "1":
		encodeSlash = true
	}
	requestHeaders, requestQuery = requestHeaders[:0], requestQuery[:0]
	for n := r.count(); n > 0; n-- {
		requestHeaders = append(requestHeaders, signer.Header{Name: r.next(), Value: r.next()})
	}
	for n := r.count(); n > 0; n-- {
		requestQuery = append(requestQuery, signer.Param{Name: r.next(), Value: r.next()})
	}
	req.Headers, req.Query = requestHeaders, requestQuery
	req.AdditionalHeaders = r.list()
	req.SubResources = r.list()
	if r.bad || len(r.fields) > 0 {
		return &signer.Error{Code: codeBadCall, Message: "malformed request fields"}
	}
	if err := signer.BrowserAddressable(req.Key, encodeSlash); err != nil {
		return err
	}

	s := c.signer.EncodeSlash(encodeSlash)
	var x signer.Explanation
	switch op {
	case opPresignURL: // the URL alone, signed straight into the result
		w.begin()
		var err error
		if w.b, err = s.AppendPresignedURL(w.b, req, now); err != nil {
			return err
		}
		w.end()
		return nil
	case opPresign:
		p, err := s.Presign(req, now)
		if err != nil {
			return err
		}
		w.add(p.URL)
		w.add(p.Method)
		w.int(p.Expiration.UnixMilli())
		w.flag(p.Clamped)
		w.headers(p.Headers)
		x = p.Explanation
	case opSignHeaders:
		h, err := s.SignHeaders(req, now)
		if err != nil {
			return err
		}
		w.add(h.URL)
		w.add(h.Method)
		w.int(0)
		w.flag(false)
		w.headers(h.Headers)
		x = h.Explanation
	}
	if explain {
		w.add(string(x.Version))
		w.add(x.CanonicalRequest)
		w.add(x.StringToSign)
		w.add(x.Signature)
	}
	return nil
}
