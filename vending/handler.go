package vending

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// Handler returns the server's HTTP handler: GET /sts and POST /sign (those Config.Offer
// selects), GET /healthz (liveness) and GET /readyz (readiness), behind CORS, request
// logging and counting.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	var routes []string
	if s.cfg.Offer.STS {
		mux.Handle("/sts", s.endpoint(http.MethodGet, s.serveSTS))
		routes = append(routes, "GET /sts")
	}
	if s.cfg.Offer.Sign {
		mux.Handle("/sign", s.endpoint(http.MethodPost, s.serveSign))
		routes = append(routes, "POST /sign")
	}
	mux.HandleFunc("/healthz", s.serveHealth)
	mux.HandleFunc("/readyz", s.serveReady)
	notFound := "no such endpoint on this server: use " + strings.Join(append(routes, "GET /healthz", "GET /readyz"), ", ")
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apiError{http.StatusNotFound, CodeNotFound, notFound})
	})
	deny := func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apiError{http.StatusForbidden, CodeOriginNotAllowed, "this origin may not call the vending server with credentials"})
	}
	return s.logRequests(s.cors.wrap(mux, deny))
}

// userHandler serves a request of an authenticated user.
type userHandler func(w http.ResponseWriter, r *http.Request, user string)

// endpoint guards h: the method, the per-IP limit, authentication (with the new-identity
// limit before a new identity is issued), the user id's shape and the per-user limit, in this
// order.
func (s *Server) endpoint(method string, h userHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method+", OPTIONS")
			s.fail(w, r, apiError{http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use " + method + " for " + r.URL.Path})
			return
		}
		now := s.cfg.Now()
		ip := rateKey(clientIP(r, s.cfg.TrustedProxies))
		if wait, ok := s.state.ipLimits.allow(ip, now); !ok {
			s.rateLimited(w, r, wait, "ip")
			return
		}
		user, err := s.authenticate(w, r, ip, now)
		if limited, ok := errors.AsType[*newIdentityLimited](err); ok {
			s.rateLimited(w, r, limited.wait, "new_identity")
			return
		}
		if err != nil {
			s.authFailed(w, r, err)
			return
		}
		if err := checkUserID(user); err != nil {
			s.fail(w, r, apiError{http.StatusForbidden, CodeInvalidUserID, "your user id cannot be used to name a storage prefix; ask the administrator"},
				slog.String("error", err.Error()))
			return
		}
		requestInfoOf(r).user = user
		if wait, ok := s.state.userLimits.allow(user, now); !ok {
			s.rateLimited(w, r, wait, "user")
			return
		}
		h(w, r, user)
	})
}

// authFailed answers an Authenticator's error: 401, 403, 503 or 500.
func (s *Server) authFailed(w http.ResponseWriter, r *http.Request, err error) {
	e := apiError{http.StatusInternalServerError, CodeInternal, "the request could not be authenticated"}
	switch {
	case errors.Is(err, ErrUnauthenticated):
		e = apiError{http.StatusUnauthorized, CodeUnauthenticated, "missing or invalid credentials"}
	case errors.Is(err, ErrForbidden):
		e = apiError{http.StatusForbidden, CodeForbidden, "this server does not give credentials to this request"}
	case errors.Is(err, ErrAuthUnavailable):
		e = apiError{http.StatusServiceUnavailable, CodeAuthUnavailable, "credentials cannot be checked right now: try again later"}
	}
	if public, ok := errors.AsType[*publicError](err); ok {
		e.message = public.message
	}
	s.fail(w, r, e, slog.String("error", scrubText(err.Error())))
}

// stsFailed answers a request that got no credentials, with Retry-After: 503 when the
// AssumeRole budget is spent, else 502 (a failed call, logged with STS's answer, or a
// back-off after one).
func (s *Server) stsFailed(w http.ResponseWriter, r *http.Request, err error) {
	var su *stsUnavailable
	if !errors.As(err, &su) {
		su = &stsUnavailable{cause: err, retryAfter: minBackoff}
	}
	seconds := setRetryAfter(w, su.retryAfter)
	attrs := []slog.Attr{slog.String("error", su.Error())}
	if su.cause != nil {
		attrs = stsFailureAttrs(su.cause)
	}
	if su.busy {
		s.metrics.rateLimited.inc("sts_budget")
		s.fail(w, r, apiError{http.StatusServiceUnavailable, CodeSTSBusy, "too many new sessions right now: try again in " + seconds + " s"}, attrs...)
		return
	}
	s.fail(w, r, apiError{http.StatusBadGateway, CodeSTSUnavailable, "temporary credentials could not be obtained: try again later"}, attrs...)
}

// internalError answers 500 and logs err.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.fail(w, r, apiError{http.StatusInternalServerError, CodeInternal, "internal error"}, slog.String("error", scrubText(err.Error())))
}
