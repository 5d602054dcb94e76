package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace is how long Close lets requests in flight finish.
const shutdownGrace = 5 * time.Second

// Server is a started emulator: the OSS endpoint over HTTP and the STS endpoint over HTTPS,
// both on loopback.
type Server struct {
	// OSSEndpoint is the OSS base URL, "http://127.0.0.1:PORT": path-style there, or
	// virtual-hosted as http://<bucket>.localhost:PORT.
	OSSEndpoint string
	// STSEndpoint is the STS base URL, "https://127.0.0.1:PORT".
	STSEndpoint string
	// STSHost is STSEndpoint's host:port, the form credentials-go's STSEndpoint takes.
	STSHost string
	// CAFile is the CA certificate (PEM) to trust for STSEndpoint.
	CAFile string

	oss, sts *http.Server
	done     chan struct{}
	closeErr error
	once     sync.Once
}

// Start listens on Config.OSSAddr and Config.STSAddr and serves until ctx is done or Close is
// called; either way it shuts down gracefully.
func (e *Emulator) Start(ctx context.Context) (*Server, error) {
	ossLn, err := net.Listen("tcp", e.cfg.OSSAddr)
	if err != nil {
		return nil, err
	}
	stsLn, err := net.Listen("tcp", e.cfg.STSAddr)
	if err != nil {
		ossLn.Close()
		return nil, err
	}
	s := &Server{
		OSSEndpoint: "http://" + ossLn.Addr().String(),
		STSEndpoint: "https://" + stsLn.Addr().String(),
		STSHost:     stsLn.Addr().String(),
		CAFile:      e.CAFile(),
		oss:         e.httpServer(e.OSSHandler()),
		sts:         e.httpServer(e.STSHandler()),
		done:        make(chan struct{}),
	}
	s.sts.TLSConfig = e.ServerTLSConfig()
	// HTTP/1.1 only: STS needs nothing more, and an HTTP/2 connection a client leaves open
	// (credentials-go makes a transport per call) would hold up Close by its 1 s GOAWAY grace.
	s.sts.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	errs := make(chan error, 2)
	go func() { errs <- s.oss.Serve(ossLn) }()
	go func() { errs <- s.sts.ServeTLS(stsLn, "", "") }()
	go func() {
		select {
		case <-ctx.Done():
		case err := <-errs:
			if !errors.Is(err, http.ErrServerClosed) {
				e.log.Error("emulator: server stopped", "err", err)
			}
		case <-s.done:
			return
		}
		s.Close()
	}()
	e.log.Info("emulator: listening", "oss", s.OSSEndpoint, "sts", s.STSEndpoint, "ca", s.CAFile)
	return s, nil
}

// httpServer is an http.Server for h with header and idle timeouts (uploads may take as long
// as they need) whose own error lines go to the emulator's logger.
func (e *Emulator) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelDebug),
	}
}

// Close shuts both servers down, letting requests in flight finish for up to 5 seconds. It
// may be called more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		s.closeErr = errors.Join(s.oss.Shutdown(ctx), s.sts.Shutdown(ctx))
		close(s.done)
	})
	return s.closeErr
}

// Done is closed once the servers have shut down.
func (s *Server) Done() <-chan struct{} { return s.done }
