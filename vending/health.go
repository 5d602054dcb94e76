package vending

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

const (
	// stsReadyWindow is how long after its last successful AssumeRole call a server whose
	// calls now fail still reports ready: a single failure does not take an instance out of
	// a load balancer, and cached credentials keep being served meanwhile.
	stsReadyWindow = 5 * time.Minute
	// readyTimeout bounds a readiness check (the JWKS fetch it may wait for).
	readyTimeout = 2 * time.Second
)

// stsHealth remembers the outcome of the last AssumeRole calls, for readiness.
type stsHealth struct {
	mu          sync.Mutex
	lastSuccess time.Time
	lastFailure time.Time
}

// record notes a call's outcome at now.
func (h *stsHealth) record(err error, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.lastSuccess = now
	} else {
		h.lastFailure = now
	}
}

// problem says why STS does not look reachable at now, or "": no call has succeeded yet, or
// the calls since the last success, more than stsReadyWindow ago, have failed.
func (h *stsHealth) problem(now time.Time) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.lastSuccess.IsZero():
		return "no AssumeRole call has succeeded yet"
	case h.lastFailure.After(h.lastSuccess) && now.Sub(h.lastSuccess) > stsReadyWindow:
		return "AssumeRole has failed since " + formatExpiration(h.lastSuccess)
	}
	return ""
}

// stsProblem says why STS does not look reachable, or "". When the calls so far say it is
// not, it asks STS once more (a readiness session of the server's own; the back-off and the
// budget apply, so an instance that stays out of a load balancer costs at most one call per
// 30 s), so that an instance taken out for failing calls comes back when STS does, although
// it gets no traffic meanwhile.
func (s *Server) stsProblem(ctx context.Context) string {
	if s.stsHealth.problem(s.cfg.Now()) == "" {
		return ""
	}
	req := assumeRequest{sessionName: roleSessionName("readiness"), policy: s.uploaderPolicy, duration: s.cfg.Duration}
	if err := s.cache.probe(ctx, readinessSubject, req); err != nil {
		return s.stsHealth.problem(s.cfg.Now())
	}
	return ""
}

// readinessSubject is the cache subject of the readiness probe's session (user ids cannot
// contain ":", so it never names a user).
const readinessSubject = "server:readiness"

// readinessChecker is an Authenticator that needs something before it can work (JWT's
// JWKS): ready says what is missing, loading it if it can.
type readinessChecker interface {
	ready(ctx context.Context) error
}

// readyAnswer is the /readyz answer.
type readyAnswer struct {
	Status string            `json:"Status"`
	Checks map[string]string `json:"Checks,omitempty"`
}

// serveHealth answers liveness probes: the process answers.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if s.probeMethodOK(w, r) {
		writeJSON(w, http.StatusOK, readyAnswer{Status: "ok"})
	}
}

// serveReady answers readiness probes: 200 when STS has been reachable recently and the
// Authenticator is ready (its JWKS loaded), else 503 saying which is not.
func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	if !s.probeMethodOK(w, r) {
		return
	}
	checks := map[string]string{}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if problem := s.stsProblem(ctx); problem != "" {
		checks["sts"] = problem
	}
	if rc, ok := s.cfg.Authenticator.(readinessChecker); ok {
		if err := rc.ready(ctx); err != nil {
			checks["auth"] = "the identity provider's keys are not loaded"
			requestInfoOf(r).attrs = append(requestInfoOf(r).attrs, slog.String("error", scrubText(err.Error())))
		}
	}
	if len(checks) > 0 {
		requestInfoOf(r).code = "NotReady"
		writeJSON(w, http.StatusServiceUnavailable, readyAnswer{Status: "not ready", Checks: checks})
		return
	}
	writeJSON(w, http.StatusOK, readyAnswer{Status: "ready"})
}

// probeMethodOK answers 405 to a probe that is not GET or HEAD.
func (s *Server) probeMethodOK(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	s.fail(w, r, apiError{http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET for " + r.URL.Path})
	return false
}
