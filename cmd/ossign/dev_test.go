package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ossign dev hands out credentials to anyone who asks: it must not listen beyond loopback.
func TestDevRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:8080", "nonsense"} {
		var out, errs bytes.Buffer
		err := runDev(context.Background(), []string{"-addr", addr}, &out, &errs)
		require.Error(t, err, addr)
		assert.Contains(t, err.Error(), "loopback only", addr)
	}
}
