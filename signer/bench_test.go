package signer_test

import (
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
)

// A typical browser upload: STS credentials, a user-prefixed key with a space, a signed
// Content-Type.
var (
	benchNow   = time.Unix(1702781677, 0)
	benchCreds = signer.Credentials{AccessKeyID: "STS.NTg1ZDNmOWYzYjQ0", AccessKeySecret: "3dZn5k8wTVA1qzvN7p2Xy9Lm4Rb6Hc0G",
		SecurityToken: "CAIS8gF1q6Ft5B2yfSjIr5bXJt3B+/hV0Y2OQnfJ3Ccx1ZVYmZHfdnDFhAAjdLaLIcqZSTzvGmVPHabkDB0a2tC1=", Expiration: benchNow.Add(time.Hour)}
	benchReq = signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "users/42/holiday photo.jpg",
		Headers: []signer.Header{{Name: "Content-Type", Value: "image/jpeg"}}, Expires: 30 * time.Minute}
)

// benchSigner is the Signer a client keeps for its credentials, as the wasm module does.
func benchSigner(b *testing.B, t signer.Target) *signer.Signer {
	s, err := signer.NewSigner(t, benchCreds)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchPresign(b *testing.B, v signer.Version) {
	s := benchSigner(b, signer.Target{Region: "cn-hangzhou", Version: v})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Presign(benchReq, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPresignV1(b *testing.B) { benchPresign(b, signer.V1) }

func BenchmarkPresignV4(b *testing.B) { benchPresign(b, signer.V4) }

// BenchmarkPresignV4Once is a V4 presigned URL through the function Presign: the target
// resolved, the credentials checked and the day's signing key derived for each call.
func BenchmarkPresignV4Once(b *testing.B) {
	target := signer.Target{Region: "cn-hangzhou"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signer.Presign(target, benchCreds, benchReq, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignHeaderV4(b *testing.B) {
	s := benchSigner(b, signer.Target{Region: "cn-hangzhou"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SignHeaders(benchReq, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostPolicyV4(b *testing.B) {
	s := benchSigner(b, signer.Target{Region: "cn-hangzhou"})
	policy := []byte(`{"expiration":"2023-12-17T03:24:37.000Z","conditions":[{"bucket":"examplebucket"},["starts-with","$key","users/42/"],["content-length-range",1,10485760]]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SignPostObject("examplebucket", policy, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendPresignedURLV4 is a V4 presigned URL into a reused buffer, as the wasm
// module's signatureUrl signs: "same-options" signs keys one after another with the same
// options in one second (the Signer's last request hits: only the key is encoded, hashed and
// signed), "other-options" changes the Content-Type on every call (the whole request is
// checked and canonicalized each time).
func BenchmarkAppendPresignedURLV4(b *testing.B) {
	s := benchSigner(b, signer.Target{Region: "cn-hangzhou"})
	keys := make([]string, 64)
	for i := range keys {
		keys[i] = "users/42/photo-" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".jpg"
	}
	types := [][]signer.Header{{{Name: "Content-Type", Value: "image/jpeg"}}, {{Name: "Content-Type", Value: "image/png"}}}
	for _, c := range []struct {
		name  string
		types [][]signer.Header
	}{{"same-options", types[:1]}, {"other-options", types}} {
		b.Run(c.name, func(b *testing.B) {
			buf := make([]byte, 0, 4096)
			req := benchReq
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				req.Key = keys[i%len(keys)]
				req.Headers = c.types[i%len(c.types)]
				i++
				var err error
				if buf, err = s.AppendPresignedURL(buf[:0], req, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
