package vending

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoleSessionName(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
	long := strings.Repeat("a", 64)
	cases := []struct {
		name, subject, want string
	}{
		{"numeric id", "42", "ossign-42"},
		{"email", "alice@example.com", "ossign-alice@example.com"},
		{"empty", "", "ossign-"},
		{"characters outside the set", "a b/c:d|é", "ossign-a_b_c_d___"},
		{"57 characters fit", long[:57], "ossign-" + long[:57]},
		{"58 characters are cut and hashed", long[:58], "ossign-" + long[:44] + "-"},
		{"64 characters are cut and hashed", long, "ossign-" + long[:44] + "-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := roleSessionName(tc.subject)
			assert.Regexp(t, valid, got)
			assert.True(t, strings.HasPrefix(got, tc.want), "%q does not start with %q", got, tc.want)
			if len(tc.subject)+len(sessionNamePrefix) <= maxSessionName {
				assert.Equal(t, tc.want, got)
			} else {
				assert.Len(t, got, maxSessionName)
			}
		})
	}
	t.Run("long subjects differing at the end keep distinct names", func(t *testing.T) {
		assert.NotEqual(t, roleSessionName(long+"x"), roleSessionName(long+"y"))
	})
}
