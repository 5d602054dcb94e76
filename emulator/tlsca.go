package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// tlsMaterial is the emulator's CA and the STS server certificate it signed.
type tlsMaterial struct {
	ca     *x509.Certificate
	leaf   tls.Certificate
	caFile string
}

// newTLSMaterial generates a CA and a certificate for localhost, 127.0.0.1 and ::1 signed by
// it, and writes the CA certificate to dataDir/ca.pem. Both are new for every emulator: trust
// the CA file of the emulator you talk to. Validity is in real time (clients check it against
// their own clocks), not the emulator's injectable clock.
func newTLSMaterial(dataDir string) (*tlsMaterial, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTemplate := certTemplate("ossign emulator CA", now)
	caTemplate.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	caTemplate.BasicConstraintsValid, caTemplate.IsCA, caTemplate.MaxPathLenZero = true, true, true
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTemplate := certTemplate("localhost", now)
	leafTemplate.KeyUsage = x509.KeyUsageDigitalSignature
	leafTemplate.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	leafTemplate.DNSNames = []string{"localhost"}
	leafTemplate.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	tm := &tlsMaterial{
		ca:     ca,
		leaf:   tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey},
		caFile: filepath.Join(dataDir, "ca.pem"),
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	if err := os.WriteFile(tm.caFile, pemBytes, 0o644); err != nil {
		return nil, fmt.Errorf("emulator: writing the CA certificate: %w", err)
	}
	return tm, nil
}

// certTemplate is a certificate for commonName valid from an hour before now for a year, with a
// random 128-bit serial number.
func certTemplate(commonName string, now time.Time) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{"ossign"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
	}
}

// ServerTLSConfig returns the TLS configuration to serve STSHandler with: the emulator's
// certificate for localhost, 127.0.0.1 and ::1.
func (e *Emulator) ServerTLSConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{e.tls.leaf}, MinVersion: tls.VersionTLS12}
}
