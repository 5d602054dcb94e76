package vending

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// requestInfo collects what the request's log line says besides the basics: the user once
// authenticated, and details added by the handlers. Logged attributes never hold a secret,
// a token, a JWT or a cookie value.
type requestInfo struct {
	id    string
	user  string
	code  string // the error Code answered; "" for a success
	attrs []slog.Attr
}

// requestInfoKey is the context key of a request's *requestInfo.
type requestInfoKey struct{}

// requestInfoOf returns the request's info (a throwaway one outside logRequests).
func requestInfoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// statusWriter records the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// logRequests gives each request an id (answered in X-Request-Id), logs one line per
// request: method, path (never the query), status, duration, client, origin, user and the
// handlers' details, and counts it by route and outcome. Errors are logged at Warn (4xx:
// Info), health and readiness checks at Debug.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: randomHex(8)}
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))

		route := metricRoute(r.URL.Path)
		code := info.code
		if code == "" {
			code = "Success"
		}
		s.metrics.requests.inc(route, code)
		level := slog.LevelInfo
		switch {
		case sw.status >= 500 && route != "/readyz":
			level = slog.LevelWarn
		case route == "/healthz" || route == "/readyz":
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
			slog.String("client", clientIP(r, s.cfg.TrustedProxies).String()),
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			attrs = append(attrs, slog.String("origin", scrubText(origin)))
		}
		if info.user != "" {
			attrs = append(attrs, slog.String("user", info.user))
		}
		s.log.LogAttrs(r.Context(), level, "vending: request", append(attrs, info.attrs...)...)
	})
}

// metricRoute is the route label of path: one of the server's routes, or "other", so that
// the label's values stay few whatever clients ask for.
func metricRoute(path string) string {
	switch path {
	case "/sts", "/sign", "/healthz", "/readyz":
		return path
	}
	return "other"
}
