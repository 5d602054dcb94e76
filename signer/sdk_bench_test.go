package signer_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	osssigner "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer"

	"github.com/ossign/ossign/signer"
)

// BenchmarkOfficialSDK signs the typical upload (benchReq) with this signer and with the
// official Go SDK v2's signer, each as its client does it: ossign's Signer kept for the
// credentials; the SDK's an http.Request built for the call, a SigningContext, Sign. V4
// presigned URL and V4 Authorization header. Compare the pairs.
func BenchmarkOfficialSDK(b *testing.B) {
	target := signer.Target{Region: diffRegion, Endpoint: diffHost, Scheme: "http"}
	s := benchSigner(b, target)
	c := diffCase{target: target, creds: benchCreds, req: benchReq, now: benchNow}
	for _, query := range []bool{true, false} {
		form := "header"
		if query {
			form = "presign"
		}
		b.Run("ossign-V4-"+form, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if query {
					_, err = s.Presign(benchReq, benchNow)
				} else {
					_, err = s.SignHeaders(benchReq, benchNow)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("sdk-V4-"+form, func(b *testing.B) {
			b.ReportAllocs()
			sdk := &osssigner.SignerV4{}
			for b.Loop() {
				ctx := diffSDKContext(&c, diffSDKRequest(b, &c), query, benchNow.Add(benchReq.Expires))
				if err := sdk.Sign(context.Background(), ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScale signs V4 presigned URLs of growing requests: 1, 10 and 100 signed headers or
// query parameters, and keys of 10 to 1,000 bytes. The cost should grow linearly.
func BenchmarkScale(b *testing.B) {
	s := benchSigner(b, signer.Target{Region: "cn-hangzhou"})
	run := func(name string, req signer.Request) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Presign(req, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, n := range []int{1, 10, 100} {
		req := benchReq
		req.Headers, req.AdditionalHeaders = nil, nil
		for i := range n {
			req.Headers = append(req.Headers, signer.Header{Name: "x-oss-meta-field-" + strconv.Itoa(i), Value: "value " + strconv.Itoa(i)})
		}
		run("headers="+strconv.Itoa(n), req)
		req = benchReq
		for i := range n {
			req.Query = append(req.Query, signer.Param{Name: "param-" + strconv.Itoa(i), Value: "value " + strconv.Itoa(i)})
		}
		run("query="+strconv.Itoa(n), req)
	}
	for _, n := range []int{10, 100, 1000} {
		req := benchReq
		req.Key = strings.Repeat("k", n)
		run("key-bytes="+strconv.Itoa(n), req)
	}
}
