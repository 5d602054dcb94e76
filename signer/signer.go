package signer

import (
	"sync/atomic"
	"time"
)

// Signer signs requests for one Target with one set of credentials. It checks both once and
// keeps what every signature reuses: the resolved endpoint and, for V4, the signing key of
// the current UTC day (the four HMACs of §2.3) with its credential scope. Its results are
// exactly those of [Presign], [SignHeaders], [PostPolicyConditions] and [SignPostObject] for
// the same Target and credentials.
//
// A Signer is safe for concurrent use. It holds the secret, and the keys derived from it, for
// as long as it is referenced and no longer: make a new Signer when the credentials change and
// drop the old one (a JS client keeps one per set of credentials).
type Signer struct {
	e          endpoint
	c          Credentials
	credsOK    bool       // the credentials are present and well-formed (the expiry is checked per call)
	tokenQuery string     // the security token, encoded for a query
	days       *v4Cache   // shared with the Signers EncodeSlash derives
	v1         *keyedSHA1 // V1: the HMAC keyed with the secret
}

// NewSigner returns a Signer for t with credentials c. Only t's errors are returned here; a
// problem with c (missing, malformed) is returned by every signing call, after the request's
// own problems, as the functions of the same name report it.
func NewSigner(t Target, c Credentials) (*Signer, error) {
	e, err := t.resolve()
	if err != nil {
		return nil, err
	}
	return (&Signer{e: e}).WithCredentials(c), nil
}

// WithCredentials returns a Signer for the same Target with credentials c. It shares nothing
// with s: the keys s derived go with s.
func (s *Signer) WithCredentials(c Credentials) *Signer {
	derived := &Signer{e: s.e, c: c, credsOK: c.checkFormat() == nil, tokenQuery: URIEncode(c.SecurityToken, false), days: new(v4Cache)}
	if s.e.version == V1 {
		key := newKeyedSHA1([]byte(c.AccessKeySecret))
		derived.v1 = &key
	}
	return derived
}

// Expiration is when the Signer's credentials expire (zero: never).
func (s *Signer) Expiration() time.Time { return s.c.Expiration }

// EncodeSlash returns a Signer like s but for Target.EncodeSlash = on: '/' in keys written as
// %2F. It shares s's cached keys; s is returned when it already encodes so.
func (s *Signer) EncodeSlash(on bool) *Signer {
	if s.e.keepSlash != on {
		return s
	}
	derived := *s
	derived.e.keepSlash = !on
	return &derived
}

// Presign returns a presigned URL for r, signed at now (§1.5 for V1, §2.5 for V4).
func (s *Signer) Presign(r Request, now time.Time) (Presigned, error) {
	var room headerRoom
	p, lifetime, clamped, err := s.beginPresign(&r, now, room[:0])
	if err != nil {
		return Presigned{}, err
	}
	var out Presigned
	if s.e.version == V1 {
		out = s.presignV1(&p, now.Unix()+lifetime)
	} else {
		u, x := s.presignV4(nil, &p, now, lifetime)
		out = Presigned{Method: p.method, URL: finished(u), Headers: publicHeaders(p.headers), Explanation: x.explanation()}
	}
	out.Expiration = time.Unix(now.Unix()+lifetime, 0).UTC()
	out.Clamped = clamped
	return out, nil
}

// AppendPresignedURL appends to dst the URL that Presign returns for r at now, and returns the
// extended buffer; on error dst comes back unchanged. It is for callers that sign many URLs
// into a buffer of their own (the wasm module's fast path): a V4 URL allocates nothing but
// dst's growth and the signing material the Signer keeps for the day, the second and the last
// request but its key (v4URLShape), whose work the next URL for another key in the same
// second skips. The bytes between the URL's end and the buffer's capacity are scratch space
// the call wrote over.
func (s *Signer) AppendPresignedURL(dst []byte, r Request, now time.Time) ([]byte, error) {
	if sh := s.days.urlShape.Load(); sh != nil && sh.fits(&r, now) {
		if s.days.shapeMisses.Load() != 0 {
			s.days.shapeMisses.Store(0)
		}
		if err := validKey(r.Key); err != nil {
			return dst, err
		}
		if err := s.usableAt(now); err != nil {
			return dst, err
		}
		return sh.appendURL(dst, &s.e, r.Key), nil
	}
	var room headerRoom
	p, lifetime, _, err := s.beginPresign(&r, now, room[:0])
	if err != nil {
		return dst, err
	}
	if s.e.version == V1 {
		return append(dst, s.presignV1(&p, now.Unix()+lifetime).URL...), nil
	}
	u, x := s.presignV4(dst, &p, now, lifetime)
	// A shape is kept on the first miss after hits, and on every shapeRetry-th miss in a row:
	// requests whose options change each time do not pay for copying them.
	if p.bucket != "" && s.days.shapeMisses.Add(1)%shapeRetry == 1 {
		s.days.urlShape.Store(newV4URLShape(&r, &p, x))
	}
	return u, nil
}

// beginPresign validates r and the credentials at now (begin) and works out the URL's
// lifetime in seconds; the headers go into room.
func (s *Signer) beginPresign(r *Request, now time.Time, room []header) (p prepared, lifetime int64, clamped bool, err error) {
	if p, err = s.begin(r, now, room); err != nil {
		return p, 0, false, err
	}
	lifetime, clamped, err = presignLifetime(s.e.version, r.Expires, &s.c, now)
	return p, lifetime, clamped, err
}

// SignHeaders signs r with an Authorization header at now (§1.4 for V1, §2.4 for V4). OSS
// accepts the request within 15 minutes of now.
func (s *Signer) SignHeaders(r Request, now time.Time) (SignedRequest, error) {
	var room headerRoom
	p, err := s.begin(&r, now, room[:0])
	if err != nil {
		return SignedRequest{}, err
	}
	if s.e.version == V1 {
		return s.signHeaderV1(&p, now), nil
	}
	return s.signHeaderV4(&p, now), nil
}

// begin validates r, then the credentials at now. The headers go into room.
func (s *Signer) begin(r *Request, now time.Time, room []header) (prepared, error) {
	p, err := prepare(r, &s.e, room)
	if err != nil {
		return p, err
	}
	return p, s.usableAt(now)
}

// usableAt reports the credentials' problem at now, as Credentials.Validate does.
func (s *Signer) usableAt(now time.Time) error {
	if !s.credsOK {
		return s.c.checkFormat()
	}
	return s.c.checkExpiry(now)
}

// v4Cache holds the V4 signing material of the last UTC day and the last second a Signer
// signed in, and of the last presigned URL's request: one entry each, replaced when the date,
// the second or the request changes, so it never grows.
type v4Cache struct {
	last        atomic.Pointer[v4Day]
	second      atomic.Pointer[v4Second]
	lifetime    atomic.Pointer[lifetimeText] // the last x-oss-expires written
	urlShape    atomic.Pointer[v4URLShape]   // a recent request AppendPresignedURL signed
	shapeMisses atomic.Uint32                // AppendPresignedURL calls in a row urlShape did not fit
}

// shapeRetry is how many misses in a row pass between two shapes kept.
const shapeRetry = 8

// lifetimeText is a URL's lifetime in seconds, and in decimal.
type lifetimeText struct {
	seconds int64
	text    string
}

// v4Day is what the V4 signatures of one UTC day share.
type v4Day struct {
	date            string      // YYYYMMDD
	scope           string      // date/region/product/aliyun_v4_request (§2.1)
	credential      string      // AccessKeyId/scope: x-oss-credential
	credentialQuery string      // credential, encoded for a query
	mac             keyedSHA256 // HMAC keyed with kSigning (§2.3); immutable
}

// v4Second is what the V4 signatures of one second share: the timestamp and the string to
// sign's lines before the canonical request's hash, already run through the day's HMAC.
type v4Second struct {
	unix      int64
	ts        string // V4 timestamp, YYYYMMDDTHHMMSSZ
	day       *v4Day
	stsPrefix string      // "OSS4-HMAC-SHA256\n" ts "\n" scope "\n" (§2.3)
	mac       keyedSHA256 // day.mac having absorbed stsPrefix; immutable
}

// day returns the V4 signing material for the date that the V4 timestamp ts begins with.
func (s *Signer) day(ts string) *v4Day {
	date := ts[:8]
	if d := s.days.last.Load(); d != nil && d.date == date {
		return d
	}
	d := &v4Day{date: date, scope: date + "/" + s.e.region + "/" + s.e.product + "/" + v4Terminator}
	d.credential = s.c.AccessKeyID + "/" + d.scope
	d.credentialQuery = URIEncode(d.credential, false)
	d.mac = newKeyedSHA256(signingKeyV4(s.c.AccessKeySecret, date, s.e.region, s.e.product))
	s.days.last.Store(d)
	return d
}

// lifetimeText returns seconds in decimal: URLs signed one after another mostly share it.
func (s *Signer) lifetimeText(seconds int64) string {
	if l := s.days.lifetime.Load(); l != nil && l.seconds == seconds {
		return l.text
	}
	l := &lifetimeText{seconds, itoa(seconds)}
	s.days.lifetime.Store(l)
	return l.text
}

// second returns the V4 signing material for the second now falls in.
func (s *Signer) second(now time.Time) *v4Second {
	unix := now.Unix()
	if sec := s.days.second.Load(); sec != nil && sec.unix == unix {
		return sec
	}
	ts := timestamp(now)
	sec := &v4Second{unix: unix, ts: ts, day: s.day(ts)}
	sec.stsPrefix = algorithmV4 + "\n" + ts + "\n" + sec.day.scope + "\n"
	sec.mac = sec.day.mac.absorbed([]byte(sec.stsPrefix))
	s.days.second.Store(sec)
	return sec
}
