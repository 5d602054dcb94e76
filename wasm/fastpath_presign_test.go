//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

// fastPathClient registers a client signing for target with creds, removed when t ends.
func fastPathClient(t testing.TB, target signer.Target, creds signer.Credentials) int32 {
	s, err := signer.NewSigner(target, creds)
	require.NoError(t, err)
	nextClientID++
	id := nextClientID
	clients[id] = &client{signer: s, encodeSlash: target.EncodeSlash}
	t.Cleanup(func() { delete(clients, id) })
	return id
}

// callFastPath writes fields into the I/O buffer as the JS package does and calls ossign_sign:
// the result fields, or the error's code and message.
func callFastPath(op, id int32, now time.Time, fields []string) (result []string, failed bool) {
	request := strings.Join(fields, "\x00") + "\x00"
	ossignReserve(int32(len(request)))
	n := ossignSign(op, id, float64(now.UnixMilli()), int32(copy(ioBuf, request)), int32(len(fields)))
	if n < 0 {
		return strings.Split(string(ioBuf[:-n]), "\x00"), true
	}
	return strings.Split(string(ioBuf[:n]), "\x00"), false
}

// The fast path's requests share one buffer of strings from call to call: each of a sequence
// of calls, URLs alone (op 5) and full presigns (op 1, with the headers read from the request),
// good and refused, gets what signer.Presign gives for the same request, whatever came before.
func TestFastPathPresignSequence(t *testing.T) {
	target := signer.Target{Region: "cn-hangzhou"}
	creds := signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: "sk", SecurityToken: "token", Expiration: time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)}
	id := fastPathClient(t, target, creds)
	now := time.Date(2026, 12, 6, 6, 0, 0, 0, time.UTC)
	type call struct {
		name   string
		op     int32
		at     time.Duration // after now
		fields []string
		req    signer.Request
	}
	put := func(key string) signer.Request {
		return signer.Request{Method: "PUT", Bucket: "examplebucket", Key: key, Expires: 30 * time.Minute,
			Headers: []signer.Header{{Name: "Content-Type", Value: "image/jpeg"}}}
	}
	calls := []call{
		{"URL", opPresignURL, 0, []string{"PUT", "examplebucket", "users/42/photo-1.jpg", "1800000", "0", "", "1", "Content-Type", "image/jpeg", "0", "0", "0"}, put("users/42/photo-1.jpg")},
		{"URL, same second", opPresignURL, 500 * time.Millisecond, []string{"PUT", "examplebucket", "users/42/é ü.jpg", "1800000", "0", "", "1", "Content-Type", "image/jpeg", "0", "0", "0"}, put("users/42/é ü.jpg")},
		{"presign with headers", opPresign, time.Second, []string{"PUT", "examplebucket", "a/b.txt", "1800000", "0", "", "2", "Content-Type", "text/plain", "x-oss-meta-owner", "ann", "1", "versionId", "v1", "0", "0"},
			signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "a/b.txt", Expires: 30 * time.Minute,
				Headers: []signer.Header{{Name: "Content-Type", Value: "text/plain"}, {Name: "x-oss-meta-owner", Value: "ann"}}, Query: []signer.Param{{Name: "versionId", Value: "v1"}}}},
		{"refused key", opPresignURL, time.Second, []string{"GET", "examplebucket", "a/../b", "", "0", "", "0", "0", "0", "0"}, signer.Request{Method: "GET", Bucket: "examplebucket", Key: "a/../b"}},
		{"clamped to the credentials", opPresignURL, 59 * time.Minute, []string{"GET", "examplebucket", "k", "3600000", "0", "", "0", "0", "0", "0"}, signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k", Expires: time.Hour}},
		{"URL again", opPresignURL, 59 * time.Minute, []string{"PUT", "examplebucket", "users/42/photo-2.jpg", "1800000", "0", "", "1", "Content-Type", "image/jpeg", "0", "0", "0"}, put("users/42/photo-2.jpg")},
	}
	for _, c := range calls {
		got, failed := callFastPath(c.op, id, now.Add(c.at), c.fields)
		want, err := signer.Presign(target, creds, c.req, now.Add(c.at))
		if err == nil {
			err = signer.BrowserAddressable(c.req.Key, false)
		}
		if err != nil {
			assert.True(t, failed, c.name)
			assert.Equal(t, []string{string(err.(*signer.Error).Code), err.Error()}, got, c.name)
			continue
		}
		require.False(t, failed, "%s: %v", c.name, got)
		assert.Equal(t, want.URL, got[0], c.name)
		if c.op == opPresignURL {
			assert.Len(t, got, 1, c.name)
			continue
		}
		var headers []string
		for _, h := range want.Headers {
			headers = append(headers, h.Name, h.Value)
		}
		assert.Equal(t, headers, got[5:], c.name)
	}
}
