//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
)

// BenchmarkFastPathPresignURL is the Go side of the JS client's signatureUrl: a V4 presigned
// PUT URL with a signed Content-Type and STS credentials, its fields read from the I/O buffer
// and the URL written back (js/runtimetest's benchmark times the whole JS call).
func BenchmarkFastPathPresignURL(b *testing.B) {
	id := fastPathClient(b, signer.Target{Region: "cn-hangzhou"}, signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: "sk", SecurityToken: "token"})
	fields := []string{"PUT", "examplebucket", "users/42/photo-1.jpg", "1800000", "0", "", "1", "Content-Type", "image/jpeg", "0", "0", "0"}
	request := strings.Join(fields, "\x00") + "\x00"
	nowMs := float64(time.Date(2026, 12, 6, 6, 0, 0, 0, time.UTC).UnixMilli())
	b.ReportAllocs()
	for b.Loop() {
		n := copy(ioBuf, request)
		if got := ossignSign(opPresignURL, id, nowMs, int32(n), int32(len(fields))); got <= 0 {
			b.Fatalf("ossign_sign returned %d: %s", got, ioBuf[:-got])
		}
	}
}
