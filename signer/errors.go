package signer

import "unicode/utf8"

// ErrorCode is a stable, machine-readable name for a class of signing error. The JS package
// exposes it as the `code` property of its Error objects.
type ErrorCode string

// Error codes returned by this package.
const (
	CodeInvalidBucket      ErrorCode = "InvalidBucketName"
	CodeInvalidKey         ErrorCode = "InvalidObjectName"
	CodeInvalidMethod      ErrorCode = "InvalidMethod"
	CodeInvalidRegion      ErrorCode = "InvalidRegion"
	CodeInvalidEndpoint    ErrorCode = "InvalidEndpoint"
	CodeInvalidExpiry      ErrorCode = "InvalidExpiry"
	CodeInvalidHeader      ErrorCode = "InvalidHeader"
	CodeInvalidQuery       ErrorCode = "InvalidQuery"
	CodeInvalidVersion     ErrorCode = "InvalidSignatureVersion"
	CodeInvalidPolicy      ErrorCode = "InvalidPolicy"
	CodeMissingCredentials ErrorCode = "MissingCredentials"
	CodeInvalidCredentials ErrorCode = "InvalidCredentials"
	CodeExpiredCredentials ErrorCode = "ExpiredCredentials"
)

// Error is the error type of this package: a stable [ErrorCode] plus a message a user can act
// on. Messages never contain a secret or a security token.
type Error struct {
	Code    ErrorCode
	Message string
}

// Error returns the message prefixed with nothing else; the code is in Code.
func (e *Error) Error() string { return e.Message }

// Is makes errors.Is match any *Error with the same Code, so callers can test
// errors.Is(err, &signer.Error{Code: signer.CodeInvalidKey}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// newError joins parts into an Error's message. It stays out of line: inlined into its forty
// callers, all on paths bad input takes, it made ossign.wasm 6 KB (brotli) larger.
//
//go:noinline
func newError(code ErrorCode, parts ...string) *Error {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	msg := make([]byte, 0, n)
	for _, p := range parts {
		msg = append(msg, p...)
	}
	return &Error{Code: code, Message: string(msg)}
}

// quote returns s in double quotes for a message, escaped as strconv.Quote escapes it: '"' and
// '\\', ASCII controls and DEL (\n, \t, \x00, …), bytes that are not UTF-8 (\xff), and the
// characters that show nothing (\u00a0, \u200b, …); everything else as it is. strconv.Quote
// tells those from the rest with Unicode's print tables, which the wasm would download;
// invisibleRunes lists them instead, and agrees with the tables on every assigned code point
// (errors_internal_test.go checks them all).
func quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = appendHexEscape(b, 'x', uint32(s[i]), 2)
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r >= ' ' && r < 0x7f:
			b = append(b, byte(r))
		case r < ' ' || r == 0x7f:
			if r < ' ' && controlEscapes[r] != 0 {
				b = append(b, '\\', controlEscapes[r])
			} else {
				b = appendHexEscape(b, 'x', uint32(r), 2)
			}
		case r < 0x10000 && invisible(r):
			b = appendHexEscape(b, 'u', uint32(r), 4)
		case invisible(r):
			b = appendHexEscape(b, 'U', uint32(r), 8)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(append(b, '"'))
}

// controlEscapes are the one-letter escapes of \a … \r.
var controlEscapes = [' ']byte{'\a': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

func appendHexEscape(b []byte, kind byte, v uint32, digits int) []byte {
	b = append(b, '\\', kind)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, lowerHex[v>>shift&15])
	}
	return b
}

// invisibleRunes are the non-ASCII code points Unicode assigns to controls (Cc), format
// characters (Cf), separators (Zs, Zl, Zp) and private use (Co), plus unassigned ones
// between them: what strconv.IsPrint calls not printable.
var invisibleRunes = [...][2]rune{
	{0x80, 0xa0}, {0xad, 0xad}, {0x600, 0x605}, {0x61c, 0x61c}, {0x6dd, 0x6dd}, {0x70f, 0x70f},
	{0x890, 0x891}, {0x8e2, 0x8e2}, {0x1680, 0x1680}, {0x180e, 0x180e}, {0x2000, 0x200f},
	{0x2028, 0x202f}, {0x205f, 0x206f}, {0x3000, 0x3000}, {0xe000, 0xf8ff}, {0xfeff, 0xfeff},
	{0xfff9, 0xfffb}, {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f},
	{0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0000, 0xe00ff}, {0xf0000, 0x10ffff},
}

func invisible(r rune) bool {
	for _, span := range invisibleRunes {
		if span[0] <= r && r <= span[1] {
			return true
		}
	}
	return false
}
