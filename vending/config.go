package vending

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"golang.org/x/time/rate"

	"github.com/ossign/ossign/signer"
)

// Defaults applied by New to zero Config fields.
const (
	// DefaultPrefix is the key prefix under which each user gets "<user id>/".
	DefaultPrefix = "users/"
	// DefaultDuration is the lifetime of vended credentials: the STS minimum, so that a token
	// leaked from a browser is useful for as short a time as possible. With the cache reusing
	// a token for 10 of its 15 minutes, each active user costs one AssumeRole call per
	// 10 minutes.
	DefaultDuration = 15 * time.Minute
	// MinDuration and MaxDuration bound Config.Duration (STS DurationSeconds 900…3600).
	MinDuration = 15 * time.Minute
	MaxDuration = time.Hour
	// DefaultSTSTimeout bounds one AssumeRole call, connection and answer: well under a
	// browser's patience, and a blackholed STS costs a request no more.
	DefaultSTSTimeout = 5 * time.Second
	// MaxSTSTimeout is the longest Config.STSTimeout.
	MaxSTSTimeout = 30 * time.Second
	// DefaultSTSQueueWait is how long a request waits for the AssumeRole budget by default.
	DefaultSTSQueueWait = 2 * time.Second
	// MaxSTSQueueWait is the longest Config.STSQueueWait.
	MaxSTSQueueWait = 10 * time.Second
	// DefaultCacheSize is the number of (user, policy) credentials kept.
	DefaultCacheSize = 10000
	// DefaultPresignMaxBytes is the largest upload POST /sign allows by default: 100 MiB.
	DefaultPresignMaxBytes = 100 << 20
	// MaxPresignBytes is the largest upload POST /sign can allow: 5 GiB, the largest single
	// PUT or PostObject.
	MaxPresignBytes = 5 << 30
	// DefaultPresignExpires is how long a signed upload stays valid by default.
	DefaultPresignExpires = 10 * time.Minute
	// MaxPresignExpires is the longest a signed upload can stay valid.
	MaxPresignExpires = 15 * time.Minute
	// DefaultRedisTimeout bounds one Redis call by default: a Redis nearby answers in a
	// millisecond; past this, the instance uses its own memory.
	DefaultRedisTimeout = 500 * time.Millisecond
	// MaxRedisTimeout is the longest Config.RedisTimeout.
	MaxRedisTimeout = 5 * time.Second
	// CacheKeySize is the length of Config.CacheKey: an AES-256 key.
	CacheKeySize = 32
)

// DefaultRateLimits are the limits applied when Config.RateLimits leaves a Limit zero: a page
// needs one /sts call per token lifetime and one /sign call per upload, and a browser one
// identity (DevAnonymous) for as long as it keeps its cookie: 10 new identities per client IP
// at once, then one every 6 seconds.
var DefaultRateLimits = RateLimits{
	PerIP:       Limit{Rate: 20, Burst: 100},
	PerUser:     Limit{Rate: 5, Burst: 50},
	NewIdentity: Limit{Rate: rate.Every(6 * time.Second), Burst: 10},
}

// DefaultSTSBudget is the AssumeRole rate a server keeps to by default: 50 calls per second
// with bursts of 25, so no second sees more than 75 calls, below the 100 per second Alibaba
// allows per account and region (and shares between every caller of the account).
var DefaultSTSBudget = Limit{Rate: 50, Burst: 25}

// DefaultContentTypes is the upload allow-list of POST /sign by default: content type →
// file extension of the key the server picks.
var DefaultContentTypes = map[string]string{
	"image/jpeg":      "jpg",
	"image/png":       "png",
	"image/gif":       "gif",
	"image/webp":      "webp",
	"application/pdf": "pdf",
}

// Config configures a Server. Bucket, Region, RoleARN and Authenticator are required; every
// other field has a usable zero value.
type Config struct {
	// Bucket is the bucket the vended credentials and signed uploads are scoped to.
	Bucket string
	// Region is the bucket's region id, such as "cn-hangzhou".
	Region string
	// Endpoint is the OSS endpoint returned to clients and used for signed uploads:
	// [scheme://]host[:port] as signer.Target takes it. Default https://oss-<Region>.aliyuncs.com.
	Endpoint string
	// Prefix is the key prefix under which each user gets "<user id>/": user 42 may use
	// "users/42/…". It ends with "/" and uses only A–Z a–z 0–9 . _ - /. Default DefaultPrefix.
	Prefix string

	// RoleARN is the RAM role assumed for every user, acs:ram::<account id>:role/<name>. The
	// server's own identity (Source) needs sts:AssumeRole on it, and the role's trust policy
	// must name that identity.
	RoleARN string
	// ExternalID is sent to AssumeRole when the role's trust policy requires one.
	ExternalID string
	// STSEndpoint is the STS host[:port], always reached over HTTPS: a regional endpoint
	// (sts.cn-hangzhou.aliyuncs.com), a VPC endpoint, or a local emulator. Empty: derived from
	// STSRegion, else credentials-go's default (env ALIBABA_CLOUD_STS_REGION, else the global
	// sts.aliyuncs.com).
	STSEndpoint string
	// STSRegion selects sts.<STSRegion>.aliyuncs.com (or sts-vpc.… with STSVPC) when
	// STSEndpoint is empty. A region near the server is recommended.
	STSRegion string
	// STSVPC selects the VPC STS endpoint of STSRegion.
	STSVPC bool
	// STSRootCAs are CA certificates trusted for the STS endpoint in addition to the system
	// roots: an emulator's or a test server's CA. credentials-go cannot be given a TLS
	// configuration, so New adds them to http.DefaultTransport's roots, process-wide (see
	// LoadCertificates). Leave empty for Alibaba Cloud's STS.
	STSRootCAs []*x509.Certificate
	// Source gives the server's own credentials, the ones AssumeRole is called with. Nil
	// means credentials-go's default chain: env ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, OIDC
	// (RRSA), the CLI profile, ECS RAM role, ALIBABA_CLOUD_CREDENTIALS_URI. Calls to it are
	// serialized, as credentials-go's providers are not safe for concurrent use.
	Source providers.CredentialsProvider
	// STSTimeout bounds one AssumeRole call, connection and answer, at most MaxSTSTimeout.
	// Default DefaultSTSTimeout.
	STSTimeout time.Duration
	// STSBudget bounds the AssumeRole calls of this server, all users together: a token
	// bucket (Rate: rate.Inf for none, not recommended). With RedisURL, the instances sharing
	// the Redis share one budget; without it, each spends its own: give each its share of the
	// account's quota. Default DefaultSTSBudget.
	STSBudget Limit
	// STSQueueWait is how long a request may wait for the budget, at most MaxSTSQueueWait;
	// a request that would wait longer gets cached credentials if it has some, else 503
	// STSBusy with Retry-After. Default DefaultSTSQueueWait.
	STSQueueWait time.Duration
	// Duration is the lifetime of vended credentials, whole seconds from MinDuration to
	// MaxDuration. Default DefaultDuration.
	Duration time.Duration
	// PolicyTemplate is the session policy, a text/template executed with a PolicyData and
	// rendered to at most 2048 bytes of compact JSON. Default DefaultPolicyTemplate.
	PolicyTemplate string

	// Authenticator decides who is calling. Required: JWT, ProxyHeader or DevAnonymous.
	Authenticator Authenticator
	// AllowedOrigins are the exact origins ("https://app.example.com") whose pages may call
	// the server with credentials (CORS). Empty: no browser origin is allowed.
	AllowedOrigins []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client's IP for
	// the per-IP rate limit. Empty: the peer address is the client's IP.
	TrustedProxies []netip.Prefix
	// RateLimits bound requests per client IP and per user. Zero Limits take
	// DefaultRateLimits' values.
	RateLimits RateLimits
	// Offer selects the routes served: GET /sts, POST /sign or both. GET /sts hands out
	// credentials that bypass POST /sign's type and size limits whenever its session policy
	// allows oss:PutObject (the default one does). The zero value means both (DefaultOffer),
	// unless Presign sets a limit (ContentTypes or MaxBytes) and the session policy allows
	// oss:PutObject: then Sign only, so that the limit holds. Serving both with a session
	// policy that can write logs a warning at startup.
	Offer Offer
	// Presign configures POST /sign.
	Presign PresignConfig
	// CacheSize is the number of (user, policy) credentials kept, least recently used
	// dropped first. Default DefaultCacheSize.
	CacheSize int

	// RedisURL, when set, is the Redis that the instances of a deployment share:
	// redis://[user[:password]@]host[:port][/db], rediss://… for TLS, or unix:///path. The
	// credentials cache (encrypted with CacheKey), the single flight of AssumeRole calls,
	// the rate limits and the STS budget then hold across instances, so N instances cost
	// STS what one does. When Redis cannot be reached, each instance uses its own memory
	// (logging it once) until Redis answers again; no request fails because of it. Empty:
	// every instance keeps its state in memory. Close the Server to close its connections.
	// go-redis's own messages (it has one logger per process) go to the Logger of the first
	// Server with Redis, at Debug.
	RedisURL string
	// CacheKey encrypts the credentials kept in Redis (AES-256-GCM): CacheKeySize random
	// bytes, the same on every instance (`openssl rand -base64 32`, decoded). Required with
	// RedisURL.
	CacheKey []byte
	// RedisTimeout bounds each Redis call, at most MaxRedisTimeout; past it the call counts
	// as failed. Default DefaultRedisTimeout.
	RedisTimeout time.Duration

	// Now is the server's clock. Default time.Now.
	Now func() time.Time
	// Logger receives structured logs, never a secret, token or cookie. Default slog.Default().
	Logger *slog.Logger
}

// RateLimits are the request limits of a Server.
type RateLimits struct {
	// PerIP applies to every request to /sts and /sign, before authentication. IPv6
	// clients are counted per /64.
	PerIP Limit
	// PerUser applies after authentication, per user id.
	PerUser Limit
	// NewIdentity applies, per client IP, to the requests an Authenticator would give a new
	// identity (DevAnonymous: a request without its cookie), before the identity is issued:
	// each new identity costs an AssumeRole call, so a client that drops the cookie (a reload
	// loop, a script) cannot spend the STS budget. It is kept in this process's memory, as
	// DevAnonymous's identities are (its cookies are signed with a key of the process).
	NewIdentity Limit
}

// Limit is a token bucket: Rate requests per second on average, bursts of up to Burst.
// Rate: rate.Inf disables the limit (Burst is then ignored).
type Limit struct {
	Rate  rate.Limit
	Burst int
}

// Offer says which routes a Server answers; the other one answers 404.
type Offer struct {
	// STS serves GET /sts: temporary credentials for the user's prefix. They can upload any
	// content type and size the session policy allows, whatever PresignConfig says.
	STS bool
	// Sign serves POST /sign: server-signed uploads of the types and sizes PresignConfig
	// allows.
	Sign bool
}

// DefaultOffer is the zero Config.Offer's meaning when Presign sets no limit: both routes.
var DefaultOffer = Offer{STS: true, Sign: true}

// PresignConfig configures POST /sign.
type PresignConfig struct {
	// ContentTypes maps each content type a client may upload to the extension of the key
	// the server picks for it. Default DefaultContentTypes. Setting it is setting a limit
	// (see Config.Offer).
	ContentTypes map[string]string
	// MaxBytes is the largest upload, at most MaxPresignBytes. Default DefaultPresignMaxBytes.
	// Setting it is setting a limit (see Config.Offer).
	MaxBytes int64
	// Expires is how long a signed upload stays valid, at most MaxPresignExpires (and never
	// longer than the server's credentials). Default DefaultPresignExpires.
	Expires time.Duration
}

var (
	// roleARNPattern is acs:ram::<account id>:role/<role name>; a :user/ ARN is a common
	// mistake that STS answers with EntityNotExist.Role.
	roleARNPattern = regexp.MustCompile(`^acs:ram::[0-9]+:role/[A-Za-z0-9.@_/-]{1,64}$`)
	// bucketPattern is an OSS bucket name.
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	// prefixPattern is a key prefix without wildcards, ending with "/".
	prefixPattern = regexp.MustCompile(`^([A-Za-z0-9._-]+/)+$`)
	// stsHostPattern is host[:port] without a scheme.
	stsHostPattern = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]{1,5})?$`)
	// extensionPattern is a file extension without the dot.
	extensionPattern = regexp.MustCompile(`^[a-z0-9]{1,10}$`)
	// contentTypePattern is type/subtype without parameters.
	contentTypePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$`)
)

// withDefaults returns c with the defaults filled in, or an error naming the first invalid
// field and how to set it.
func (c Config) withDefaults() (Config, error) {
	if c.Authenticator == nil {
		return c, errors.New("vending: no authenticator, so anyone could get credentials: set Config.Authenticator to " +
			"vending.JWT(…), vending.ProxyHeader(…) or, for local development only, vending.DevAnonymous(); " +
			"on the command line use --jwt-jwks-url or --jwt-hs256-secret-file with --jwt-issuer and --jwt-audience, " +
			"--proxy-user-header, or --dev-anonymous")
	}
	if err := c.checkTarget(); err != nil {
		return c, err
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if !prefixPattern.MatchString(c.Prefix) || hasDotSegment(c.Prefix) {
		return c, fmt.Errorf("vending: Config.Prefix %q (--prefix, OSSIGN_PREFIX): must end with \"/\" and use only A–Z a–z 0–9 . _ - /, without empty, \".\" or \"..\" segments, e.g. %q", c.Prefix, DefaultPrefix)
	}
	if !roleARNPattern.MatchString(c.RoleARN) {
		return c, fmt.Errorf("vending: Config.RoleARN %q (--role-arn, ALIBABA_CLOUD_ROLE_ARN): must be a RAM role ARN, acs:ram::<account id>:role/<role name> (not a :user/ ARN)", c.RoleARN)
	}
	if c.STSEndpoint != "" && !stsHostPattern.MatchString(c.STSEndpoint) {
		return c, fmt.Errorf("vending: Config.STSEndpoint %q (--sts-endpoint, OSSIGN_STS_ENDPOINT): must be host[:port] without a scheme (STS is always reached over HTTPS), e.g. \"sts.cn-hangzhou.aliyuncs.com\"", c.STSEndpoint)
	}
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.Duration < MinDuration || c.Duration > MaxDuration || c.Duration%time.Second != 0 {
		return c, fmt.Errorf("vending: Config.Duration %v (--duration, OSSIGN_DURATION): must be whole seconds from %v to %v", c.Duration, MinDuration, MaxDuration)
	}
	if err := c.fillSTSLimits(); err != nil {
		return c, err
	}
	if c.PolicyTemplate == "" {
		c.PolicyTemplate = DefaultPolicyTemplate
	}
	if err := c.RateLimits.fill(); err != nil {
		return c, err
	}
	if err := c.fillOffer(); err != nil {
		return c, err
	}
	if err := c.Presign.fill(); err != nil {
		return c, err
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.CacheSize < 0 {
		return c, fmt.Errorf("vending: Config.CacheSize %d must not be negative", c.CacheSize)
	}
	if err := c.checkRedis(); err != nil {
		return c, err
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

// checkTarget checks Bucket, Region and Endpoint with the signer's own rules, and fills the
// default Endpoint.
func (c *Config) checkTarget() error {
	if c.Bucket == "" {
		return errors.New("vending: Config.Bucket is required (--bucket, OSSIGN_BUCKET)")
	}
	if c.Region == "" {
		return errors.New("vending: Config.Region is required (--region, OSSIGN_REGION), e.g. \"cn-hangzhou\"")
	}
	if c.Endpoint == "" {
		c.Endpoint = "https://oss-" + strings.TrimPrefix(c.Region, "oss-") + ".aliyuncs.com"
	}
	if !bucketPattern.MatchString(c.Bucket) {
		return fmt.Errorf("vending: Config.Bucket %q (--bucket, OSSIGN_BUCKET): must be 3–63 characters of a–z, 0–9 and '-', not starting or ending with '-'", c.Bucket)
	}
	if err := c.target().Validate(); err != nil {
		return fmt.Errorf("vending: Config.Region or Config.Endpoint (--region, --endpoint): %w", err)
	}
	return nil
}

// target is where signed uploads go.
func (c *Config) target() signer.Target {
	return signer.Target{Region: c.Region, Endpoint: c.Endpoint}
}

// hasDotSegment reports whether a "/"-terminated prefix has a "." or ".." segment, which
// some tools would resolve and others would not.
func hasDotSegment(prefix string) bool {
	for _, seg := range strings.Split(strings.TrimSuffix(prefix, "/"), "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// fill replaces zero limits by the defaults and checks the others.
func (r *RateLimits) fill() error {
	for _, l := range []struct {
		name      string
		limit     *Limit
		fallback  Limit
		flagNames string
	}{
		{"PerIP", &r.PerIP, DefaultRateLimits.PerIP, " (--ip-rate, --ip-burst)"},
		{"PerUser", &r.PerUser, DefaultRateLimits.PerUser, " (--user-rate, --user-burst)"},
		{"NewIdentity", &r.NewIdentity, DefaultRateLimits.NewIdentity, ""},
	} {
		if *l.limit == (Limit{}) {
			*l.limit = l.fallback
		}
		if l.limit.Rate <= 0 || l.limit.Burst < 1 && l.limit.Rate != rate.Inf {
			return fmt.Errorf("vending: Config.RateLimits.%s%s: Rate must be positive (rate.Inf for no limit) and Burst at least 1", l.name, l.flagNames)
		}
	}
	return nil
}

// fillSTSLimits fills and checks STSTimeout, STSBudget and STSQueueWait.
func (c *Config) fillSTSLimits() error {
	if c.STSTimeout == 0 {
		c.STSTimeout = DefaultSTSTimeout
	}
	if c.STSTimeout < 0 || c.STSTimeout > MaxSTSTimeout {
		return fmt.Errorf("vending: Config.STSTimeout %v (--sts-timeout, OSSIGN_STS_TIMEOUT): must be positive and at most %v", c.STSTimeout, MaxSTSTimeout)
	}
	if c.STSBudget == (Limit{}) {
		c.STSBudget = DefaultSTSBudget
	}
	if c.STSBudget.Rate <= 0 || c.STSBudget.Burst < 1 && c.STSBudget.Rate != rate.Inf {
		return errors.New("vending: Config.STSBudget (--sts-rate, --sts-burst): Rate must be positive (rate.Inf for no limit) and Burst at least 1")
	}
	if c.STSQueueWait == 0 {
		c.STSQueueWait = DefaultSTSQueueWait
	}
	if c.STSQueueWait < 0 || c.STSQueueWait > MaxSTSQueueWait {
		return fmt.Errorf("vending: Config.STSQueueWait %v (--sts-queue-wait, OSSIGN_STS_QUEUE_WAIT): must be positive and at most %v", c.STSQueueWait, MaxSTSQueueWait)
	}
	return nil
}

// fill replaces zero fields by the defaults and checks the others.
func (p *PresignConfig) fill() error {
	if p.ContentTypes == nil {
		p.ContentTypes = DefaultContentTypes
	}
	types := make(map[string]string, len(p.ContentTypes))
	for ct, ext := range p.ContentTypes {
		lct := strings.ToLower(ct)
		if !contentTypePattern.MatchString(lct) || !extensionPattern.MatchString(ext) {
			return fmt.Errorf("vending: Config.Presign.ContentTypes (--presign-types): %q=%q must map a type/subtype without parameters to an extension of 1–10 characters a–z 0–9, e.g. image/jpeg=jpg", ct, ext)
		}
		types[lct] = ext
	}
	p.ContentTypes = types
	if p.MaxBytes == 0 {
		p.MaxBytes = DefaultPresignMaxBytes
	}
	if p.MaxBytes < 1 || p.MaxBytes > MaxPresignBytes {
		return fmt.Errorf("vending: Config.Presign.MaxBytes %d (--presign-max-bytes): must be from 1 to %d (5 GiB)", p.MaxBytes, int64(MaxPresignBytes))
	}
	if p.Expires == 0 {
		p.Expires = DefaultPresignExpires
	}
	if p.Expires < time.Second || p.Expires > MaxPresignExpires {
		return fmt.Errorf("vending: Config.Presign.Expires %v (--presign-expires): must be from 1s to %v", p.Expires, MaxPresignExpires)
	}
	return nil
}

// checkRedis checks RedisURL, CacheKey and RedisTimeout when RedisURL is set. Its errors
// never repeat the URL, which may hold a password.
func (c *Config) checkRedis() error {
	if c.RedisURL == "" {
		return nil
	}
	if _, err := redisOptions(c.RedisURL); err != nil {
		return fmt.Errorf("vending: Config.RedisURL (--redis-url, OSSIGN_REDIS_URL): %w", err)
	}
	if len(c.CacheKey) != CacheKeySize {
		return fmt.Errorf("vending: Config.CacheKey (--cache-key-file, OSSIGN_CACHE_KEY) is required with Redis: %d random bytes, the same on every instance, so that the credentials kept in Redis are encrypted; generate one with `openssl rand -base64 32`", CacheKeySize)
	}
	if c.RedisTimeout == 0 {
		c.RedisTimeout = DefaultRedisTimeout
	}
	if c.RedisTimeout < 0 || c.RedisTimeout > MaxRedisTimeout {
		return fmt.Errorf("vending: Config.RedisTimeout %v (--redis-timeout, OSSIGN_REDIS_TIMEOUT): must be positive and at most %v", c.RedisTimeout, MaxRedisTimeout)
	}
	return nil
}
