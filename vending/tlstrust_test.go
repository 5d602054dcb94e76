package vending

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCA is a CA and a certificate for 127.0.0.1 it signed.
type testCA struct {
	cert *x509.Certificate
	leaf tls.Certificate
}

// newTestCA generates a CA of its own (not httptest's built-in certificate).
func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vending test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, key)
	require.NoError(t, err)
	return &testCA{cert: ca, leaf: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}
}

// serve starts an HTTPS server on 127.0.0.1 with the CA's certificate.
func (ca *testCA) serve(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.leaf}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// pemFile writes certs to a file and returns its path.
func pemFile(t *testing.T, content []byte) string {
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(path, content, 0o600))
	return path
}

func TestTrustSTSRoots(t *testing.T) {
	first, second := newTestCA(t), newTestCA(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	firstSrv, secondSrv := first.serve(t, ok), second.serve(t, ok)
	transport := http.DefaultTransport.(*http.Transport)
	get := func(srv *httptest.Server) error {
		client := &http.Client{Transport: transport.Clone()} // what credentials-go does
		resp, err := client.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	require.ErrorContains(t, get(firstSrv), "certificate", "the CA is not trusted yet")

	require.NoError(t, trustSTSRoots([]*x509.Certificate{first.cert}))
	assert.NoError(t, get(firstSrv), "trusted once added")
	assert.ErrorContains(t, get(secondSrv), "certificate", "only the CA added is trusted")

	require.NoError(t, trustSTSRoots([]*x509.Certificate{second.cert}))
	assert.NoError(t, get(secondSrv))
	assert.NoError(t, get(firstSrv), "what was trusted before stays trusted")

	cfg := transport.TLSClientConfig
	require.NoError(t, trustSTSRoots([]*x509.Certificate{first.cert, second.cert}))
	assert.Same(t, cfg, transport.TLSClientConfig, "adding known CAs again changes nothing")
	require.NoError(t, trustSTSRoots(nil))
	assert.Same(t, cfg, transport.TLSClientConfig)
}

func TestLoadCertificates(t *testing.T) {
	ca := newTestCA(t)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("ignored")})
	cases := []struct {
		name    string
		content []byte
		count   int
		err     string
	}{
		{"one certificate", certPEM, 1, ""},
		{"two certificates and a key", append(append(append([]byte{}, certPEM...), keyPEM...), certPEM...), 2, ""},
		{"no certificate", keyPEM, 0, "no PEM CERTIFICATE"},
		{"not PEM", []byte("hello"), 0, "no PEM CERTIFICATE"},
		{"broken certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}), 0, "ca.pem"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := LoadCertificates(pemFile(t, tc.content))
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Len(t, certs, tc.count)
			assert.True(t, certs[0].Equal(ca.cert))
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := LoadCertificates(filepath.Join(t.TempDir(), "none.pem"))
		assert.ErrorContains(t, err, "reading CA certificates")
	})
}
