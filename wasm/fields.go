//go:build js && wasm

package main

import "github.com/ossign/ossign/signer"

// fieldReader reads request fields; bad records missing or malformed ones.
type fieldReader struct {
	fields []string
	bad    bool
}

// next reads a field. Not inlined: the dozen calls of a signature share one copy of it, which
// keeps the module smaller.
//
//go:noinline
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

// list reads a count and that many fields, as a slice of the fields (nil when empty).
func (r *fieldReader) list() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	l := r.fields[:n:n]
	r.fields = r.fields[n:]
	return l
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

// resultWriter writes result fields NUL-separated into b. With record set (the syscall/js
// path, where a field may itself contain a NUL) it also notes where each field ends.
type resultWriter struct {
	b      []byte
	n      int // fields written
	record bool
	ends   []int
}

// begin starts a field.
func (w *resultWriter) begin() {
	if w.n > 0 {
		w.b = append(w.b, 0)
	}
}

// end finishes a field.
func (w *resultWriter) end() {
	w.n++
	if w.record {
		w.ends = append(w.ends, len(w.b))
	}
}

// add writes a field. Not inlined, as fieldReader.next.
//
//go:noinline
func (w *resultWriter) add(s string) {
	w.begin()
	w.b = append(w.b, s...)
	w.end()
}

// int writes n in base 10, as strconv.FormatInt(n, 10) does (strconv would bring its quoting
// and number-error machinery into the module).
func (w *resultWriter) int(n int64) {
	w.begin()
	u := uint64(n)
	if n < 0 {
		w.b = append(w.b, '-')
		u = -u
	}
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	w.b = append(w.b, digits[i:]...)
	w.end()
}

func (w *resultWriter) flag(b bool) {
	if b {
		w.add("1")
	} else {
		w.add("0")
	}
}

// params writes a count, then each parameter's name and value.
func (w *resultWriter) params(ps []signer.Param) {
	w.int(int64(len(ps)))
	for _, p := range ps {
		w.add(p.Name)
		w.add(p.Value)
	}
}

func (w *resultWriter) headers(hs []signer.Header) {
	w.int(int64(len(hs)))
	for _, h := range hs {
		w.add(h.Name)
		w.add(h.Value)
	}
}

// failure writes an error: code, message.
func (w *resultWriter) failure(err error) {
	code := string(codeBadCall)
	if se, ok := err.(*signer.Error); ok {
		code = string(se.Code)
	}
	w.add(code)
	w.add(err.Error())
}

// strings returns the recorded fields.
func (w *resultWriter) strings() []string {
	out := make([]string, len(w.ends))
	start := 0
	for i, end := range w.ends {
		out[i] = string(w.b[start:end])
		start = end + 1
	}
	return out
}
