package emulator

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// Emulator is one local OSS + STS endpoint. Its handlers are safe for concurrent use.
type Emulator struct {
	cfg     Config
	log     *slog.Logger
	account string // the account id of cfg.RoleARN
	store   *store
	tokens  tokenIssuer
	tls     *tlsMaterial
	faults  *faultInjector
	nonces  *nonceCache
	stats   counters
}

// Stats counts what an Emulator has served since New.
type Stats struct {
	// OSSRequests is the number of requests the OSS handler received.
	OSSRequests int64
	// AssumeRoleCalls is the number of STS requests received (every one is an AssumeRole
	// call or an attempt at one), whatever their outcome.
	AssumeRoleCalls int64
	// CredentialsIssued is the number of AssumeRole calls that returned credentials.
	CredentialsIssued int64
	// InjectedFailures is the number of requests failed with 503 by fault injection.
	InjectedFailures int64
	// InjectedDrops is the number of connections dropped by fault injection.
	InjectedDrops int64
	// InjectedCorruptions is the number of request bodies corrupted by fault injection.
	InjectedCorruptions int64
}

// counters are the live values behind Stats.
type counters struct {
	ossRequests, assumeRoleCalls, credentialsIssued, injectedFailures, injectedDrops, injectedCorruptions atomic.Int64
}

// New checks cfg, fills in its defaults, opens (or creates) the data directory, creates the
// configured buckets and the TLS material of the STS endpoint (writing the CA certificate to
// DataDir/ca.pem). Leftovers of an interrupted write in DataDir are removed.
func New(cfg Config) (*Emulator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := openStore(cfg.DataDir, cfg.Buckets, cfg.Logger)
	if err != nil {
		return nil, err
	}
	tm, err := newTLSMaterial(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		cfg:     cfg,
		log:     cfg.Logger,
		account: roleARNPattern.FindStringSubmatch(cfg.RoleARN)[1],
		store:   st,
		tokens:  newTokenIssuer(cfg.RootAccessKeySecret),
		tls:     tm,
		faults:  newFaultInjector(cfg.Faults),
		nonces:  newNonceCache(),
	}
	return e, nil
}

// OSSHandler returns the OSS endpoint as an http.Handler. Serve it over plain HTTP/1.1 on
// loopback (Start does): fault injection drops connections by hijacking them.
func (e *Emulator) OSSHandler() http.Handler { return http.HandlerFunc(e.serveOSS) }

// STSHandler returns the STS AssumeRole endpoint as an http.Handler. credentials-go reaches
// STS over https only: serve it with ServerTLSConfig (Start does).
func (e *Emulator) STSHandler() http.Handler { return http.HandlerFunc(e.serveSTS) }

// Stats returns the counters.
func (e *Emulator) Stats() Stats {
	return Stats{
		OSSRequests:         e.stats.ossRequests.Load(),
		AssumeRoleCalls:     e.stats.assumeRoleCalls.Load(),
		CredentialsIssued:   e.stats.credentialsIssued.Load(),
		InjectedFailures:    e.stats.injectedFailures.Load(),
		InjectedDrops:       e.stats.injectedDrops.Load(),
		InjectedCorruptions: e.stats.injectedCorruptions.Load(),
	}
}

// SetFaults replaces the injected faults (and restarts their random sequence from
// f.Seed). The zero FaultConfig turns every fault off.
func (e *Emulator) SetFaults(f FaultConfig) error {
	if err := f.validate(); err != nil {
		return err
	}
	e.faults.set(f)
	return nil
}

// Faults returns the faults currently injected.
func (e *Emulator) Faults() FaultConfig { return e.faults.get() }

// RootAccessKeyID returns the id of the long-term AccessKey.
func (e *Emulator) RootAccessKeyID() string { return e.cfg.RootAccessKeyID }

// RootAccessKeySecret returns the secret of the long-term AccessKey.
func (e *Emulator) RootAccessKeySecret() string { return e.cfg.RootAccessKeySecret }

// RoleARN returns the ARN of the role AssumeRole accepts.
func (e *Emulator) RoleARN() string { return e.cfg.RoleARN }

// Region returns the buckets' region.
func (e *Emulator) Region() string { return e.cfg.Region }

// Buckets returns the names of the buckets, sorted.
func (e *Emulator) Buckets() []string { return e.store.bucketNames() }

// CAFile returns the path of the PEM file holding the CA certificate that signed the STS
// endpoint's certificate (DataDir/ca.pem): point SSL_CERT_FILE or a client's root CAs at it.
func (e *Emulator) CAFile() string { return e.tls.caFile }

// CACertPool returns a pool holding the emulator's CA certificate.
func (e *Emulator) CACertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(e.tls.ca)
	return pool
}

// now is the OSS endpoint's clock: Config.Now shifted by the injected clock shift (STS uses
// Config.Now itself).
func (e *Emulator) now() time.Time {
	return e.cfg.Now().Add(e.faults.get().ClockShift)
}

// resourceARN is the RAM resource of a bucket ("acs:oss:<region>:<account>:<bucket>") or of an
// object in it (".../<bucket>/<key>").
func (e *Emulator) resourceARN(bucket, key string, onBucket bool) string {
	arn := fmt.Sprintf("acs:oss:%s:%s:%s", e.cfg.Region, e.account, bucket)
	if onBucket {
		return arn
	}
	return arn + "/" + key
}
