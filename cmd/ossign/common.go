package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/ossign/ossign/emulator"
)

// newLogger returns a text logger to w at the named level (debug, info, warn or error).
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %v", err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// dataDir returns dir, or when dir is empty a new temporary directory that cleanup removes.
func dataDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "ossign-emulator-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// parseFlags parses a subcommand's args, refusing positional arguments. help is true when -h
// was asked for (the usage is printed, err is nil): the subcommand then simply returns.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, err
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return false, nil
}

// emulatorFlags registers the flags that set how the emulator behaves, filling c: fault
// injection and the strict PostObject rule.
func emulatorFlags(fs *flag.FlagSet, c *emulator.Config) {
	f := &c.Faults
	fs.Float64Var(&f.FailFraction, "fail", 0, "fraction of OSS requests to fail with 503 (fault injection)")
	fs.Float64Var(&f.DropFraction, "drop", 0, "fraction of OSS requests whose connection is dropped mid-body (fault injection)")
	fs.Float64Var(&f.CorruptFraction, "corrupt", 0, "fraction of OSS uploads with one byte flipped on receipt (fault injection)")
	fs.DurationVar(&f.Latency, "latency", 0, "latency added to every OSS request (fault injection)")
	fs.DurationVar(&f.ClockShift, "clock-shift", 0, "shift of the OSS endpoint's clock (STS keeps the true time), e.g. 20m to provoke RequestTimeTooSkewed")
	fs.Uint64Var(&f.Seed, "fault-seed", 0, "seed of the fault sequence (the same seed gives the same faults to the same requests)")
	fs.BoolVar(&c.StrictPost, "strict-post", false, "refuse PostObject form fields no policy condition names (S3's rule; OSS accepts and applies them)")
}
