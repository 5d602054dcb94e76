package vending

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

func TestSealedEntriesOpenOnlyUnderTheirName(t *testing.T) {
	s, err := newSealer(newCacheKey())
	require.NoError(t, err)
	other, err := newSealer(newCacheKey())
	require.NoError(t, err)
	entry := storedCredentials{
		Credentials: signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: "the-secret", SecurityToken: "the-token",
			Expiration: testEpoch.Add(15 * time.Minute)},
		Failures: 2, RetryAt: testEpoch.Add(time.Second),
	}
	name := s.name("creds", "user:42\n{}\n900")
	sealed := s.seal(name, entry)
	flipped := append([]byte{}, sealed...)
	flipped[len(flipped)-1] ^= 1
	newer := append([]byte{}, sealed...)
	newer[0] = sealVersion + 1
	cases := []struct {
		name   string
		opener *sealer
		key    string
		sealed []byte
		ok     bool
	}{
		{"under its name", s, name, sealed, true},
		{"moved under another user's name", s, s.name("creds", "user:43\n{}\n900"), sealed, false},
		{"another cache key", other, name, sealed, false},
		{"altered", s, name, flipped, false},
		{"truncated", s, name, sealed[:10], false},
		{"another format", s, name, newer, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.opener.open(tc.key, tc.sealed)
			if !tc.ok {
				assert.ErrorIs(t, err, errUnsealable)
				return
			}
			require.NoError(t, err)
			assert.True(t, got.Credentials.Expiration.Equal(entry.Credentials.Expiration))
			got.Credentials.Expiration = entry.Credentials.Expiration
			assert.True(t, got.RetryAt.Equal(entry.RetryAt))
			got.RetryAt = entry.RetryAt
			assert.Equal(t, entry, got)
		})
	}
	assert.NotContains(t, string(sealed), "the-secret")
	assert.NotContains(t, string(sealed), "the-token")
	assert.NotEqual(t, sealed, s.seal(name, entry), "a fresh nonce each time")
}

func TestRedisKeyNames(t *testing.T) {
	key := newCacheKey()
	s, err := newSealer(key)
	require.NoError(t, err)
	again, err := newSealer(key)
	require.NoError(t, err)
	other, err := newSealer(newCacheKey())
	require.NoError(t, err)
	name := s.name("user", "alice")
	assert.Regexp(t, redisKeyPattern, name)
	assert.False(t, strings.Contains(name, "alice"), "the id is not in the name")
	assert.Equal(t, name, again.name("user", "alice"), "every instance with the key names it alike")
	assert.NotEqual(t, name, s.name("ip", "alice"), "namespaces differ")
	assert.NotEqual(t, name, s.name("user", "bob"))
	assert.NotEqual(t, name, other.name("user", "alice"), "another cache key, other names")
}
