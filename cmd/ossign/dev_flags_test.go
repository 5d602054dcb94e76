package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/vending"
)

// envMap is a getenv over a map.
func envMap(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

// realOSSEnv is what a shell set up for `ossign vend` holds, authentication included.
var realOSSEnv = map[string]string{
	"ALIBABA_CLOUD_ROLE_ARN":   "acs:ram::1234567890123456:role/ossign-browser",
	"OSSIGN_BUCKET":            "photos",
	"OSSIGN_REGION":            "cn-shanghai",
	"OSSIGN_DURATION":          "30m",
	"OSSIGN_PREFIX":            "uploads/",
	"OSSIGN_LISTEN":            "0.0.0.0:80",
	"OSSIGN_JWT_ISSUER":        "https://issuer.example",
	"OSSIGN_JWT_HS256_SECRET":  "not for ossign dev",
	"OSSIGN_PROXY_USER_HEADER": "X-Forwarded-User",
	"OSSIGN_ALLOWED_ORIGINS":   "https://app.example.com",
}

func TestDevRealOSSConfig(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, cfg vending.Config)
	}{
		{name: "from the environment ossign vend reads", env: realOSSEnv, check: func(t *testing.T, cfg vending.Config) {
			assert.Equal(t, "acs:ram::1234567890123456:role/ossign-browser", cfg.RoleARN)
			assert.Equal(t, "photos", cfg.Bucket)
			assert.Equal(t, "cn-shanghai", cfg.Region)
			assert.Equal(t, 30*time.Minute, cfg.Duration)
			assert.Equal(t, "uploads/", cfg.Prefix)
			assert.IsType(t, vending.DevAnonymous(), cfg.Authenticator, "browsers are anonymous, whatever the environment says about JWTs or proxies")
			assert.Equal(t, []string{"http://127.0.0.1:8080", "http://localhost:8080"}, cfg.AllowedOrigins, "the page's origins, not ossign vend's")
			assert.Nil(t, cfg.Source, "credentials-go's default chain")
		}},
		{name: "from flags, over the environment", env: realOSSEnv,
			args: []string{"--region", "cn-beijing", "--bucket", "docs", "--endpoint", "https://oss-cn-beijing-internal.aliyuncs.com",
				"--sts-region", "cn-beijing", "--sts-vpc", "--external-id", "abc", "--duration", "1h"},
			check: func(t *testing.T, cfg vending.Config) {
				assert.Equal(t, "cn-beijing", cfg.Region)
				assert.Equal(t, "docs", cfg.Bucket)
				assert.Equal(t, "https://oss-cn-beijing-internal.aliyuncs.com", cfg.Endpoint)
				assert.Equal(t, "cn-beijing", cfg.STSRegion)
				assert.True(t, cfg.STSVPC)
				assert.Equal(t, "abc", cfg.ExternalID)
				assert.Equal(t, time.Hour, cfg.Duration)
			}},
		{name: "from flags alone", env: map[string]string{},
			args: []string{"--role-arn", "acs:ram::1:role/r", "--bucket", "b-1", "--region", "cn-hangzhou"},
			check: func(t *testing.T, cfg vending.Config) {
				assert.Equal(t, "acs:ram::1:role/r", cfg.RoleARN)
				assert.Equal(t, vending.DefaultDuration, cfg.Duration)
				assert.Equal(t, vending.DefaultPrefix, cfg.Prefix)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts, help, err := parseDevFlags(tc.args, envMap(tc.env), io.Discard)
			require.NoError(t, err)
			require.False(t, help)
			require.True(t, opts.realOSS())
			cfg, err := opts.realOSSConfig([]string{"http://127.0.0.1:8080", "http://localhost:8080"})
			require.NoError(t, err)
			tc.check(t, cfg)
			_, err = vending.New(cfg)
			assert.NoError(t, err, "the vending server accepts the configuration (no network call)")
		})
	}
}

func TestDevEmulatorMode(t *testing.T) {
	cases := []struct {
		name, bucket string
		env          map[string]string
		args         []string
	}{
		{name: "nothing set", bucket: defaultBucket, env: map[string]string{}},
		{name: "bucket flag names the emulator's bucket", bucket: "photos", env: map[string]string{}, args: []string{"-bucket", "photos"}},
		{name: "env of ossign vend without a role", bucket: "photos", env: map[string]string{"OSSIGN_BUCKET": "photos", "OSSIGN_REGION": "cn-shanghai"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts, _, err := parseDevFlags(tc.args, envMap(tc.env), io.Discard)
			require.NoError(t, err)
			assert.False(t, opts.realOSS())
			assert.Equal(t, tc.bucket, opts.emulatorBucket())
		})
	}
}

func TestDevFlagErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "real-OSS flag without a role", args: []string{"--region", "cn-hangzhou"}, want: "--region is for real OSS, which also needs --role-arn"},
		{name: "positional argument", args: []string{"serve"}, want: `unexpected argument "serve"`},
		{name: "unknown flag", args: []string{"--listen", "127.0.0.1:1"}, want: "flag provided but not defined: -listen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseDevFlags(tc.args, envMap(tc.env), io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	configCases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "role without region", args: []string{"--role-arn", "acs:ram::1:role/r", "--bucket", "b-1"}, want: "real OSS needs --bucket and --region"},
		{name: "role without bucket", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r", "OSSIGN_REGION": "cn-hangzhou"}, want: "real OSS needs --bucket and --region"},
		{name: "bad duration from the environment", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r", "OSSIGN_DURATION": "soon"}, want: "--duration"},
		{name: "bad boolean from the environment", env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "maybe"}, want: "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"},
	}
	for _, tc := range configCases {
		t.Run(tc.name, func(t *testing.T) {
			opts, _, err := parseDevFlags(tc.args, envMap(tc.env), io.Discard)
			require.NoError(t, err)
			_, err = opts.realOSSConfig([]string{"http://127.0.0.1:8080"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// ossign dev reads the same variables as ossign vend for the flags it shares, and no others.
func TestDevSharedFlagsReadVendEnvironment(t *testing.T) {
	want := map[string]string{
		"role-arn": "ALIBABA_CLOUD_ROLE_ARN", "bucket": "OSSIGN_BUCKET", "region": "OSSIGN_REGION",
		"endpoint": "OSSIGN_ENDPOINT", "prefix": "OSSIGN_PREFIX", "external-id": "OSSIGN_EXTERNAL_ID",
		"sts-endpoint": "OSSIGN_STS_ENDPOINT", "sts-region": "ALIBABA_CLOUD_STS_REGION",
		"sts-vpc": "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "sts-ca-file": "OSSIGN_STS_CA_FILE",
		"duration": "OSSIGN_DURATION", "policy-file": "OSSIGN_POLICY_FILE",
	}
	var asked []string
	opts, _, err := parseDevFlags(nil, func(name string) string { asked = append(asked, name); return "" }, io.Discard)
	require.NoError(t, err)
	for name, env := range want {
		require.Contains(t, opts.shared, name)
		assert.Contains(t, opts.shared[name].Usage, "[$"+env+"]", name)
		assert.Contains(t, asked, env, name)
	}
	assert.Len(t, opts.shared, len(want))
	assert.Subset(t, mapValues(want), asked, "only the shared flags' variables are read")
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
