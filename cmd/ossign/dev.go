package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ossign/ossign/vending"
)

// runDev is `ossign dev`: on loopback it serves the demo page (web/), the built package
// (dist/) and the vending server in dev-anonymous mode; the vending server gets its
// credentials from the emulator (OSS + STS), which it starts, or with --role-arn from real STS
// for real OSS. It prints the URL to open.
func runDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, help, err := parseDevFlags(args, os.Getenv, stderr)
	if help || err != nil {
		return err
	}
	logger, err := newLogger(stderr, opts.logLevel)
	if err != nil {
		return err
	}
	ln, err := listenLoopback(opts.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if _, err := os.Stat(filepath.Join(opts.dist, "ossign.mjs")); err != nil {
		return fmt.Errorf("%s has no built package: run ./build.sh build (or ./build.sh dev): %w", opts.dist, err)
	}
	origins := pageOrigins(ln)
	cfg, stop, err := opts.backend(ctx, origins, logger, stdout)
	if err != nil {
		return err
	}
	defer stop()
	cfg.Logger = logger
	srv, err := vending.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.CheckSTS(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ossign dev: listening on %s only: it hands credentials to any browser that asks, so it stays on loopback\n", ln.Addr())
	fmt.Fprintf(stdout, "ossign dev: open %s/\n", origins[0])
	return serveUntilDone(ctx, ln, devRoutes(srv.Handler(), opts.dist, opts.web))
}

// backend returns the vending configuration of ossign dev, real OSS's or a started
// emulator's, and what stops what was started.
func (o *devOptions) backend(ctx context.Context, origins []string, logger *slog.Logger, stdout io.Writer) (vending.Config, func(), error) {
	if !o.realOSS() {
		return o.startEmulator(ctx, origins, logger, stdout)
	}
	cfg, err := o.realOSSConfig(origins)
	if err != nil {
		return vending.Config{}, nil, err
	}
	printRealOSS(stdout, cfg, origins)
	return cfg, func() {}, nil
}

// devRoutes serves the vending routes, dist/ under /dist/ and the demo page at /. The
// Service Worker build, /dist/ossign-sw.js, comes with Service-Worker-Allowed: / so that the
// demo registers it for the whole site (its scope would stop at /dist/ otherwise).
func devRoutes(vend http.Handler, dist, web string) http.Handler {
	mux := http.NewServeMux()
	for _, route := range []string{"/sts", "/sign", "/healthz", "/readyz"} {
		mux.Handle(route, vend)
	}
	distFiles := http.StripPrefix("/dist/", staticHandler(os.DirFS(dist)))
	mux.Handle("/dist/", distFiles)
	mux.Handle("/dist/ossign-sw.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Service-Worker-Allowed", "/")
		distFiles.ServeHTTP(w, r)
	}))
	mux.Handle("/", staticHandler(os.DirFS(web)))
	return mux
}

// serveUntilDone serves h on ln until ctx is done, then shuts down gracefully.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}
