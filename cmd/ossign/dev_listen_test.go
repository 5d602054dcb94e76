package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A taken port is named, with the way to choose another or a free one.
func TestDevPortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	var out, errs bytes.Buffer
	err = runDev(context.Background(), []string{"-addr", taken.Addr().String()}, &out, &errs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), taken.Addr().String()+" is already in use")
	assert.Contains(t, err.Error(), "-addr 127.0.0.1:0")
	assert.Empty(t, out.String(), "nothing started")
}

func TestDevPageOrigins(t *testing.T) {
	ln, err := listenLoopback("127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	assert.Equal(t, []string{"http://" + ln.Addr().String(), fmt.Sprintf("http://localhost:%d", port)}, pageOrigins(ln))
}
