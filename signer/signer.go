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
	p, err := s.begin(&r, now)
	if err != nil {
		return Presigned{}, err
	}
	lifetime, clamped, err := presignLifetime(s.e.version, r.Expires, &s.c, now)
	if err != nil {
		return Presigned{}, err
	}
	signedAt := now.Unix()
	var out Presigned
	if s.e.version == V1 {
		out = s.presignV1(&p, signedAt+lifetime)
	} else {
		out = s.presignV4(&p, now, lifetime)
	}
	out.Expiration = time.Unix(signedAt+lifetime, 0).UTC()
	out.Clamped = clamped
	return out, nil
}

// SignHeaders signs r with an Authorization header at now (§1.4 for V1, §2.4 for V4). OSS
// accepts the request within 15 minutes of now.
func (s *Signer) SignHeaders(r Request, now time.Time) (SignedRequest, error) {
	p, err := s.begin(&r, now)
	if err != nil {
		return SignedRequest{}, err
	}
	if s.e.version == V1 {
		return s.signHeaderV1(&p, now), nil
	}
	return s.signHeaderV4(&p, now), nil
}

// begin validates r, then the credentials at now.
func (s *Signer) begin(r *Request, now time.Time) (prepared, error) {
	p, err := prepare(r, &s.e)
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

// v4Cache holds the V4 signing material of the last UTC day a Signer signed on: one entry,
// replaced when the date changes, so it never grows.
type v4Cache struct{ last atomic.Pointer[v4Day] }

// v4Day is what the V4 signatures of one UTC day share.
type v4Day struct {
	date            string      // YYYYMMDD
	scope           string      // date/region/product/aliyun_v4_request (§2.1)
	credential      string      // AccessKeyId/scope: x-oss-credential
	credentialQuery string      // credential, encoded for a query
	mac             keyedSHA256 // HMAC keyed with kSigning (§2.3); immutable
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
