package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Findings 2 and 3 of the review: `ossign vend` served dev-anonymous credentials, and trusted
// a proxy user header from anyone, on a non-loopback address. It refuses to start instead,
// before calling STS.
func TestVendRefusesUnsafeListenAddress(t *testing.T) {
	base := []string{"--bucket", "examplebucket", "--region", "cn-hangzhou", "--role-arn", "acs:ram::1234567890123456:role/r"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"dev-anonymous on every interface", []string{"--dev-anonymous", "--listen", "0.0.0.0:0"}, "loopback"},
		{"dev-anonymous on a host name", []string{"--dev-anonymous", "--listen", "vending.example.com:8080"}, "loopback"},
		{"proxy header from anyone", []string{"--proxy-user-header", "X-Forwarded-User", "--listen", "0.0.0.0:0"}, "--trusted-proxies"},
		{"proxy header on an IPv6 wildcard", []string{"--proxy-user-header", "X-Forwarded-User", "--listen", "[::]:0"}, "--trusted-proxies"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := runVend(context.Background(), append(append([]string{}, base...), tc.args...), &out, &errs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, out.String(), "nothing served")
		})
	}
}
