package vending

import (
	"crypto/x509"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestNewRefusesBadConfig(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no authenticator", func(c *Config) { c.Authenticator = nil }, "--dev-anonymous"},
		{"no bucket", func(c *Config) { c.Bucket = "" }, "Config.Bucket is required"},
		{"bad bucket", func(c *Config) { c.Bucket = "Example_Bucket" }, "OSSIGN_BUCKET"},
		{"no region", func(c *Config) { c.Region = "" }, "Config.Region is required"},
		{"bad region", func(c *Config) { c.Region = "CN Hangzhou" }, "--region"},
		{"bad endpoint", func(c *Config) { c.Endpoint = "ftp://oss.example.com" }, "--endpoint"},
		{"user ARN", func(c *Config) { c.RoleARN = "acs:ram::1234567890123456:user/alice" }, "not a :user/ ARN"},
		{"no role", func(c *Config) { c.RoleARN = "" }, "ALIBABA_CLOUD_ROLE_ARN"},
		{"prefix without slash", func(c *Config) { c.Prefix = "users" }, "must end with"},
		{"prefix with wildcard", func(c *Config) { c.Prefix = "users*/" }, "--prefix"},
		{"prefix with dot-dot", func(c *Config) { c.Prefix = "users/../" }, "--prefix"},
		{"prefix starting with a slash", func(c *Config) { c.Prefix = "/users/" }, "--prefix"},
		{"STS endpoint with scheme", func(c *Config) { c.STSEndpoint = "https://sts.aliyuncs.com" }, "without a scheme"},
		{"duration too short", func(c *Config) { c.Duration = 10 * time.Minute }, "--duration"},
		{"duration too long", func(c *Config) { c.Duration = 2 * time.Hour }, "--duration"},
		{"duration not whole seconds", func(c *Config) { c.Duration = 20*time.Minute + time.Millisecond }, "whole seconds"},
		{"zero burst", func(c *Config) { c.RateLimits.PerUser = Limit{Rate: 1} }, "--user-rate"},
		{"negative rate", func(c *Config) { c.RateLimits.PerIP = Limit{Rate: -1, Burst: 1} }, "--ip-rate"},
		{"content type with parameters", func(c *Config) { c.Presign.ContentTypes = map[string]string{"text/plain; charset=utf-8": "txt"} }, "--presign-types"},
		{"extension with a dot", func(c *Config) { c.Presign.ContentTypes = map[string]string{"image/png": ".png"} }, "--presign-types"},
		{"upload larger than 5 GiB", func(c *Config) { c.Presign.MaxBytes = 6 << 30 }, "--presign-max-bytes"},
		{"upload URL valid for an hour", func(c *Config) { c.Presign.Expires = time.Hour }, "--presign-expires"},
		{"negative cache size", func(c *Config) { c.CacheSize = -1 }, "CacheSize"},
		{"STS timeout of a minute", func(c *Config) { c.STSTimeout = time.Minute }, "--sts-timeout"},
		{"negative STS timeout", func(c *Config) { c.STSTimeout = -time.Second }, "--sts-timeout"},
		{"STS budget without burst", func(c *Config) { c.STSBudget = Limit{Rate: 10} }, "--sts-burst"},
		{"negative STS rate", func(c *Config) { c.STSBudget = Limit{Rate: -1, Burst: 1} }, "--sts-rate"},
		{"STS queue wait of a minute", func(c *Config) { c.STSQueueWait = time.Minute }, "--sts-queue-wait"},
		{"wildcard origin", func(c *Config) { c.AllowedOrigins = []string{"*"} }, "wildcards are not allowed"},
		{"origin with a path", func(c *Config) { c.AllowedOrigins = []string{"https://app.example.com/page"} }, "--allowed-origins"},
		{"Redis without a cache key", func(c *Config) { c.RedisURL = "redis://127.0.0.1:6379" }, "Config.CacheKey (--cache-key-file, OSSIGN_CACHE_KEY) is required with Redis"},
		{"short cache key", func(c *Config) { c.RedisURL, c.CacheKey = "redis://127.0.0.1:6379", make([]byte, 16) }, "openssl rand -base64 32"},
		{"Redis URL of another scheme", func(c *Config) { c.RedisURL, c.CacheKey = "http://127.0.0.1:6379", newCacheKey() }, "--redis-url"},
		{"Redis timeout of a minute", func(c *Config) {
			c.RedisURL, c.CacheKey, c.RedisTimeout = "redis://127.0.0.1:6379", newCacheKey(), time.Minute
		}, "--redis-timeout"},
		{"policy template too long", func(c *Config) {
			c.PolicyTemplate = `{"Version":"1","Statement":[{"x":"` + strings.Repeat("x", 2100) + `"}]}`
		}, "PolicyTemplate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, newClock(), io.Discard)
			tc.edit(&cfg)
			_, err := New(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	auth := DevAnonymous()
	cfg, err := Config{Bucket: testBucket, Region: "oss-cn-hangzhou", RoleARN: testRoleARN, Authenticator: auth}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, "https://oss-cn-hangzhou.aliyuncs.com", cfg.Endpoint)
	assert.Equal(t, DefaultPrefix, cfg.Prefix)
	assert.Equal(t, DefaultDuration, cfg.Duration)
	assert.Equal(t, DefaultPolicyTemplate, cfg.PolicyTemplate)
	assert.Equal(t, DefaultRateLimits, cfg.RateLimits)
	assert.Equal(t, DefaultContentTypes, cfg.Presign.ContentTypes)
	assert.Equal(t, int64(DefaultPresignMaxBytes), cfg.Presign.MaxBytes)
	assert.Equal(t, DefaultPresignExpires, cfg.Presign.Expires)
	assert.Equal(t, DefaultCacheSize, cfg.CacheSize)
	assert.NotNil(t, cfg.Now)
	assert.NotNil(t, cfg.Logger)

	kept, err := Config{Bucket: testBucket, Region: testRegion, RoleARN: testRoleARN, Authenticator: auth,
		Endpoint: "http://127.0.0.1:9000", Prefix: "tenants/a/", Duration: time.Hour,
		RateLimits:     RateLimits{PerIP: Limit{Rate: rate.Inf}},
		Presign:        PresignConfig{ContentTypes: map[string]string{"Image/PNG": "png"}},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		STSRootCAs:     []*x509.Certificate{},
	}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9000", kept.Endpoint)
	assert.Equal(t, "tenants/a/", kept.Prefix)
	assert.Equal(t, time.Hour, kept.Duration)
	assert.Equal(t, Limit{Rate: rate.Inf}, kept.RateLimits.PerIP, "no burst needed without a limit")
	assert.Equal(t, DefaultRateLimits.PerUser, kept.RateLimits.PerUser)
	assert.Equal(t, map[string]string{"image/png": "png"}, kept.Presign.ContentTypes, "content types are lower-cased")
}

func TestRedisURLErrorsHideThePassword(t *testing.T) {
	cases := []struct{ name, url string }{
		{"bad database", "redis://:hunter2secret@127.0.0.1:6379/notanumber"},
		{"not a URL", "redis://:hunter2secret@[::1"},
		{"another scheme", "ftp://:hunter2secret@host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, newClock(), io.Discard)
			cfg.RedisURL, cfg.CacheKey = tc.url, newCacheKey()
			_, err := New(cfg)
			require.ErrorContains(t, err, "Config.RedisURL")
			assert.NotContains(t, err.Error(), "hunter2secret")
		})
	}
}
