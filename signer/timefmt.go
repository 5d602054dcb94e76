package signer

import "time"

// The fixed time layouts signing needs, written and read by hand: time.Format and time.Parse
// bring their general layout machinery into the wasm (≈20 KB of brotli), and time's calendar
// methods (Date, Clock, Weekday) its time-zone loader (≈4 KB), for a signer that only ever
// writes UTC.

// civil is a moment in UTC as calendar fields, in the proleptic Gregorian calendar package
// time uses: year 0 is 1 BC; weekday 0 is Sunday.
type civil struct {
	year, month, day, hour, minute, second, weekday int
}

// civilOf splits t, in UTC, into calendar fields (H. Hinnant's civil_from_days).
func civilOf(t time.Time) civil {
	sec := t.Unix()
	days := floorDiv(sec, 86400)
	clock := int(sec - days*86400)
	z := days + 719468 // days since 0000-03-01
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // day of the 400-year era
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of the era, from March
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of that year, from March 1
	mp := (5*doy + 2) / 153                                // month from March, 0–11
	c := civil{
		year:    int(yoe + era*400),
		month:   int(mp + 3),
		day:     int(doy - (153*mp+2)/5 + 1),
		hour:    clock / 3600,
		minute:  clock / 60 % 60,
		second:  clock % 60,
		weekday: int(days + 4 - floorDiv(days+4, 7)*7), // 1970-01-01 was a Thursday
	}
	if c.month > 12 {
		c.month -= 12
		c.year++
	}
	return c
}

// daysFromCivil is the number of days from 1970-01-01 to year-month-day (a valid date).
func daysFromCivil(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((month + 9) % 12) // month from March
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn is the length of month in year.
func daysIn(month, year int) int {
	switch {
	case month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0):
		return 29
	case month == 2:
		return 28
	case month == 4 || month == 6 || month == 9 || month == 11:
		return 30
	}
	return 31
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// timestamp is V4's YYYYMMDD'T'HHMMSS'Z' in UTC.
func timestamp(t time.Time) string { return formatUTC(t, "%Y%M%DT%h%m%sZ") }

// formatRFC3339 writes t in UTC as 2006-01-02T15:04:05Z (whole seconds).
func formatRFC3339(t time.Time) string { return formatUTC(t, "%Y-%M-%DT%h:%m:%sZ") }

// formatRFC1123 writes t as an HTTP date, Mon, 02 Jan 2006 15:04:05 GMT: V1's x-oss-date.
func formatRFC1123(t time.Time) string { return formatUTC(t, "%W, %D %N %Y %h:%m:%s GMT") }

// formatUTC writes t in UTC as layout says: %Y the year (4 digits), %M the month, %D the day,
// %h the hour, %m the minute, %s the second (2 digits each), %W the weekday and %N the month
// as English abbreviations; other bytes as they are.
func formatUTC(t time.Time, layout string) string {
	c := civilOf(t)
	b := make([]byte, 0, 32)
	for i := 0; i < len(layout); i++ {
		if layout[i] != '%' || i+1 == len(layout) {
			b = append(b, layout[i])
			continue
		}
		i++
		switch verb := layout[i]; verb {
		case 'W':
			b = append(b, "SunMonTueWedThuFriSat"[3*c.weekday:3*c.weekday+3]...)
		case 'N':
			b = append(b, "JanFebMarAprMayJunJulAugSepOctNovDec"[3*(c.month-1):3*c.month]...)
		default:
			n, width := c.field(verb)
			b = appendDigits(b, n, width)
		}
	}
	return string(b)
}

// field returns the number a formatUTC verb writes and its width in digits.
func (c *civil) field(verb byte) (n, width int) {
	switch verb {
	case 'Y':
		return c.year, 4
	case 'M':
		return c.month, 2
	case 'D':
		return c.day, 2
	case 'h':
		return c.hour, 2
	case 'm':
		return c.minute, 2
	case 's':
		return c.second, 2
	}
	return 0, 0 // not a verb: nothing
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
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > daysIn(f[1], f[0]) || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, bad
	}
	unix := daysFromCivil(f[0], f[1], f[2])*86400 + int64(f[3]*3600+f[4]*60+f[5]-offset)
	return time.Unix(unix, int64(nsec)).UTC(), nil
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
