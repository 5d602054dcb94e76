package vending

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DefaultListen is the address `ossign vend` listens on by default.
const DefaultListen = "127.0.0.1:8080"

// Flags is a Config (and a listen address) read from command-line flags whose defaults come
// from environment variables, so that a command such as `ossign vend` stays thin:
//
//	fs := flag.NewFlagSet("vend", flag.ContinueOnError)
//	f := vending.RegisterFlags(fs, os.Getenv)
//	if err := fs.Parse(args); err != nil { … }
//	cfg, err := f.Config()        // Logger is left for the command to set
//	srv, err := vending.New(cfg)
//	err = srv.ListenAndServe(ctx, f.Listen())
//
// Secrets are never flags (they would show in the process list): the HS256 secret comes from
// a file (--jwt-hs256-secret-file) or env OSSIGN_JWT_HS256_SECRET, the cache key from a file
// (--cache-key-file) or env OSSIGN_CACHE_KEY, a Redis URL with a password from env
// OSSIGN_REDIS_URL only, and the server's own AccessKey from credentials-go's default chain
// (env ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, OIDC/RRSA, ECS RAM
// role, …).
type Flags struct {
	getenv func(string) string
	values map[string]*string
	bools  map[string]*bool
	errs   []error
}

// flagSpec describes one flag: its name, its environment variable, its default and help.
type flagSpec struct {
	name, env, def, usage string
}

// stringFlags are the flags RegisterFlags defines besides the boolean ones.
var stringFlags = []flagSpec{
	{"listen", "OSSIGN_LISTEN", DefaultListen, "address to listen on, host:port"},
	{"metrics-listen", "OSSIGN_METRICS_LISTEN", "", "address of a separate listener for GET /metrics (Prometheus text); off when empty"},
	{"bucket", "OSSIGN_BUCKET", "", "bucket the credentials are scoped to (required)"},
	{"region", "OSSIGN_REGION", "", "bucket's region id, e.g. cn-hangzhou (required)"},
	{"endpoint", "OSSIGN_ENDPOINT", "", "OSS endpoint returned to clients (default https://oss-<region>.aliyuncs.com)"},
	{"prefix", "OSSIGN_PREFIX", DefaultPrefix, "key prefix; each user gets <prefix><user id>/"},
	{"role-arn", "ALIBABA_CLOUD_ROLE_ARN", "", "RAM role to assume, acs:ram::<account id>:role/<name> (required)"},
	{"external-id", "OSSIGN_EXTERNAL_ID", "", "ExternalId the role's trust policy requires, if any"},
	{"sts-endpoint", "OSSIGN_STS_ENDPOINT", "", "STS host[:port], always over HTTPS (default from --sts-region)"},
	{"sts-region", "ALIBABA_CLOUD_STS_REGION", "", "use sts.<region>.aliyuncs.com (default: the global sts.aliyuncs.com)"},
	{"sts-ca-file", "OSSIGN_STS_CA_FILE", "", "PEM CA certificates to trust for the STS endpoint (an emulator's CA)"},
	{"sts-timeout", "OSSIGN_STS_TIMEOUT", DefaultSTSTimeout.String(), "bound on one AssumeRole call, connection and answer (at most 30s)"},
	{"sts-rate", "OSSIGN_STS_RATE", formatRate(DefaultSTSBudget.Rate), "AssumeRole calls per second of this server, all users together (Alibaba allows 100/s per account and region)"},
	{"sts-burst", "OSSIGN_STS_BURST", strconv.Itoa(DefaultSTSBudget.Burst), "burst of AssumeRole calls above --sts-rate"},
	{"sts-queue-wait", "OSSIGN_STS_QUEUE_WAIT", DefaultSTSQueueWait.String(), "longest wait of a request for the AssumeRole budget before 503 STSBusy (at most 10s)"},
	{"duration", "OSSIGN_DURATION", DefaultDuration.String(), "lifetime of vended credentials, 15m to 1h"},
	{"policy-file", "OSSIGN_POLICY_FILE", "", "session policy template (text/template of PolicyData; default: read, write, delete and list under the user's prefix)"},
	{"allowed-origins", "OSSIGN_ALLOWED_ORIGINS", "", "comma-separated exact origins allowed by CORS, e.g. https://app.example.com"},
	{"trusted-proxies", "OSSIGN_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For, X-Forwarded-Proto (and --proxy-user-header) are trusted"},
	{"ip-rate", "OSSIGN_IP_RATE", formatRate(DefaultRateLimits.PerIP.Rate), "requests per second per client IP (inf: no limit)"},
	{"ip-burst", "OSSIGN_IP_BURST", strconv.Itoa(DefaultRateLimits.PerIP.Burst), "burst per client IP"},
	{"user-rate", "OSSIGN_USER_RATE", formatRate(DefaultRateLimits.PerUser.Rate), "requests per second per user (inf: no limit)"},
	{"user-burst", "OSSIGN_USER_BURST", strconv.Itoa(DefaultRateLimits.PerUser.Burst), "burst per user"},
	{"offer", "OSSIGN_OFFER", "auto", "what the server offers: sts (GET /sts credentials), sign (POST /sign uploads) or sts,sign; auto: sts,sign, or sign when --presign-types or --presign-max-bytes is set and the session policy can write (/sts would bypass those limits)"},
	{"presign-types", "OSSIGN_PRESIGN_TYPES", "", "POST /sign allow-list, type=ext pairs, e.g. image/jpeg=jpg,image/png=png (default: jpeg, png, gif, webp, pdf)"},
	{"presign-max-bytes", "OSSIGN_PRESIGN_MAX_BYTES", "", "largest upload POST /sign signs (default " + strconv.Itoa(DefaultPresignMaxBytes) + ", 100 MiB)"},
	{"presign-expires", "OSSIGN_PRESIGN_EXPIRES", DefaultPresignExpires.String(), "validity of a signed upload, at most 15m"},
	{"jwt-jwks-url", "OSSIGN_JWT_JWKS_URL", "", "auth: JWT bearer tokens (RS256/ES256) verified with this JWKS"},
	{"jwt-hs256-secret-file", "OSSIGN_JWT_HS256_SECRET_FILE", "", "auth: JWT bearer tokens (HS256) verified with the secret in this file (or env OSSIGN_JWT_HS256_SECRET)"},
	{"jwt-issuer", "OSSIGN_JWT_ISSUER", "", "required iss of JWTs"},
	{"jwt-audience", "OSSIGN_JWT_AUDIENCE", "", "required aud of JWTs"},
	{"max-token-age", "OSSIGN_MAX_TOKEN_AGE", DefaultMaxTokenAge.String(), "longest a JWT may be valid: exp − iat, or exp − now without iat; longer-lived tokens get 401"},
	{"proxy-user-header", "OSSIGN_PROXY_USER_HEADER", "", "auth: trust this header (e.g. X-Forwarded-User) set by an authenticating reverse proxy"},
	{"redis-url", redisURLEnv, "", "Redis shared by every instance (credentials cache, rate limits, STS budget): redis://[user@]host:port[/db], rediss:// for TLS; a URL with a password only through the environment; off when empty"},
	{"redis-timeout", "OSSIGN_REDIS_TIMEOUT", DefaultRedisTimeout.String(), "bound on one Redis call; past it the instance uses its own memory (at most 5s)"},
	{"cache-key-file", "OSSIGN_CACHE_KEY_FILE", "", "file holding the key that encrypts the credentials kept in Redis: 32 random bytes in base64, e.g. from openssl rand -base64 32 (or env " + cacheKeyEnv + ")"},
}

// boolFlags are the boolean flags RegisterFlags defines; they default to false.
var boolFlags = []flagSpec{
	{name: "sts-vpc", env: "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", usage: "use the VPC STS endpoint of --sts-region"},
	{name: "dev-anonymous", env: "OSSIGN_DEV_ANONYMOUS", usage: "auth: LOCAL DEVELOPMENT ONLY: a random id per browser, no authentication"},
}

// hs256SecretEnv holds the HS256 secret itself; it has no flag.
const hs256SecretEnv = "OSSIGN_JWT_HS256_SECRET"

// cacheKeyEnv holds the cache key itself (base64); it has no flag.
const cacheKeyEnv = "OSSIGN_CACHE_KEY"

// redisURLEnv holds the Redis URL, the only place for one with a password.
const redisURLEnv = "OSSIGN_REDIS_URL"

// RegisterFlags defines the vending flags on fs, with defaults taken from the environment
// through getenv (os.Getenv, or a map lookup in tests). The help of each flag names its
// variable.
func RegisterFlags(fs *flag.FlagSet, getenv func(string) string) *Flags {
	f := &Flags{getenv: getenv, values: map[string]*string{}, bools: map[string]*bool{}}
	for _, s := range stringFlags {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		f.values[s.name] = fs.String(s.name, def, s.usage+" [$"+s.env+"]")
	}
	for _, s := range boolFlags {
		def := false
		if v := getenv(s.env); v != "" {
			var err error
			if def, err = strconv.ParseBool(v); err != nil {
				f.errs = append(f.errs, fmt.Errorf("vending: env %s=%q is not a boolean", s.env, v))
			}
		}
		f.bools[s.name] = fs.Bool(s.name, def, s.usage+" [$"+s.env+"]")
	}
	return f
}

// Listen returns the address to listen on.
func (f *Flags) Listen() string { return *f.values["listen"] }

// MetricsListen returns the address of the metrics listener, "" for none.
func (f *Flags) MetricsListen() string { return f.str("metrics-listen") }

// Config returns the Config the flags describe, reading the files they name. Source is left
// nil (credentials-go's default chain), and Logger and Now unset. With no authentication
// flag the Authenticator is nil, which New refuses with a message naming the flags.
func (f *Flags) Config() (Config, error) {
	p := &flagParser{f: f}
	cfg := Config{
		Bucket:         f.str("bucket"),
		Region:         f.str("region"),
		Endpoint:       f.str("endpoint"),
		Prefix:         f.str("prefix"),
		RoleARN:        f.str("role-arn"),
		ExternalID:     f.str("external-id"),
		STSEndpoint:    f.str("sts-endpoint"),
		STSRegion:      f.str("sts-region"),
		STSVPC:         *f.bools["sts-vpc"],
		STSTimeout:     p.duration("sts-timeout"),
		STSBudget:      Limit{Rate: p.rate("sts-rate"), Burst: p.int("sts-burst")},
		STSQueueWait:   p.duration("sts-queue-wait"),
		Duration:       p.duration("duration"),
		AllowedOrigins: splitList(f.str("allowed-origins")),
		TrustedProxies: p.prefixes("trusted-proxies"),
		RateLimits: RateLimits{
			PerIP:   Limit{Rate: p.rate("ip-rate"), Burst: p.int("ip-burst")},
			PerUser: Limit{Rate: p.rate("user-rate"), Burst: p.int("user-burst")},
		},
		Offer: p.offer("offer"),
		Presign: PresignConfig{
			ContentTypes: p.contentTypes("presign-types"),
			MaxBytes:     int64(p.optionalInt("presign-max-bytes")),
			Expires:      p.duration("presign-expires"),
		},
		RedisURL:     p.redisURL("redis-url"),
		RedisTimeout: p.duration("redis-timeout"),
	}
	if path := f.str("sts-ca-file"); path != "" {
		certs, err := LoadCertificates(path)
		p.add(err)
		cfg.STSRootCAs = certs
	}
	if path := f.str("policy-file"); path != "" {
		cfg.PolicyTemplate = string(p.file("policy-file"))
	}
	secret := []byte(f.getenv(hs256SecretEnv))
	if path := f.str("jwt-hs256-secret-file"); path != "" {
		secret = bytes.TrimSpace(p.file("jwt-hs256-secret-file"))
	}
	cacheKey := strings.TrimSpace(f.getenv(cacheKeyEnv))
	if path := f.str("cache-key-file"); path != "" {
		cacheKey = string(bytes.TrimSpace(p.file("cache-key-file")))
	}
	if cacheKey != "" {
		cfg.CacheKey = p.cacheKey(cacheKey)
	}
	maxTokenAge := p.duration("max-token-age")
	if err := errors.Join(append(f.errs, p.errs...)...); err != nil {
		return Config{}, err
	}
	auth, err := f.authenticator(cfg.TrustedProxies, secret, maxTokenAge)
	if err != nil {
		return Config{}, err
	}
	cfg.Authenticator = auth
	return cfg, nil
}

// authenticator returns the Authenticator the flags select: none, or exactly one.
func (f *Flags) authenticator(trusted []netip.Prefix, hs256Secret []byte, maxTokenAge time.Duration) (Authenticator, error) {
	var modes []string
	if f.str("jwt-jwks-url") != "" {
		modes = append(modes, "--jwt-jwks-url")
	}
	if len(hs256Secret) > 0 || f.str("jwt-hs256-secret-file") != "" {
		modes = append(modes, "--jwt-hs256-secret-file or $"+hs256SecretEnv)
	}
	if f.str("proxy-user-header") != "" {
		modes = append(modes, "--proxy-user-header")
	}
	if *f.bools["dev-anonymous"] {
		modes = append(modes, "--dev-anonymous")
	}
	switch {
	case len(modes) > 1:
		return nil, fmt.Errorf("vending: choose one way to authenticate, not %s", strings.Join(modes, " and "))
	case len(modes) == 0:
		return nil, nil
	case *f.bools["dev-anonymous"]:
		return DevAnonymous(trusted...), nil
	case f.str("proxy-user-header") != "":
		return ProxyHeader(ProxyHeaderConfig{Header: f.str("proxy-user-header"), TrustedProxies: trusted})
	}
	return JWT(JWTConfig{HS256Secret: hs256Secret, JWKSURL: f.str("jwt-jwks-url"), Issuer: f.str("jwt-issuer"), Audience: f.str("jwt-audience"),
		MaxTokenAge: maxTokenAge})
}

// str returns a string flag's value.
func (f *Flags) str(name string) string { return strings.TrimSpace(*f.values[name]) }

// flagParser converts flag values, collecting the errors.
type flagParser struct {
	f    *Flags
	errs []error
}

// add records err, if any.
func (p *flagParser) add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

// fail records that flag name has a value that does not parse.
func (p *flagParser) fail(name, want string) {
	p.add(fmt.Errorf("vending: --%s %q: %s", name, p.f.str(name), want))
}

// duration parses a Go duration such as "15m".
func (p *flagParser) duration(name string) time.Duration {
	d, err := time.ParseDuration(p.f.str(name))
	if err != nil {
		p.fail(name, "not a duration such as 15m or 1h")
	}
	return d
}

// int parses a decimal integer.
func (p *flagParser) int(name string) int {
	n, err := strconv.Atoi(p.f.str(name))
	if err != nil {
		p.fail(name, "not an integer")
	}
	return n
}

// optionalInt parses a decimal integer; empty is 0 (the default).
func (p *flagParser) optionalInt(name string) int {
	if p.f.str(name) == "" {
		return 0
	}
	return p.int(name)
}

// rate parses requests per second, or "inf".
func (p *flagParser) rate(name string) rate.Limit {
	v := p.f.str(name)
	if strings.EqualFold(v, "inf") {
		return rate.Inf
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || r <= 0 {
		p.fail(name, "not a positive number of requests per second, or inf")
	}
	return rate.Limit(r)
}

// prefixes parses comma-separated CIDRs or addresses.
func (p *flagParser) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range splitList(p.f.str(name)) {
		prefix, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				p.fail(name, "not a comma-separated list of CIDRs such as 10.0.0.0/8")
				return nil
			}
			prefix = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, prefix.Masked())
	}
	return out
}

// offer parses "auto" (the zero Offer: Config decides) or a comma-separated list of "sts" and
// "sign".
func (p *flagParser) offer(name string) Offer {
	var o Offer
	if strings.EqualFold(p.f.str(name), "auto") {
		return o
	}
	list := splitList(p.f.str(name))
	for _, item := range list {
		switch strings.ToLower(item) {
		case "sts":
			o.STS = true
		case "sign":
			o.Sign = true
		default:
			list = nil
		}
	}
	if len(list) == 0 {
		p.fail(name, "not auto, sts, sign or sts,sign")
	}
	return o
}

// contentTypes parses comma-separated type=extension pairs; empty means the default.
func (p *flagParser) contentTypes(name string) map[string]string {
	list := splitList(p.f.str(name))
	if len(list) == 0 {
		return nil
	}
	out := make(map[string]string, len(list))
	for _, pair := range list {
		ct, ext, ok := strings.Cut(pair, "=")
		if !ok {
			p.fail(name, "not a comma-separated list of type=extension pairs such as image/jpeg=jpg")
			return nil
		}
		out[strings.TrimSpace(ct)] = strings.TrimSpace(ext)
	}
	return out
}

// file reads the file a flag names.
func (p *flagParser) file(name string) []byte {
	data, err := os.ReadFile(p.f.str(name))
	if err != nil {
		p.add(fmt.Errorf("vending: --%s: %w", name, err))
	}
	return data
}

// redisURL returns a Redis URL, refusing one with a password on the command line (where the
// process list shows it) rather than from the environment.
func (p *flagParser) redisURL(name string) string {
	v := p.f.str(name)
	if v == "" || v == strings.TrimSpace(p.f.getenv(redisURLEnv)) {
		return v
	}
	if u, err := url.Parse(v); err == nil {
		if password, ok := u.User.Password(); ok && password != "" {
			p.add(errors.New("vending: --redis-url holds a password, which the process list would show: set " + redisURLEnv + " in the environment instead"))
		}
	}
	return v
}

// cacheKey decodes a cache key: CacheKeySize bytes in standard base64. Its error never
// repeats the key.
func (p *flagParser) cacheKey(encoded string) []byte {
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(key) != CacheKeySize {
		p.add(fmt.Errorf("vending: the cache key (--cache-key-file, %s) must be %d random bytes in standard base64 (44 characters), e.g. from `openssl rand -base64 32`", cacheKeyEnv, CacheKeySize))
		return nil
	}
	return key
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// formatRate writes a rate for a flag default.
func formatRate(r rate.Limit) string { return strconv.FormatFloat(float64(r), 'f', -1, 64) }
