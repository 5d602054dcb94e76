package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/ossign/ossign/vending"
)

// runVend is `ossign vend`: the production token-vending server. Every flag defaults to its
// environment variable (see the README); the server's own identity comes from credentials-go's
// default chain. With --redis-url, its state is shared with the other instances using it. It listens (refusing an address the authentication mode makes unsafe),
// checks STS once, then serves (and the metrics, with --metrics-listen) until ctx is done.
func runVend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := vending.RegisterFlags(fs, os.Getenv)
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	cfg, err := flags.Config()
	if err != nil {
		return err
	}
	if cfg.Logger, err = newLogger(stderr, *logLevel); err != nil {
		return err
	}
	srv, err := vending.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := srv.Listen(flags.Listen())
	if err != nil {
		return err
	}
	defer ln.Close()
	var metricsLn net.Listener
	if addr := flags.MetricsListen(); addr != "" {
		if metricsLn, err = net.Listen("tcp", addr); err != nil {
			return err
		}
		defer metricsLn.Close()
	}
	if err := srv.CheckSTS(ctx); err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Serve(ctx, ln) })
	fmt.Fprintf(stdout, "ossign vend: serving on %s\n", ln.Addr())
	if metricsLn != nil {
		g.Go(func() error { return srv.ServeMetrics(ctx, metricsLn) })
		fmt.Fprintf(stdout, "ossign vend: metrics on http://%s/metrics\n", metricsLn.Addr())
	}
	return g.Wait()
}
