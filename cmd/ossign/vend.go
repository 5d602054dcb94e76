package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ossign/ossign/vending"
)

// runVend is `ossign vend`: the production token-vending server. Every flag defaults to its
// environment variable (see the README); the server's own identity comes from credentials-go's
// default chain. It listens (refusing an address the authentication mode makes unsafe),
// checks STS once, then serves until ctx is done.
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
	ln, err := srv.Listen(flags.Listen())
	if err != nil {
		return err
	}
	defer ln.Close()
	if err := srv.CheckSTS(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ossign vend: serving on %s\n", ln.Addr())
	return srv.Serve(ctx, ln)
}
