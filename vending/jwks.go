package vending

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	// jwksMaxAge is how long fetched keys are used before they are fetched again.
	jwksMaxAge = time.Hour
	// jwksMinInterval is the shortest time between a successful fetch and the next, however
	// many tokens name an unknown kid.
	jwksMinInterval = time.Minute
	// jwksRetryInterval is the shortest time between a failed fetch and the next: a JWKS
	// that is back is used within a second, and one that is down is asked once a second.
	jwksRetryInterval = time.Second
	// jwksMaxBytes bounds a JWKS document.
	jwksMaxBytes = 1 << 20
	// jwksTimeout bounds one fetch, and so how long a request waits for it.
	jwksTimeout = 5 * time.Second
	// minRSABits is the smallest RSA modulus accepted.
	minRSABits = 2048
)

// jwks is a JSON Web Key Set fetched from an identity provider and cached. One fetch runs at
// a time; requests that need it wait for it.
type jwks struct {
	url    string
	client *http.Client
	now    func() time.Time

	mu        sync.Mutex
	keys      []verificationKey
	fetched   time.Time     // last successful fetch
	attempted time.Time     // start of the last fetch
	lastErr   error         // error of the last fetch that ended
	inflight  chan struct{} // closed when the fetch in flight ends; nil when none is
}

// verificationKey is one usable key of the set.
type verificationKey struct {
	kid string
	alg string // "RS256" or "ES256"
	key any    // *rsa.PublicKey or *ecdsa.PublicKey
}

// jwkJSON is a JSON Web Key (RFC 7517, 7518 §6) of the kinds used here.
type jwkJSON struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// newJWKS checks rawURL (https, or http to a loopback address) and returns an empty set that
// fetches on first use.
func newJWKS(rawURL string, client *http.Client, now func() time.Time) (*jwks, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname()))) {
		return nil, fmt.Errorf("vending: JWKS URL %q (--jwt-jwks-url): must be an https URL (http only for a loopback address)", rawURL)
	}
	if client == nil {
		client = &http.Client{Timeout: jwksTimeout}
	}
	return &jwks{url: rawURL, client: client, now: now}, nil
}

// key returns the key for a token signed with alg whose header names kid (a token without
// kid uses the set's only key for alg). A request that needs a fetch starts one or, when one
// is in flight, waits for it (at most jwksTimeout, or until ctx ends). Unknown kids make the
// set fetch again, at most once per jwksMinInterval after a successful fetch and once per
// jwksRetryInterval after a failed one; keys older than jwksMaxAge are fetched again, and kept
// if that fails (or while that fetch is in flight).
func (k *jwks) key(ctx context.Context, kid, alg string) (any, error) {
	for waited := false; ; waited = true {
		k.mu.Lock()
		now := k.now()
		key, found := k.find(kid, alg)
		stale := k.fetched.IsZero() || now.Sub(k.fetched) >= jwksMaxAge
		var wait chan struct{}
		switch {
		case found && (!stale || k.inflight != nil):
		case waited:
		case k.inflight != nil:
			wait = k.inflight
		case k.mayFetch(now, found):
			wait = k.startFetch(now)
		}
		lastErr := k.lastErr
		k.mu.Unlock()
		switch {
		case wait != nil:
			if err := awaitFetch(ctx, wait); err != nil {
				return nil, err
			}
			continue
		case found:
			return key, nil
		case lastErr != nil:
			return nil, fmt.Errorf("%w: the JWKS could not be fetched: %v", ErrAuthUnavailable, lastErr)
		}
		return nil, unauthenticated("the JWKS has no %s key with kid %.80q", alg, kid)
	}
}

// ready reports whether the set has been loaded, starting a fetch (or waiting for the one in
// flight) when it has not.
func (k *jwks) ready(ctx context.Context) error {
	k.mu.Lock()
	wait := k.inflight
	if wait == nil && k.fetched.IsZero() && k.mayFetch(k.now(), false) {
		wait = k.startFetch(k.now())
	}
	k.mu.Unlock()
	if wait != nil {
		if err := awaitFetch(ctx, wait); err != nil {
			return err
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case !k.fetched.IsZero():
		return nil
	case k.lastErr != nil:
		return fmt.Errorf("%w: the JWKS could not be fetched: %v", ErrAuthUnavailable, k.lastErr)
	}
	return fmt.Errorf("%w: the JWKS is being fetched", ErrAuthUnavailable)
}

// mayFetch reports whether a fetch may start at now, for a token whose key was found (stale)
// or not. The caller holds k.mu.
func (k *jwks) mayFetch(now time.Time, found bool) bool {
	switch {
	case k.attempted.IsZero():
		return true
	case k.lastErr != nil:
		return now.Sub(k.attempted) >= jwksRetryInterval
	}
	return found || now.Sub(k.attempted) >= jwksMinInterval
}

// startFetch starts fetching the set and returns a channel closed when the fetch ends. The
// caller holds k.mu.
func (k *jwks) startFetch(now time.Time) chan struct{} {
	done := make(chan struct{})
	k.inflight, k.attempted = done, now
	go func() {
		keys, err := k.fetch()
		k.mu.Lock()
		k.lastErr, k.inflight = err, nil
		if err == nil {
			k.keys, k.fetched = keys, k.now()
		}
		k.mu.Unlock()
		close(done)
	}()
	return done
}

// awaitFetch waits for a fetch to end, or for ctx to.
func awaitFetch(ctx context.Context, done chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: gave up waiting for the JWKS: %v", ErrAuthUnavailable, ctx.Err())
	}
}

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// find returns the key named kid for alg, or the only key for alg when kid is empty. The
// caller holds k.mu.
func (k *jwks) find(kid, alg string) (any, bool) {
	var match any
	n := 0
	for _, v := range k.keys {
		if v.alg == alg && (kid == "" || v.kid == kid) {
			match = v.key
			n++
		}
	}
	return match, n == 1
}

// fetch downloads and parses the set. It is not tied to the request that started it: every
// request waiting for it gets its result.
func (k *jwks) fetch() ([]verificationKey, error) {
	ctx, cancel := context.WithTimeout(context.Background(), jwksTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", k.url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > jwksMaxBytes {
		return nil, fmt.Errorf("GET %s: the JWKS is larger than %d bytes", k.url, jwksMaxBytes)
	}
	return parseJWKS(body)
}

// parseJWKS returns the RS256 and ES256 signing keys of a JWKS document, skipping keys of
// other kinds; a set without any is an error.
func parseJWKS(body []byte) ([]verificationKey, error) {
	var doc struct {
		Keys []jwkJSON `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the JWKS is not a JSON object with a keys array: %v", err)
	}
	var keys []verificationKey
	var skipped []string
	for i, j := range doc.Keys {
		v, err := j.verificationKey()
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("key %d (kid %.80q): %v", i, j.Kid, err))
			continue
		}
		keys = append(keys, v)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("the JWKS has no usable RS256 or ES256 signing key (%s)", strings.Join(skipped, "; "))
	}
	return keys, nil
}

// verificationKey converts an RSA key (RS256) or a P-256 key (ES256).
func (j *jwkJSON) verificationKey() (verificationKey, error) {
	if j.Use != "" && j.Use != "sig" {
		return verificationKey{}, fmt.Errorf("use %q is not sig", j.Use)
	}
	v := verificationKey{kid: j.Kid}
	var err error
	switch {
	case j.Kty == "RSA" && (j.Alg == "" || j.Alg == "RS256"):
		v.alg = "RS256"
		v.key, err = j.rsaKey()
	case j.Kty == "EC" && j.Crv == "P-256" && (j.Alg == "" || j.Alg == "ES256"):
		v.alg = "ES256"
		v.key, err = j.ecKey()
	default:
		err = fmt.Errorf("kty %q, crv %q, alg %q is not an RS256 or ES256 key", j.Kty, j.Crv, j.Alg)
	}
	return v, err
}

// rsaKey decodes n and e.
func (j *jwkJSON) rsaKey() (*rsa.PublicKey, error) {
	params, err := decodeB64URL(j.N, j.E)
	if err != nil {
		return nil, err
	}
	n, e := params[0], params[1]
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(n)}
	if len(e) == 0 || len(e) > 4 {
		return nil, errors.New("the RSA exponent is not a 1–4 byte integer")
	}
	key.E = int(new(big.Int).SetBytes(e).Int64())
	if key.E < 3 || key.E%2 == 0 {
		return nil, errors.New("the RSA exponent is not an odd integer ≥ 3")
	}
	if key.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("the RSA modulus has %d bits, fewer than %d", key.N.BitLen(), minRSABits)
	}
	return key, nil
}

// ecKey decodes x and y as a point of P-256.
func (j *jwkJSON) ecKey() (*ecdsa.PublicKey, error) {
	params, err := decodeB64URL(j.X, j.Y)
	if err != nil {
		return nil, err
	}
	x, y := params[0], params[1]
	const size = 32
	if len(x) != size || len(y) != size {
		return nil, errors.New("the P-256 coordinates are not 32 bytes each")
	}
	point := append(append([]byte{4}, x...), y...)
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
}

// decodeB64URL decodes key parameters in base64url, with or without padding.
func decodeB64URL(params ...string) ([][]byte, error) {
	out := make([][]byte, len(params))
	for i, p := range params {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
		if err != nil || len(b) == 0 {
			return nil, errors.New("a key parameter is not non-empty base64url")
		}
		out[i] = b
	}
	return out, nil
}
