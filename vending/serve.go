package vending

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Serve lets requests in flight finish once its context is done.
const ShutdownGrace = 10 * time.Second

// Serve answers on ln until ctx is done, then shuts down gracefully: it stops accepting,
// lets requests in flight finish for up to ShutdownGrace and returns nil (or the shutdown's
// error). It returns the listener's error if serving fails first. Like Listen, it refuses a
// listener beyond loopback when the Authenticator is safe only on loopback.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.checkListener(ln); err != nil {
		return err
	}
	return s.serve(ctx, ln, s.Handler(), "vending")
}

// ServeMetrics answers GET /metrics (MetricsHandler) on ln until ctx is done, shutting down
// like Serve. Give it an address that only the monitoring system reaches.
func (s *Server) ServeMetrics(ctx context.Context, ln net.Listener) error {
	return s.serve(ctx, ln, s.MetricsHandler(), "metrics")
}

// serve answers h on ln until ctx is done, then shuts down gracefully.
func (s *Server) serve(ctx context.Context, ln net.Listener, h http.Handler, name string) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	s.log.Info("vending: listening", slog.String("serving", name), slog.String("addr", ln.Addr().String()))
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownGrace)
	defer cancel()
	err := hs.Shutdown(shutdownCtx)
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	s.log.Info("vending: stopped", slog.String("serving", name), slog.String("addr", ln.Addr().String()))
	return err
}

// ListenAndServe calls Listen and Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := s.Listen(addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}
