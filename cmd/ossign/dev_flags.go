package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/vending"
)

// devOptions are the flags of ossign dev.
type devOptions struct {
	addr, dist, web, data, logLevel string
	// emulator holds the emulator's behaviour flags (faults, strict PostObject).
	emulator emulator.Config
	// vend holds the ossign vend flags that point ossign dev at real OSS (realOSSFlags).
	vend *vending.Flags
	// shared are those flags as defined on ossign dev's flag set, by name.
	shared map[string]*flag.Flag
	// given are the names of the flags given on the command line.
	given map[string]bool
}

// realOSSFlags are the ossign vend flags ossign dev takes: with --role-arn it vends real STS
// credentials for real OSS instead of running the emulator. They read the same environment
// variables as in ossign vend; bucket also names the emulator's bucket.
var realOSSFlags = []string{
	"role-arn", "bucket", "region", "endpoint", "prefix", "external-id",
	"sts-endpoint", "sts-region", "sts-vpc", "sts-ca-file", "duration", "policy-file",
}

// parseDevFlags parses ossign dev's arguments, reading the environment through getenv. help
// is true when -h was asked for.
func parseDevFlags(args []string, getenv func(string) string, stderr io.Writer) (opts *devOptions, help bool, err error) {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &devOptions{given: map[string]bool{}}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address of the demo page and vending server, loopback only (127.0.0.1:0 picks a free port)")
	fs.StringVar(&o.dist, "dist", "dist", "the built JS package (./build.sh build)")
	fs.StringVar(&o.web, "web", "web", "the demo page")
	fs.StringVar(&o.data, "data", "", "emulator data directory (default: a temporary directory removed on exit)")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	emulatorFlags(fs, &o.emulator)
	o.vend, o.shared = shareVendingFlags(fs, realOSSFlags, getenv)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ossign dev [flags]\n\nRuns the demo page, the vending server (dev-anonymous) and, without --role-arn, the OSS/STS emulator, on loopback.")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return nil, help, err
	}
	fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })
	if !o.realOSS() {
		for _, name := range realOSSFlags {
			if o.given[name] && name != "bucket" {
				return nil, false, fmt.Errorf("--%s is for real OSS, which also needs --role-arn (or ALIBABA_CLOUD_ROLE_ARN), --bucket and --region; without them ossign dev runs the local emulator", name)
			}
		}
	}
	return o, false, nil
}

// shareVendingFlags defines on fs the vending flags named, with the Values, help and
// environment variables of vending.RegisterFlags, and returns the vending.Flags they fill. Only
// those flags read the environment: every other vending flag keeps its built-in default, so
// that variables set for ossign vend (authentication, listen address, …) cannot change
// ossign dev, which always authenticates browsers anonymously on loopback.
func shareVendingFlags(fs *flag.FlagSet, names []string, getenv func(string) string) (*vending.Flags, map[string]*flag.Flag) {
	probe := flag.NewFlagSet("probe", flag.ContinueOnError)
	vending.RegisterFlags(probe, func(string) string { return "" })
	read := map[string]bool{}
	for _, name := range names {
		read[envOfUsage(probe.Lookup(name).Usage)] = true
	}
	all := flag.NewFlagSet("vending", flag.ContinueOnError)
	vf := vending.RegisterFlags(all, func(env string) string {
		if read[env] {
			return getenv(env)
		}
		return ""
	})
	shared := map[string]*flag.Flag{}
	for _, name := range names {
		f := all.Lookup(name)
		fs.Var(f.Value, name, sharedUsage(name, f.Usage))
		shared[name] = fs.Lookup(name)
	}
	return vf, shared
}

// envOfUsage is the environment variable a vending flag's help names at its end: "… [$NAME]".
func envOfUsage(usage string) string {
	_, env, _ := strings.Cut(usage, "[$")
	return strings.TrimSuffix(env, "]")
}

// sharedUsage is the help of a shared vending flag in ossign dev.
func sharedUsage(name, usage string) string {
	switch name {
	case "bucket":
		return "the bucket: with --role-arn, the real bucket (required); else the emulator's (default " + defaultBucket + ") [$" + envOfUsage(usage) + "]"
	case "role-arn":
		return "real OSS: " + usage + "; without it, ossign dev runs the emulator"
	}
	return "real OSS, with --role-arn: " + usage
}

// value is a shared flag's value.
func (o *devOptions) value(name string) string { return o.shared[name].Value.String() }

// realOSS reports whether ossign dev is to use real OSS: a role to assume is named.
func (o *devOptions) realOSS() bool { return strings.TrimSpace(o.value("role-arn")) != "" }

// emulatorBucket is the bucket the emulator creates.
func (o *devOptions) emulatorBucket() string {
	if b := strings.TrimSpace(o.value("bucket")); b != "" {
		return b
	}
	return defaultBucket
}
