package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/vending"
)

// runDev is `ossign dev`: on 127.0.0.1 it starts the emulator (OSS + STS), the vending server
// in dev-anonymous mode against the emulator's STS, and one web server for the demo page
// (web/), the built package (dist/) and the vending routes; it prints the URL to open.
func runDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address of the demo page and vending server (loopback)")
	dist := fs.String("dist", "dist", "the built JS package (./build.sh build)")
	web := fs.String("web", "web", "the demo page")
	dataFlag := fs.String("data", "", "emulator data directory (default: a temporary directory removed on exit)")
	bucket := fs.String("bucket", defaultBucket, "the bucket the demo uses")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	var faults emulator.FaultConfig
	faultFlags(fs, &faults)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if host, _, err := net.SplitHostPort(*addr); err != nil || !isLoopback(host) {
		return fmt.Errorf("-addr %q: ossign dev serves anonymous credentials, so it listens on loopback only (127.0.0.1:PORT)", *addr)
	}
	if _, err := os.Stat(filepath.Join(*dist, "ossign.mjs")); err != nil {
		return fmt.Errorf("%s has no built package: run ./build.sh build (or ./build.sh dev): %w", *dist, err)
	}
	logger, err := newLogger(stderr, *logLevel)
	if err != nil {
		return err
	}
	dir, cleanup, err := dataDir(*dataFlag)
	if err != nil {
		return err
	}
	defer cleanup()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	page := "http://127.0.0.1:" + port
	origins := []string{page, "http://localhost:" + port}

	emu, err := emulator.New(emulator.Config{DataDir: dir, Buckets: []string{*bucket},
		CORS: emulator.CORSRule{AllowedOrigins: origins}, Logger: logger, Faults: faults})
	if err != nil {
		return err
	}
	es, err := emu.Start(ctx)
	if err != nil {
		return err
	}
	defer es.Close()
	cfg, err := devVendingConfig(emu, es, *bucket, origins)
	if err != nil {
		return err
	}
	cfg.Logger = logger
	srv, err := vending.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.CheckSTS(ctx); err != nil {
		return err
	}

	mux := http.NewServeMux()
	for _, route := range []string{"/sts", "/sign", "/healthz", "/readyz"} {
		mux.Handle(route, srv.Handler())
	}
	mux.Handle("/dist/", http.StripPrefix("/dist/", http.FileServer(http.Dir(*dist))))
	mux.Handle("/", http.FileServer(http.Dir(*web)))
	printEndpoints(stdout, emu, es, dir, origins)
	fmt.Fprintf(stdout, "ossign dev: open %s/\n", page)
	return serveUntilDone(ctx, ln, mux)
}

func isLoopback(host string) bool {
	ip, err := netip.ParseAddr(host)
	return host == "localhost" || err == nil && ip.IsLoopback()
}

// devVendingConfig configures vending against the emulator: its root AccessKey as the
// server's identity, its STS over TLS with its CA, and anonymous browsers (an id per cookie).
func devVendingConfig(emu *emulator.Emulator, es *emulator.Server, bucket string, origins []string) (vending.Config, error) {
	certs, err := vending.LoadCertificates(es.CAFile)
	if err != nil {
		return vending.Config{}, err
	}
	root, err := providers.NewStaticAKCredentialsProviderBuilder().
		WithAccessKeyId(emu.RootAccessKeyID()).WithAccessKeySecret(emu.RootAccessKeySecret()).Build()
	if err != nil {
		return vending.Config{}, err
	}
	return vending.Config{
		Bucket: bucket, Region: emu.Region(), Endpoint: es.OSSEndpoint, RoleARN: emu.RoleARN(),
		STSEndpoint: es.STSHost, STSRootCAs: certs, Source: root,
		Authenticator: vending.DevAnonymous(), AllowedOrigins: origins,
	}, nil
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
