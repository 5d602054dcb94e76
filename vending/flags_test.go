package vending

import (
	"bytes"
	"encoding/base64"
	"flag"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// parseFlags registers the flags with env as the environment and parses args.
func parseFlags(t *testing.T, env map[string]string, args ...string) *Flags {
	fs := flag.NewFlagSet("vend", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := RegisterFlags(fs, func(k string) string { return env[k] })
	require.NoError(t, fs.Parse(args))
	return f
}

// required are the flags every valid command line has.
var required = []string{"--bucket", testBucket, "--region", testRegion, "--role-arn", testRoleARN}

func TestFlagsConfig(t *testing.T) {
	policy := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:{{.Bucket}}/{{.Prefix}}*"}]}`), 0o600))
	env := map[string]string{
		"OSSIGN_BUCKET":                      "from-env",
		"OSSIGN_REGION":                      testRegion,
		"ALIBABA_CLOUD_ROLE_ARN":             testRoleARN,
		"OSSIGN_ALLOWED_ORIGINS":             "https://a.example.com, https://b.example.com",
		"OSSIGN_TRUSTED_PROXIES":             "10.0.0.0/8,192.168.1.1",
		"ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "true",
		"OSSIGN_DEV_ANONYMOUS":               "1",
	}
	f := parseFlags(t, env, "--bucket", testBucket, "--listen", ":9000", "--duration", "30m", "--prefix", "tenants/x/",
		"--sts-region", "cn-shanghai", "--external-id", "ext", "--ip-rate", "inf", "--user-rate", "0.5", "--user-burst", "3",
		"--presign-types", "image/png=png, text/plain=txt", "--presign-max-bytes", "1024", "--presign-expires", "5m",
		"--policy-file", policy, "--endpoint", "http://127.0.0.1:9001",
		"--sts-timeout", "3s", "--sts-rate", "20", "--sts-burst", "5", "--sts-queue-wait", "500ms")
	cfg, err := f.Config()
	require.NoError(t, err)
	assert.Equal(t, ":9000", f.Listen())
	assert.Equal(t, testBucket, cfg.Bucket, "a flag overrides its environment variable")
	assert.Equal(t, testRegion, cfg.Region, "the environment gives the default")
	assert.Equal(t, testRoleARN, cfg.RoleARN)
	assert.Equal(t, "http://127.0.0.1:9001", cfg.Endpoint)
	assert.Equal(t, "tenants/x/", cfg.Prefix)
	assert.Equal(t, 30*time.Minute, cfg.Duration)
	assert.Equal(t, "cn-shanghai", cfg.STSRegion)
	assert.True(t, cfg.STSVPC)
	assert.Equal(t, "ext", cfg.ExternalID)
	assert.Equal(t, []string{"https://a.example.com", "https://b.example.com"}, cfg.AllowedOrigins)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.1/32")}, cfg.TrustedProxies)
	assert.Equal(t, RateLimits{PerIP: Limit{Rate: rate.Inf, Burst: DefaultRateLimits.PerIP.Burst}, PerUser: Limit{Rate: 0.5, Burst: 3}}, cfg.RateLimits)
	assert.Equal(t, PresignConfig{ContentTypes: map[string]string{"image/png": "png", "text/plain": "txt"}, MaxBytes: 1024, Expires: 5 * time.Minute}, cfg.Presign)
	assert.Equal(t, 3*time.Second, cfg.STSTimeout)
	assert.Equal(t, Limit{Rate: 20, Burst: 5}, cfg.STSBudget)
	assert.Equal(t, 500*time.Millisecond, cfg.STSQueueWait)
	assert.Contains(t, cfg.PolicyTemplate, `"oss:GetObject"`)
	assert.IsType(t, &devAnonymous{}, cfg.Authenticator)
	_, err = New(cfg)
	assert.NoError(t, err, "the flags make a valid Config")

	defaults, err := parseFlags(t, nil, required...).Config()
	require.NoError(t, err)
	assert.Equal(t, DefaultListen, parseFlags(t, nil).Listen())
	assert.Nil(t, defaults.Authenticator)
	defaults.Authenticator = DevAnonymous()
	filled, err := defaults.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, DefaultRateLimits, filled.RateLimits)
	assert.Equal(t, DefaultContentTypes, filled.Presign.ContentTypes)
	assert.Equal(t, DefaultDuration, filled.Duration)
	assert.Equal(t, DefaultSTSTimeout, filled.STSTimeout)
	assert.Equal(t, DefaultSTSBudget, filled.STSBudget)
	assert.Equal(t, DefaultSTSQueueWait, filled.STSQueueWait)
	assert.Equal(t, DefaultOffer, filled.Offer)
}

func TestFlagsAuthenticator(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secretFile, append(testSecret, '\n'), 0o600))
	jwt := []string{"--jwt-issuer", testIssuer, "--jwt-audience", testAudience}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string // description of the authenticator; "" for none
		err  string
	}{
		{name: "none", want: ""},
		{name: "dev", args: []string{"--dev-anonymous"}, want: "dev-anonymous"},
		{name: "proxy", args: []string{"--proxy-user-header", "X-Auth-User", "--trusted-proxies", "10.0.0.0/8"}, want: "proxy header X-Auth-User from [10.0.0.0/8]"},
		{name: "JWKS", args: append([]string{"--jwt-jwks-url", "https://idp.example.com/jwks"}, jwt...), want: "JWT JWKS https://idp.example.com/jwks"},
		{name: "HS256 file", args: append([]string{"--jwt-hs256-secret-file", secretFile}, jwt...), want: "JWT HS256"},
		{name: "HS256 env", env: map[string]string{"OSSIGN_JWT_HS256_SECRET": string(testSecret)}, args: jwt, want: "JWT HS256"},
		{name: "HS256 without issuer", args: []string{"--jwt-hs256-secret-file", secretFile}, err: "issuer and an audience"},
		{name: "two modes", args: []string{"--dev-anonymous", "--proxy-user-header", "X-User"}, err: "choose one way"},
		{name: "JWKS and HS256", env: map[string]string{"OSSIGN_JWT_HS256_SECRET": string(testSecret)}, args: append([]string{"--jwt-jwks-url", "https://idp.example.com/jwks"}, jwt...), err: "choose one way"},
		{name: "missing secret file", args: append([]string{"--jwt-hs256-secret-file", secretFile + ".missing"}, jwt...), err: "--jwt-hs256-secret-file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseFlags(t, tc.env, append(append([]string{}, required...), tc.args...)...).Config()
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			if tc.want == "" {
				assert.Nil(t, cfg.Authenticator)
				_, err := New(cfg)
				assert.ErrorContains(t, err, "--jwt-jwks-url", "New says how to configure one")
				return
			}
			assert.Contains(t, describe(cfg.Authenticator), tc.want)
		})
	}
}

func TestFlagsErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		err  string
	}{
		{"duration", nil, []string{"--duration", "15"}, "--duration"},
		{"burst", nil, []string{"--ip-burst", "many"}, "--ip-burst"},
		{"rate", nil, []string{"--user-rate", "-1"}, "--user-rate"},
		{"STS rate", nil, []string{"--sts-rate", "fast"}, "--sts-rate"},
		{"STS timeout", nil, []string{"--sts-timeout", "5"}, "--sts-timeout"},
		{"CIDR", nil, []string{"--trusted-proxies", "10.0.0.0/33"}, "--trusted-proxies"},
		{"content types", nil, []string{"--presign-types", "image/png"}, "--presign-types"},
		{"policy file", nil, []string{"--policy-file", "/nonexistent/policy.json"}, "--policy-file"},
		{"CA file", nil, []string{"--sts-ca-file", "/nonexistent/ca.pem"}, "reading CA certificates"},
		{"boolean env", map[string]string{"OSSIGN_DEV_ANONYMOUS": "yes please"}, nil, "OSSIGN_DEV_ANONYMOUS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFlags(t, tc.env, append(append([]string{}, required...), tc.args...)...).Config()
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

func TestFlagsRedis(t *testing.T) {
	key := newCacheKey()
	encoded := base64.StdEncoding.EncodeToString(key)
	keyFile := filepath.Join(t.TempDir(), "cache-key")
	require.NoError(t, os.WriteFile(keyFile, []byte(encoded+"\n"), 0o600))
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		url     string
		key     []byte
		timeout time.Duration
		err     string
	}{
		{name: "off", timeout: DefaultRedisTimeout},
		{name: "URL and key from the environment", env: map[string]string{"OSSIGN_REDIS_URL": "redis://:pw@10.0.0.5:6379/2", "OSSIGN_CACHE_KEY": encoded},
			url: "redis://:pw@10.0.0.5:6379/2", key: key, timeout: DefaultRedisTimeout},
		{name: "URL flag without a password, key file, timeout", args: []string{"--redis-url", "rediss://redis.internal:6380", "--cache-key-file", keyFile, "--redis-timeout", "200ms"},
			url: "rediss://redis.internal:6380", key: key, timeout: 200 * time.Millisecond},
		{name: "URL flag with a password", args: []string{"--redis-url", "redis://:pw@10.0.0.5:6379"}, err: "set OSSIGN_REDIS_URL in the environment instead"},
		{name: "key not base64", env: map[string]string{"OSSIGN_CACHE_KEY": "not base64!"}, err: "standard base64"},
		{name: "key of 16 bytes", env: map[string]string{"OSSIGN_CACHE_KEY": base64.StdEncoding.EncodeToString(key[:16])}, err: "must be 32 random bytes"},
		{name: "missing key file", args: []string{"--cache-key-file", keyFile + ".missing"}, err: "--cache-key-file"},
		{name: "timeout", args: []string{"--redis-timeout", "1"}, err: "--redis-timeout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseFlags(t, tc.env, append(append([]string{}, required...), tc.args...)...).Config()
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				assert.NotContains(t, err.Error(), "pw@", "no password in the error")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.url, cfg.RedisURL)
			assert.Equal(t, tc.key, cfg.CacheKey)
			assert.Equal(t, tc.timeout, cfg.RedisTimeout)
		})
	}
}

func TestFlagsHelpNamesEnvironment(t *testing.T) {
	fs := flag.NewFlagSet("vend", flag.ContinueOnError)
	RegisterFlags(fs, func(string) string { return "" })
	var help bytes.Buffer
	fs.SetOutput(&help)
	fs.PrintDefaults()
	for _, s := range append(append([]flagSpec{}, stringFlags...), boolFlags...) {
		assert.Contains(t, help.String(), "-"+s.name)
		assert.Contains(t, help.String(), "[$"+s.env+"]")
	}
}
