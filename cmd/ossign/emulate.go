package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ossign/ossign/emulator"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

// String returns the values, comma-separated.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds the comma-separated values of one occurrence.
func (l *listFlag) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

// defaultBucket is the bucket `ossign emulate` creates when no -bucket is given.
const defaultBucket = "ossign-dev"

// runEmulate is `ossign emulate`: it starts the local OSS + STS emulator, prints its endpoints
// and credentials, and serves until ctx is done (SIGINT or SIGTERM).
func runEmulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var buckets, origins, hostnames listFlag
	var behaviour emulator.Config
	dataFlag := fs.String("data", "", "data directory (default: a temporary directory removed on exit)")
	ossAddr := fs.String("addr", emulator.DefaultAddr, "OSS listen address (loopback only)")
	stsAddr := fs.String("sts-addr", emulator.DefaultAddr, "STS listen address (loopback only)")
	region := fs.String("region", emulator.DefaultRegion, "the buckets' region")
	roleARN := fs.String("role-arn", emulator.DefaultRoleARN, "the role AssumeRole accepts")
	keyID := fs.String("access-key-id", "", "root AccessKey id (default: generated; set with -access-key-secret)")
	keySecret := fs.String("access-key-secret", "", "root AccessKey secret (default: generated)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	fs.Var(&buckets, "bucket", "bucket to create (repeatable or comma-separated; default "+defaultBucket+")")
	fs.Var(&origins, "origin", "allowed CORS origin, * wildcards allowed (repeatable or comma-separated; default: CORS off)")
	fs.Var(&hostnames, "hostname", "extra host name for virtual-hosted buckets, <bucket>.<hostname> (repeatable; localhost always is one)")
	emulatorFlags(fs, &behaviour)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ossign emulate [flags]\n\nRuns a local OSS endpoint (http) and STS endpoint (https) on loopback.")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	logger, err := newLogger(stderr, *logLevel)
	if err != nil {
		return err
	}
	if len(buckets) == 0 {
		buckets = listFlag{defaultBucket}
	}
	dir, cleanup, err := dataDir(*dataFlag)
	if err != nil {
		return err
	}
	defer cleanup()
	emu, err := emulator.New(emulator.Config{
		DataDir: dir, Buckets: buckets, Region: *region, RoleARN: *roleARN,
		RootAccessKeyID: *keyID, RootAccessKeySecret: *keySecret,
		CORS:      emulator.CORSRule{AllowedOrigins: origins},
		Hostnames: hostnames, Faults: behaviour.Faults, StrictPost: behaviour.StrictPost,
		OSSAddr: *ossAddr, STSAddr: *stsAddr,
		Logger: logger,
	})
	if err != nil {
		return err
	}
	srv, err := emu.Start(ctx)
	if err != nil {
		return err
	}
	printEndpoints(stdout, emu, srv, dir, origins)
	<-srv.Done()
	return nil
}

// printEndpoints prints what a client needs, one "name: value" line each, then a working
// client configuration for ali-oss, the official Go SDK v2 and ossign, each on one line.
func printEndpoints(w io.Writer, emu *emulator.Emulator, srv *emulator.Server, dir string, origins []string) {
	cors := "off"
	if len(origins) > 0 {
		cors = strings.Join(origins, ", ")
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.OSSEndpoint, "http://"), ":")
	fmt.Fprintf(w, "ossign emulator\n")
	fmt.Fprintf(w, "  OSS endpoint:      %s (path-style; virtual-hosted by Host <bucket>.oss-%s.aliyuncs.com, or http://<bucket>.localhost:%s)\n", srv.OSSEndpoint, emu.Region(), port)
	fmt.Fprintf(w, "  STS endpoint:      %s (credentials-go STSEndpoint: %s)\n", srv.STSEndpoint, srv.STSHost)
	fmt.Fprintf(w, "  region:            %s\n", emu.Region())
	fmt.Fprintf(w, "  buckets:           %s\n", strings.Join(emu.Buckets(), ", "))
	fmt.Fprintf(w, "  AccessKeyId:       %s\n", emu.RootAccessKeyID())
	fmt.Fprintf(w, "  AccessKeySecret:   %s\n", emu.RootAccessKeySecret())
	fmt.Fprintf(w, "  role ARN:          %s\n", emu.RoleARN())
	fmt.Fprintf(w, "  CA certificate:    %s\n", srv.CAFile)
	fmt.Fprintf(w, "  CORS origins:      %s\n", cors)
	fmt.Fprintf(w, "  data directory:    %s\n", dir)
	for _, s := range clientSnippets(emu, srv.OSSEndpoint) {
		fmt.Fprintf(w, "  %-18s %s\n", s.name+":", s.code)
	}
	fmt.Fprintf(w, "Press Ctrl-C to stop.\n")
}

// snippet is a one-line client configuration for the emulator.
type snippet struct{ name, code string }

// clientSnippets are working client configurations for the emulator's first bucket and root
// key: ali-oss, the official Go SDK v2 (path-style for an IP endpoint; it needs the packages
// oss and oss/credentials) and ossign's createClient options. ali-oss works with the IP
// endpoint too (it sends Host <bucket>.oss-<region>.aliyuncs.com, which the emulator routes to
// the bucket), except for signatureUrl, which it refuses for an IP endpoint: the line uses
// localhost with sldEnable (path-style), which serves every call.
func clientSnippets(emu *emulator.Emulator, endpoint string) []snippet {
	bucket, region := emu.Buckets()[0], emu.Region()
	id, secret := emu.RootAccessKeyID(), emu.RootAccessKeySecret()
	localhost := strings.Replace(endpoint, "127.0.0.1", "localhost", 1)
	return []snippet{
		{"ali-oss (Node)", fmt.Sprintf("new OSS({ region: %q, endpoint: %q, sldEnable: true, bucket: %q, accessKeyId: %q, accessKeySecret: %q })",
			"oss-"+region, localhost, bucket, id, secret)},
		{"Go SDK v2", fmt.Sprintf("oss.NewClient(oss.LoadDefaultConfig().WithRegion(%q).WithEndpoint(%q).WithCredentialsProvider(credentials.NewStaticCredentialsProvider(%q, %q)))",
			region, endpoint, id, secret)},
		{"ossign (JS)", fmt.Sprintf("createClient({ region: %q, endpoint: %q, bucket: %q, credentials: { AccessKeyId: %q, AccessKeySecret: %q } })",
			region, endpoint, bucket, id, secret)},
	}
}
