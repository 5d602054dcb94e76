package vending

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/ossign/ossign/signer/wire"
)

// serveSTS answers GET /sts: the user's temporary credentials.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, user string) {
	prefix := s.userPrefix(user)
	policy, err := s.policy.render(PolicyData{Bucket: s.cfg.Bucket, Prefix: prefix, UserID: user})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	creds, result, err := s.cache.get(r.Context(), "user:"+user,
		assumeRequest{sessionName: roleSessionName(user), policy: policy, duration: s.cfg.Duration})
	if err != nil {
		s.stsFailed(w, r, err)
		return
	}
	s.logCredentials(r, result, creds)
	writeJSON(w, http.StatusOK, wire.Vending{Credentials: creds, Bucket: s.cfg.Bucket, Region: s.cfg.Region, Endpoint: s.cfg.Endpoint, Prefix: prefix})
}

// logCredentials counts where credentials came from and adds it to the request's log line:
// the cache result, the AccessKeyId (an identifier, not a secret; it links OSS access logs to the
// user) and the expiry.
func (s *Server) logCredentials(r *http.Request, result cacheResult, creds signer.Credentials) {
	s.metrics.credentials.inc(string(result))
	info := requestInfoOf(r)
	info.attrs = append(info.attrs, slog.String("cache", string(result)),
		slog.String("access_key_id", creds.AccessKeyID), slog.String("expiration", formatExpiration(creds.Expiration)))
}

// formatExpiration writes t as vending responses do.
func formatExpiration(t time.Time) string { return t.UTC().Format(wire.ExpirationLayout) }
