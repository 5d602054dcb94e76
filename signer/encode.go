package signer

import "unsafe"

const upperHex = "0123456789ABCDEF"

// unreservedMask has bit c set for each RFC 3986 unreserved byte c, A–Z a–z 0–9 - _ . ~: a
// constant, where a table computed by a function would be built when the wasm starts.
var unreservedMask = [4]uint64{
	1<<'-' | 1<<'.' | 0x3ff<<'0',
	0x3ffffff<<('A'-64) | 1<<('_'-64) | 0x3ffffff<<('a'-64) | 1<<('~'-64),
}

func unreserved(c byte) bool { return unreservedMask[c>>6]>>(c&63)&1 != 0 }

// appendURIEncoded appends UriEncode(s, keepSlash) of the spec (§0): every byte outside the
// unreserved set becomes %XX with upper-case hex; '/' stays literal only when keepSlash.
func appendURIEncoded(dst []byte, s string, keepSlash bool) []byte {
	start := 0 // s[start:i] is a run to copy as it is
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved(c) && !(c == '/' && keepSlash) {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// URIEncode returns UriEncode(s, keepSlash) as the spec defines it: RFC 3986 percent-encoding
// of the UTF-8 bytes of s, upper-case hex, space as %20, '/' kept only when keepSlash.
func URIEncode(s string, keepSlash bool) string {
	if uriEncodedLen(s, keepSlash) == len(s) {
		return s
	}
	return string(appendURIEncoded(make([]byte, 0, uriEncodedLen(s, keepSlash)), s, keepSlash))
}

func uriEncodedLen(s string, keepSlash bool) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(unreserved(c) || c == '/' && keepSlash) {
			n += 2
		}
	}
	return n
}

const lowerHex = "0123456789abcdef"

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// appendBase64 appends the standard Base64 of src, padded (RFC 4648 §4), as
// base64.StdEncoding writes it; encoding/base64 would build its decoding tables when the wasm
// starts, for a signer that never decodes.
func appendBase64(dst, src []byte) []byte {
	for ; len(src) >= 3; src = src[3:] {
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		dst = append(dst, base64Alphabet[v>>18], base64Alphabet[v>>12&63], base64Alphabet[v>>6&63], base64Alphabet[v&63])
	}
	switch len(src) {
	case 1:
		v := uint(src[0]) << 16
		dst = append(dst, base64Alphabet[v>>18], base64Alphabet[v>>12&63], '=', '=')
	case 2:
		v := uint(src[0])<<16 | uint(src[1])<<8
		dst = append(dst, base64Alphabet[v>>18], base64Alphabet[v>>12&63], base64Alphabet[v>>6&63], '=')
	}
	return dst
}

// appendHex appends b in lower-case hex. It grows dst once and writes by index: every
// signature hexes two digests, and an append per byte costs in the wasm build.
func appendHex(dst, b []byte) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, 2*len(b))...)
	out := dst[n:]
	for i, c := range b {
		out[2*i], out[2*i+1] = lowerHex[c>>4], lowerHex[c&15]
	}
	return dst
}

// lower returns s in ASCII lower case, without allocating when it already is. (ASCII only:
// strings.ToLower would link the Unicode case tables into the wasm.)
func lower(s string) string { return mapASCII(s, 'A', 'Z', 'a'-'A') }

// upper returns s in ASCII upper case, without allocating when it already is.
func upper(s string) string { return mapASCII(s, 'a', 'z', 256-('a'-'A')) }

// mapASCII adds delta (mod 256) to every byte in [from, to].
func mapASCII(s string, from, to byte, delta byte) string {
	for i := 0; i < len(s); i++ {
		if from <= s[i] && s[i] <= to {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if from <= b[j] && b[j] <= to {
					b[j] += delta
				}
			}
			return string(b)
		}
	}
	return s
}

// finished turns a buffer the signer built into a string without copying it. The buffer must
// not be used again: every caller passes a buffer it allocated for this result and drops.
func finished(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
