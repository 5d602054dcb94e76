package signer

import (
	"encoding/base64"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestItoa(t *testing.T) {
	for _, n := range []int64{0, 9, 10, 604800, 1702781677, -1, -90, math.MaxInt64, math.MinInt64} {
		assert.Equal(t, strconv.FormatInt(n, 10), itoa(n))
	}
}

func TestAppendBase64(t *testing.T) {
	src := []byte("\x00\xff\xfe\x10 ossign policy {\"expiration\":\"2023-12-17T03:24:37.000Z\"}")
	for n := 0; n <= len(src); n++ {
		assert.Equal(t, base64.StdEncoding.EncodeToString(src[:n]), string(appendBase64([]byte("keep:"), src[:n]))[5:], "%d bytes", n)
	}
}
