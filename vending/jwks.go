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

	"golang.org/x/sync/singleflight"
)

const (
	// jwksMaxAge is how long fetched keys are used before they are fetched again.
	jwksMaxAge = time.Hour
	// jwksMinInterval is the shortest time between two fetches, however many tokens name
	// an unknown kid.
	jwksMinInterval = time.Minute
	// jwksMaxBytes bounds a JWKS document.
	jwksMaxBytes = 1 << 20
	// jwksTimeout bounds one fetch.
	jwksTimeout = 10 * time.Second
	// minRSABits is the smallest RSA modulus accepted.
	minRSABits = 2048
)

// jwks is a JSON Web Key Set fetched from an identity provider and cached.
type jwks struct {
	url    string
	client *http.Client
	now    func() time.Time
	flight singleflight.Group

	mu        sync.Mutex
	keys      []verificationKey
	fetched   time.Time // last successful fetch
	attempted time.Time // last fetch, successful or not
	lastErr   error     // error of the last fetch
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

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// key returns the key for a token signed with alg whose header names kid (a token without
// kid uses the set's only key for alg). Unknown kids make the set fetch again, at most once
// per jwksMinInterval; keys older than jwksMaxAge are fetched again, and kept if that fails.
func (k *jwks) key(ctx context.Context, kid, alg string) (any, error) {
	now := k.now()
	k.mu.Lock()
	key, found := k.find(kid, alg)
	fresh := !k.fetched.IsZero() && now.Sub(k.fetched) < jwksMaxAge
	mayFetch := k.attempted.IsZero() || now.Sub(k.attempted) >= jwksMinInterval
	lastErr := k.lastErr
	k.mu.Unlock()
	switch {
	case found && (fresh || !mayFetch):
		return key, nil
	case !mayFetch && lastErr != nil:
		return nil, fmt.Errorf("%w: the JWKS could not be fetched: %v", ErrAuthUnavailable, lastErr)
	case !mayFetch:
		return nil, unauthenticated("the JWKS has no %s key with kid %.80q", alg, kid)
	}
	_, err, _ := k.flight.Do("", func() (any, error) { return nil, k.refresh(ctx) })
	k.mu.Lock()
	key, found = k.find(kid, alg)
	k.mu.Unlock()
	switch {
	case found:
		return key, nil
	case err != nil:
		return nil, fmt.Errorf("%w: the JWKS could not be fetched: %v", ErrAuthUnavailable, err)
	}
	return nil, unauthenticated("the JWKS has no %s key with kid %.80q", alg, kid)
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

// refresh fetches the set and replaces the cached keys when that succeeds.
func (k *jwks) refresh(ctx context.Context) error {
	k.mu.Lock()
	k.attempted = k.now()
	k.mu.Unlock()
	keys, err := k.fetch(ctx)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lastErr = err
	if err == nil {
		k.keys, k.fetched = keys, k.now()
	}
	return err
}

// fetch downloads and parses the set. It does not stop when ctx, the request of one of the
// tokens waiting for it, is canceled.
func (k *jwks) fetch(ctx context.Context) ([]verificationKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jwksTimeout)
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
