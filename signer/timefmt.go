package signer

import (
	"time"
)

// The fixed time layouts signing needs, written and read by hand: time.Format and time.Parse
// bring their general layout machinery into the wasm (≈20 KB of brotli).

// timestamp is V4's YYYYMMDD'T'HHMMSS'Z' in UTC.
func timestamp(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	b := make([]byte, 0, 16)
	b = appendDigits(appendDigits(appendDigits(b, year, 4), int(month), 2), day, 2)
	b = append(b, 'T')
	b = appendDigits(appendDigits(appendDigits(b, hour, 2), minute, 2), second, 2)
	return string(append(b, 'Z'))
}

// formatRFC3339 writes t in UTC as 2006-01-02T15:04:05Z (whole seconds).
func formatRFC3339(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	b := make([]byte, 0, 20)
	b = appendDigits(b, year, 4)
	b = appendDigits(append(b, '-'), int(month), 2)
	b = appendDigits(append(b, '-'), day, 2)
	b = appendClock(append(b, 'T'), t)
	return string(append(b, 'Z'))
}

// formatRFC1123 writes t as an HTTP date, Mon, 02 Jan 2006 15:04:05 GMT: V1's x-oss-date.
func formatRFC1123(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	b := make([]byte, 0, 29)
	b = append(b, "SunMonTueWedThuFriSat"[3*t.Weekday():3*t.Weekday()+3]...)
	b = appendDigits(append(b, ", "...), day, 2)
	b = append(append(b, ' '), "JanFebMarAprMayJunJulAugSepOctNovDec"[3*(month-1):3*month]...)
	b = appendDigits(append(b, ' '), year, 4)
	b = appendClock(append(b, ' '), t)
	return string(append(b, " GMT"...))
}

func appendClock(b []byte, t time.Time) []byte {
	hour, minute, second := t.Clock()
	b = appendDigits(b, hour, 2)
	b = appendDigits(append(b, ':'), minute, 2)
	return appendDigits(append(b, ':'), second, 2)
}

// appendDigits appends n (≥ 0) in decimal, zero-padded to width.
func appendDigits(b []byte, n, width int) []byte {
	var d [20]byte
	i := len(d)
	for n > 0 || i > len(d)-width {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[i:]...)
}

// formatDuration writes d for messages: whole seconds as "90 s", else milliseconds or
// nanoseconds.
func formatDuration(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return itoa(int64(d/time.Second)) + " s"
	case d%time.Millisecond == 0:
		return itoa(d.Milliseconds()) + " ms"
	}
	return itoa(int64(d)) + " ns"
}

// ParseExpiration parses an STS Expiration: RFC 3339, 2006-01-02T15:04:05Z, with optional
// fractional seconds and a Z or ±hh:mm offset. Errors have code CodeInvalidCredentials.
func ParseExpiration(s string) (time.Time, error) {
	bad := newError(CodeInvalidCredentials, "Expiration ", quote(s), " is not an RFC 3339 time such as 2026-01-01T00:15:00Z")
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' && s[10] != 't' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, bad
	}
	var f [6]int // year, month, day, hour, minute, second
	for i, at := range [6][2]int{{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}} {
		n, ok := digits(s[at[0] : at[0]+at[1]])
		if !ok {
			return time.Time{}, bad
		}
		f[i] = n
	}
	rest, nsec := s[19:], 0
	if rest[0] == '.' {
		end := 1
		for end < len(rest) && '0' <= rest[end] && rest[end] <= '9' {
			if end <= 9 {
				nsec = nsec*10 + int(rest[end]-'0')
			}
			end++
		}
		if end == 1 {
			return time.Time{}, bad
		}
		for i := min(end, 10); i < 10; i++ {
			nsec *= 10
		}
		rest = rest[end:]
	}
	offset := 0
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, ok1 := digits(rest[1:3])
		m, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return time.Time{}, bad
		}
		offset = (h*60 + m) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, bad
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], nsec, time.UTC)
	if f[1] < 1 || f[1] > 12 || t.Day() != f[2] || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, bad
	}
	return t.Add(-time.Duration(offset) * time.Second), nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
