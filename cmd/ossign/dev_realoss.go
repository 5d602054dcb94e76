package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ossign/ossign/vending"
)

// realOSSConfig is the vending configuration of ossign dev against real OSS: ossign vend's,
// from the same flags and environment variables, with the server's own identity from
// credentials-go's default chain, anonymous browsers (an id per cookie) and the page's
// origins.
func (o *devOptions) realOSSConfig(origins []string) (vending.Config, error) {
	cfg, err := o.vend.Config()
	if err != nil {
		return vending.Config{}, err
	}
	if cfg.Bucket == "" || cfg.Region == "" {
		return vending.Config{}, errors.New("real OSS needs --bucket and --region (or OSSIGN_BUCKET and OSSIGN_REGION) with --role-arn")
	}
	cfg.Authenticator = vending.DevAnonymous()
	cfg.AllowedOrigins = origins
	return cfg, nil
}

// printRealOSS says where the page's requests go and what the bucket must allow.
func printRealOSS(w io.Writer, cfg vending.Config, origins []string) {
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://oss-" + cfg.Region + ".aliyuncs.com"
	}
	fmt.Fprintf(w, "ossign dev: real OSS: bucket %s in %s (%s), STS credentials of %s\n", cfg.Bucket, cfg.Region, endpoint, cfg.RoleARN)
	fmt.Fprintf(w, "ossign dev: the bucket's CORS rule must allow origin %s: methods GET, PUT, POST, DELETE, HEAD; headers *; expose ETag, x-oss-request-id, x-oss-hash-crc64ecma, Content-Range, Accept-Ranges, Content-Disposition\n", origins[0])
}
