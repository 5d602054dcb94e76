package vending

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ossign/ossign/signer"
)

// uploaderSubject is the cache subject of the server's own credentials (user ids cannot
// contain ":", so it never names a user).
const uploaderSubject = "server:uploader"

// Server is a token-vending server. Its methods are safe for concurrent use.
type Server struct {
	cfg            Config
	log            *slog.Logger
	signers        *signerCache // POST /sign's, per set of uploader credentials
	policy         *policyTemplate
	uploaderPolicy string
	cache          *tokenCache
	cors           *corsPolicy
	metrics        *metrics
	stsHealth      *stsHealth
	// state holds the credentials, the rate limits and the STS budget.
	state serverState
}

// New checks cfg and returns a Server that obtains credentials through credentials-go. It
// refuses a Config without an Authenticator, and one whose session policy template does not
// render a valid policy of at most 2048 bytes. It makes no network call (see CheckSTS; Redis
// is connected to on first use). When cfg.STSRootCAs is set, it adds them to
// http.DefaultTransport's trusted roots (see LoadCertificates). Close it when done with it.
func New(cfg Config) (*Server, error) {
	return newServer(cfg, nil)
}

// newServer is New with the STS client a: nil means credentials-go, as configured by cfg.
func newServer(cfg Config, a assumer) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if a == nil {
		if err := trustSTSRoots(cfg.STSRootCAs); err != nil {
			return nil, err
		}
		a = newRAMRoleAssumer(&cfg)
	}
	policy, err := parsePolicyTemplate("Config.PolicyTemplate", cfg.PolicyTemplate, cfg.Bucket, cfg.Prefix)
	if err != nil {
		return nil, err
	}
	uploader, err := parsePolicyTemplate("uploader policy", uploaderPolicyTemplate, cfg.Bucket, cfg.Prefix)
	if err != nil {
		return nil, err
	}
	uploaderPolicy, err := uploader.render(PolicyData{Bucket: cfg.Bucket, Prefix: cfg.Prefix})
	if err != nil {
		return nil, err
	}
	cors, err := newCORS(cfg.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	m := newMetrics()
	state, err := newServerState(&cfg, m)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:            cfg,
		log:            cfg.Logger,
		signers:        newSignerCache(cfg.target()),
		policy:         policy,
		uploaderPolicy: uploaderPolicy,
		cache:          newTokenCache(a, &cfg, state),
		cors:           cors,
		metrics:        m,
		stsHealth:      &stsHealth{},
		state:          state,
	}
	s.cache.observe = func(err error, took time.Duration) {
		s.metrics.observeSTS(err, took)
		s.stsHealth.record(err, cfg.Now())
	}
	s.cache.skip = func(reason string) { s.metrics.stsSkipped.inc(reason) }
	s.log.Info("vending: configured",
		slog.String("bucket", cfg.Bucket), slog.String("region", cfg.Region), slog.String("endpoint", cfg.Endpoint),
		slog.String("prefix", cfg.Prefix), slog.Duration("duration", cfg.Duration),
		slog.String("auth", describe(cfg.Authenticator)), slog.String("sts", describe(a)),
		slog.String("allowed_origins", cors.String()), slog.String("state", state.String()))
	if cfg.Offer.STS && cfg.Offer.Sign && policy.grantsPut(cfg.Bucket, cfg.Prefix) {
		s.log.Warn(stsBypassWarning)
	}
	if _, ok := cfg.Authenticator.(*devAnonymous); ok {
		s.log.Warn("vending: dev-anonymous mode: anyone who can reach this server gets credentials for a prefix of their own; use it only on a local machine")
	}
	return s, nil
}

// Close closes the server's connections to Redis, if any. Call it once the server no longer
// serves.
func (s *Server) Close() error { return s.state.close() }

// describe returns v's String method's result, or its type.
func describe(v any) string {
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", v)
}

// CheckSTS obtains the server's own credentials (the ones POST /sign signs with) and caches
// them, proving that the source credentials, the role and the STS endpoint work. Call it at
// startup to fail fast on a configuration error; its error says what STS answered, without
// anything secret.
func (s *Server) CheckSTS(ctx context.Context) error {
	_, _, err := s.uploaderCredentials(ctx)
	if err == nil {
		return nil
	}
	parts := make([]string, 0, 4)
	for _, a := range stsFailureAttrs(err) {
		parts = append(parts, a.Key+"="+a.Value.String())
	}
	return errors.New("vending: AssumeRole failed: " + strings.Join(parts, " "))
}

// uploaderCredentials returns the server's own credentials, scoped to PutObject under the
// common prefix.
func (s *Server) uploaderCredentials(ctx context.Context) (signer.Credentials, cacheResult, error) {
	return s.cache.get(ctx, uploaderSubject, assumeRequest{sessionName: roleSessionName("uploader"), policy: s.uploaderPolicy, duration: s.cfg.Duration})
}

// userPrefix is the key prefix of user.
func (s *Server) userPrefix(user string) string { return s.cfg.Prefix + user + "/" }
