package vending

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"sync"
)

// defaultTransportRoots records the CA certificates trustSTSRoots added to
// http.DefaultTransport, by SHA-256 of their DER bytes.
var defaultTransportRoots struct {
	sync.Mutex
	added map[[sha256.Size]byte]bool
}

// trustSTSRoots makes credentials-go trust certs (in addition to what it trusted before)
// for its HTTPS calls to STS.
//
// This is the one place where the package changes process-wide state, and the only way
// there is: credentials-go has no TLS option, and for every call it clones
// http.DefaultTransport (and a proxy does not help, as TLS runs end to end through it). So
// the certificates are added to the root pool of http.DefaultTransport's TLS configuration,
// starting from the pool it had (the system roots when it had none): every user of
// http.DefaultTransport in the process trusts them too, and nothing it trusted before is
// lost. The configuration is replaced only when a certificate is new, so repeated calls with
// the same CA (one per Server in tests, say) change nothing; a replacement is a data race
// with HTTPS requests on http.DefaultTransport in flight in other goroutines, so call New
// before the process starts making such requests.
func trustSTSRoots(certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return nil
	}
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return fmt.Errorf("vending: Config.STSRootCAs needs http.DefaultTransport to be an *http.Transport, as credentials-go clones it, but it is a %T", http.DefaultTransport)
	}
	m := &defaultTransportRoots
	m.Lock()
	defer m.Unlock()
	if m.added == nil {
		m.added = make(map[[sha256.Size]byte]bool)
	}
	var fresh []*x509.Certificate
	for _, c := range certs {
		if sum := sha256.Sum256(c.Raw); !m.added[sum] {
			fresh = append(fresh, c)
			m.added[sum] = true
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	pool, err := x509.SystemCertPool()
	if cfg.RootCAs != nil {
		pool, err = cfg.RootCAs.Clone(), nil
	}
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, c := range fresh {
		pool.AddCert(c)
	}
	cfg.RootCAs = pool
	t.TLSClientConfig = cfg
	return nil
}

// LoadCertificates reads the PEM certificates of a file, such as the CA an STS emulator
// writes (emulator.Server.CAFile), for Config.STSRootCAs.
func LoadCertificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vending: reading CA certificates: %w", err)
	}
	var certs []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("vending: %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("vending: %s holds no PEM CERTIFICATE block", path)
	}
	return certs, nil
}
