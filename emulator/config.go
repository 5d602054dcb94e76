package emulator

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"time"
)

// Defaults applied by New to a zero Config field.
const (
	// DefaultRegion is the region buckets live in when Config.Region is empty.
	DefaultRegion = "cn-hangzhou"
	// DefaultRoleARN is the role AssumeRole accepts when Config.RoleARN is empty.
	DefaultRoleARN = "acs:ram::1234567890123456:role/ossign-dev"
	// DefaultMaxSessionDuration is the role's maximum session length (AssumeRole
	// DurationSeconds upper bound) when Config.MaxSessionDuration is zero.
	DefaultMaxSessionDuration = 12 * time.Hour
	// DefaultAddr is the address Start listens on when Config.OSSAddr or Config.STSAddr is empty.
	DefaultAddr = "127.0.0.1:0"
)

// Config configures an Emulator. Every field but DataDir has a usable zero value.
type Config struct {
	// DataDir holds the objects, the multipart uploads and ca.pem. Required; it is created if
	// missing. Only one emulator may use a DataDir at a time.
	DataDir string
	// Buckets are created at start (buckets already in DataDir are kept). Names follow OSS's
	// rule: 3–63 characters of a–z, 0–9 and "-", not starting or ending with "-".
	Buckets []string
	// Region is the buckets' region: the signing region V4 requests must use and the region in
	// RAM resource names. Default DefaultRegion.
	Region string
	// Hostnames are the host names (no port) under which a bucket is addressed virtual-hosted,
	// as "<bucket>.<hostname>". "localhost" is always one of them. A request to any other host
	// (an IP address, or a hostname itself) is path-style: /<bucket>/<key>.
	Hostnames []string
	// RootAccessKeyID and RootAccessKeySecret are the long-term AccessKey the emulator knows:
	// it may call every OSS operation and AssumeRole. Generated when both are empty.
	RootAccessKeyID, RootAccessKeySecret string
	// RoleARN is the one role AssumeRole accepts, acs:ram::<account id>:role/<name>; the
	// role itself may do oss:* on everything. Default DefaultRoleARN.
	RoleARN string
	// MaxSessionDuration is the role's maximum session length, from 1 h to 12 h.
	// Default DefaultMaxSessionDuration.
	MaxSessionDuration time.Duration
	// CORS is the CORS rule of every bucket. With no AllowedOrigins, CORS is off and
	// preflight requests are refused, as on a bucket without CORS rules.
	CORS CORSRule
	// Now is the emulator's clock, before FaultConfig.ClockShift. Default time.Now.
	Now func() time.Time
	// Faults are the faults to inject, off when zero; SetFaults changes them at run time.
	Faults FaultConfig
	// StrictPost refuses a PostObject form that sends a field no policy condition names
	// (AccessDenied "Invalid according to Policy: Extra input fields: …"), the rule S3 has for
	// POST policies. Off by default, as on OSS, which accepts such fields and applies them.
	StrictPost bool
	// Logger receives one structured line per request, never a secret, token or signature.
	// Default: discard.
	Logger *slog.Logger
	// OSSAddr and STSAddr are the addresses Start listens on; they must be loopback.
	// Default DefaultAddr (a port chosen by the OS).
	OSSAddr, STSAddr string
}

// roleARNPattern is acs:ram::<account id>:role/<role name>.
var roleARNPattern = regexp.MustCompile(`^acs:ram::([0-9]+):role/([A-Za-z0-9.@_-]{1,64})$`)

// regionPattern is what SDKs accept as a region id.
var regionPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// hostnamePattern is a DNS name without a port.
var hostnamePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// withDefaults returns c with defaults filled in, or an error naming the first invalid field.
func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, errors.New("emulator: Config.DataDir is required")
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if !regionPattern.MatchString(c.Region) {
		return c, fmt.Errorf("emulator: Config.Region %q: must be a region id such as cn-hangzhou", c.Region)
	}
	if c.RoleARN == "" {
		c.RoleARN = DefaultRoleARN
	}
	if !roleARNPattern.MatchString(c.RoleARN) {
		return c, fmt.Errorf("emulator: Config.RoleARN %q: must be acs:ram::<account id>:role/<name>", c.RoleARN)
	}
	if c.MaxSessionDuration == 0 {
		c.MaxSessionDuration = DefaultMaxSessionDuration
	}
	if c.MaxSessionDuration < time.Hour || c.MaxSessionDuration > 12*time.Hour || c.MaxSessionDuration%time.Second != 0 {
		return c, fmt.Errorf("emulator: Config.MaxSessionDuration %v: must be whole seconds from 1h to 12h", c.MaxSessionDuration)
	}
	if err := c.fillRootKey(); err != nil {
		return c, err
	}
	buckets, err := normalizeBuckets(c.Buckets)
	if err != nil {
		return c, err
	}
	c.Buckets = buckets
	hosts := []string{"localhost"}
	for _, h := range c.Hostnames {
		h = strings.ToLower(strings.TrimSuffix(h, "."))
		if !hostnamePattern.MatchString(h) {
			return c, fmt.Errorf("emulator: Config.Hostnames: %q is not a host name", h)
		}
		if h != "localhost" {
			hosts = append(hosts, h)
		}
	}
	c.Hostnames = hosts
	cors, err := c.CORS.withDefaults()
	if err != nil {
		return c, err
	}
	c.CORS = cors
	if err := c.Faults.validate(); err != nil {
		return c, err
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	for _, a := range []*string{&c.OSSAddr, &c.STSAddr} {
		if *a == "" {
			*a = DefaultAddr
		}
		if err := checkLoopback(*a); err != nil {
			return c, err
		}
	}
	return c, nil
}

// fillRootKey generates the root AccessKey when both halves are empty.
func (c *Config) fillRootKey() error {
	switch {
	case c.RootAccessKeyID == "" && c.RootAccessKeySecret == "":
		c.RootAccessKeyID = "LTAI" + randomAlnum(20)
		c.RootAccessKeySecret = randomAlnum(30)
	case c.RootAccessKeyID == "" || c.RootAccessKeySecret == "":
		return errors.New("emulator: set both Config.RootAccessKeyID and Config.RootAccessKeySecret, or neither")
	case strings.HasPrefix(c.RootAccessKeyID, stsKeyPrefix):
		return fmt.Errorf("emulator: Config.RootAccessKeyID must not start with %q (reserved for STS keys)", stsKeyPrefix)
	}
	return nil
}

// normalizeBuckets validates bucket names and drops repeats, keeping order.
func normalizeBuckets(names []string) ([]string, error) {
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, b := range names {
		if !validBucketName(b) {
			return nil, fmt.Errorf("emulator: bucket name %q: must be 3–63 characters of a–z, 0–9 and -, not starting or ending with -", b)
		}
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out, nil
}

// checkLoopback refuses an address that is not host:port on a loopback IP or localhost.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator: address %q: the emulator listens on loopback only (127.0.0.1, ::1 or localhost)", addr)
}

// validBucketName reports whether b follows OSS's bucket naming rule.
func validBucketName(b string) bool {
	if len(b) < 3 || len(b) > 63 || b[0] == '-' || b[len(b)-1] == '-' {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// alnum is the alphabet of generated AccessKey ids and secrets.
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n uniformly random characters of alnum.
func randomAlnum(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		rand.Read(buf)
		for _, c := range buf {
			// 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
			if c < 248 && len(out) < n {
				out = append(out, alnum[int(c)%len(alnum)])
			}
		}
	}
	return string(out)
}
