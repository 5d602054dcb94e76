package wire_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Canary credentials: distinctive values that must never appear in an error message.
const (
	canarySecret = "Sup3rS3cr3tCanaryValue-DoNotLeak"
	canaryToken  = "CAIS-TokenCanaryValue-DoNotLeak"
)

func mustTime(t *testing.T, value string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, value)
	require.NoError(t, err)
	return v
}

// requireCode requires err to be a *signer.Error with the given code and returns its message.
func requireCode(t *testing.T, err error, code signer.ErrorCode) string {
	t.Helper()
	var e *signer.Error
	require.True(t, errors.As(err, &e), "want *signer.Error, got %T: %v", err, err)
	assert.Equal(t, code, e.Code, "error code (message %q)", e.Message)
	return e.Message
}

// leaks reports whether msg reveals one of secrets: a secret counts only when it is long
// enough not to occur in message templates by chance (16 bytes; real secrets have 30) and
// does not also occur in a field the message may quote (echoed: Code, Message, Expiration…).
func leaks(msg string, secrets, echoed []string) bool {
	for _, s := range secrets {
		if len(s) < 16 || !strings.Contains(msg, s) {
			continue
		}
		quoted := false
		for _, e := range echoed {
			quoted = quoted || strings.Contains(e, s)
		}
		if !quoted {
			return true
		}
	}
	return false
}
