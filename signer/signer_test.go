package signer_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	osssigner "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

// signerMidnight is a UTC midnight; signerMoments straddle it and the days around it, so a
// Signer's day cache is filled, replaced and filled again with an earlier day.
var (
	signerMidnight = time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	signerMoments  = []time.Time{
		signerMidnight.Add(-time.Second), signerMidnight, signerMidnight.Add(12 * time.Hour),
		signerMidnight.Add(24*time.Hour - time.Nanosecond), signerMidnight.Add(24 * time.Hour),
		signerMidnight.Add(-48 * time.Hour), signerMidnight.In(time.FixedZone("UTC+8", 8*3600)).Add(-time.Hour),
	}
)

// One Signer kept across UTC days (forth and back over midnight) and credential rotations
// (WithCredentials) signs every seeded request as the official Go SDK does, which derives the
// V4 signing key anew for each signature.
func TestReusedSignerAgainstSDKAcrossDaysAndRotations(t *testing.T) {
	r := rand.New(rand.NewPCG(diffSeed, 1<<40))
	target := signer.Target{Region: diffRegion, Endpoint: "http://" + diffHost}
	creds := genCredentials(r)
	s, err := signer.NewSigner(target, creds)
	require.NoError(t, err)
	check := diffHeaderFormWith(&osssigner.SignerV4{}, false, func(c *diffCase) (signer.SignedRequest, error) {
		return s.SignHeaders(c.req, c.now)
	})
	rotations := 0
	for i := range 400 {
		if r.IntN(8) == 0 {
			creds = genCredentials(r)
			s = s.WithCredentials(creds)
			rotations++
		}
		c := genCase(rand.New(rand.NewPCG(diffSeed, uint64(i))), signer.V4)
		c.target, c.creds, c.now = target, creds, genPick(r, signerMoments...)
		ours, sdk, err := check(t, &c)
		if !diffCheck(t, fmt.Sprintf("step %d (after %d rotations)\n%s", i, rotations, c), c.req.Key, signer.V4, ours, sdk, err) {
			break
		}
	}
	assert.Greater(t, rotations, 20, "the sequence rotates the credentials")
}

// A Signer's results equal the functions' (which make a Signer per call) for every operation,
// version and kind of region, signing on one day, the next, and the first again; a Signer
// derived with EncodeSlash equals Target.EncodeSlash.
func TestReusedSignerMatchesFunctions(t *testing.T) {
	creds := signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: "sk", SecurityToken: "tok+/=", Expiration: signerMidnight.Add(72 * time.Hour)}
	req := signer.Request{Method: "PUT", Bucket: "examplebucket", Key: "users/42/a b.jpg", Expires: time.Hour,
		Headers: []signer.Header{{Name: "Content-Type", Value: "image/jpeg"}}, Query: []signer.Param{{Name: "versionId", Value: "v1"}}}
	policy := []byte(`{"expiration":"2024-03-02T00:00:00.000Z","conditions":[{"bucket":"examplebucket"}]}`)
	targets := []struct {
		name   string
		target signer.Target
	}{
		{"V4 cn-hangzhou", signer.Target{Region: "cn-hangzhou"}},
		{"V4 ap-southeast-1", signer.Target{Region: "oss-ap-southeast-1"}},
		{"V4 CloudBox", signer.Target{Region: "cb-f8z7yvzgwfkl9q0h", Endpoint: "cb-f8z7yvzgwfkl9q0h.cn-hangzhou.oss-cloudbox.aliyuncs.com"}},
		{"V4 encoded slash", signer.Target{Region: "cn-hangzhou", EncodeSlash: true}},
		{"V1", signer.Target{Region: "cn-hangzhou", Version: signer.V1}},
	}
	for _, tc := range targets {
		t.Run(tc.name, func(t *testing.T) {
			s, err := signer.NewSigner(tc.target, creds)
			require.NoError(t, err)
			plain := tc.target
			plain.EncodeSlash = false
			unencoded, err := signer.NewSigner(plain, creds)
			require.NoError(t, err)
			for _, now := range []time.Time{signerMidnight.Add(-time.Second), signerMidnight, signerMidnight.Add(-time.Second)} {
				wantURL, err := signer.Presign(tc.target, creds, req, now)
				require.NoError(t, err)
				gotURL, err := s.Presign(req, now)
				require.NoError(t, err)
				assert.Equal(t, wantURL, gotURL, "Presign at %s", now)
				derivedURL, err := unencoded.EncodeSlash(tc.target.EncodeSlash).Presign(req, now)
				require.NoError(t, err)
				assert.Equal(t, wantURL, derivedURL, "EncodeSlash(%t).Presign at %s", tc.target.EncodeSlash, now)

				wantHeaders, err := signer.SignHeaders(tc.target, creds, req, now)
				require.NoError(t, err)
				gotHeaders, err := s.SignHeaders(req, now)
				require.NoError(t, err)
				assert.Equal(t, wantHeaders, gotHeaders, "SignHeaders at %s", now)

				wantConds, err := signer.PostPolicyConditions(tc.target, creds, now)
				require.NoError(t, err)
				gotConds, err := s.PostPolicyConditions(now)
				require.NoError(t, err)
				assert.Equal(t, wantConds, gotConds, "PostPolicyConditions at %s", now)

				wantForm, err := signer.SignPostObject(tc.target, creds, "examplebucket", policy, now)
				require.NoError(t, err)
				gotForm, err := s.SignPostObject("examplebucket", policy, now)
				require.NoError(t, err)
				assert.Equal(t, wantForm, gotForm, "SignPostObject at %s", now)
			}
		})
	}
}

// Errors come in the functions' order: the request's first, then the credentials' (missing,
// malformed, expired at the signing time), with the same codes.
func TestReusedSignerErrors(t *testing.T) {
	target := signer.Target{Region: "cn-hangzhou"}
	good := signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k"}
	bad := signer.Request{Method: "GET", Bucket: "Bad_Bucket", Key: "k"}
	cases := []struct {
		name  string
		creds signer.Credentials
		req   signer.Request
		want  signer.ErrorCode
	}{
		{"no credentials", signer.Credentials{}, good, signer.CodeMissingCredentials},
		{"no credentials, bad request", signer.Credentials{}, bad, signer.CodeInvalidBucket},
		{"a space in the secret", signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "s k"}, good, signer.CodeInvalidCredentials},
		{"STS key without token", signer.Credentials{AccessKeyID: "STS.ak", AccessKeySecret: "sk"}, good, signer.CodeInvalidCredentials},
		{"expired", signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", Expiration: signerMidnight}, good, signer.CodeExpiredCredentials},
		{"expired, bad request", signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", Expiration: signerMidnight}, bad, signer.CodeInvalidBucket},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := signer.NewSigner(target, c.creds)
			require.NoError(t, err, "only the target is checked up front")
			_, funcErr := signer.Presign(target, c.creds, c.req, signerMidnight)
			_, err = s.Presign(c.req, signerMidnight)
			assert.ErrorIs(t, err, &signer.Error{Code: c.want})
			assert.Equal(t, funcErr, err)
			_, err = s.SignHeaders(c.req, signerMidnight)
			assert.ErrorIs(t, err, &signer.Error{Code: c.want})
			if c.req.Bucket == good.Bucket {
				_, err = s.PostPolicyConditions(signerMidnight)
				assert.ErrorIs(t, err, &signer.Error{Code: c.want})
				_, err = s.SignPostObject("examplebucket", []byte(`{"conditions":[]}`), signerMidnight)
				assert.ErrorIs(t, err, &signer.Error{Code: c.want})
			}
		})
	}
	_, err := signer.NewSigner(signer.Target{}, signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"})
	assert.ErrorIs(t, err, &signer.Error{Code: signer.CodeInvalidRegion})
}

// Goroutines sharing one Signer, each signing keys on days in its own order, half of them by
// AppendPresignedURL, all get the functions' results (go test -race checks the sharing of the
// day's, the second's and the last request's caches).
func TestReusedSignerConcurrentUse(t *testing.T) {
	target := signer.Target{Region: "cn-hangzhou"}
	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	req := signer.Request{Method: "GET", Bucket: "examplebucket"}
	keys := []string{"k", "a/b", "c d"}
	type moment struct {
		now time.Time
		key string
	}
	want := map[moment]string{}
	for _, now := range signerMoments {
		for _, key := range keys {
			req.Key = key
			p, err := signer.Presign(target, creds, req, now)
			require.NoError(t, err)
			want[moment{now, key}] = p.URL
		}
	}
	s, err := signer.NewSigner(target, creds)
	require.NoError(t, err)
	var wg sync.WaitGroup
	got := make([][]string, 8)
	for g := range got {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 9))
			for range 200 {
				m := moment{genPick(r, signerMoments...), genPick(r, keys...)}
				req := req
				req.Key = m.key
				var url string
				var err error
				if g%2 == 0 {
					var p signer.Presigned
					p, err = s.Presign(req, m.now)
					url = p.URL
				} else {
					var b []byte
					b, err = s.AppendPresignedURL(nil, req, m.now)
					url = string(b)
				}
				if err != nil || url != want[m] {
					got[g] = append(got[g], fmt.Sprintf("%q at %s: %v %s", m.key, m.now, err, url))
				}
			}
		})
	}
	wg.Wait()
	for g, wrong := range got {
		assert.Empty(t, wrong, "goroutine %d", g)
	}
}

// AppendPresignedURL appends exactly Presign's URL, or returns its error with the buffer
// unchanged: one Signer signs seeded requests of both versions at moments that repeat a second
// (the second's, the lifetime's and the request's caches hit), cross midnight and go back, into
// a buffer that holds earlier URLs and spare room with old bytes in it. Each request is signed
// again a moment later for other keys (valid or not), alone or with one more thing changed,
// also by the Signer EncodeSlash derives, which shares the caches.
func TestReusedSignerAppendPresignedURL(t *testing.T) {
	moments := append(slices.Clone(signerMoments), signerMidnight.Add(999*time.Millisecond), signerMidnight.Add(time.Second))
	changes := []struct {
		name   string
		change func(r *rand.Rand, req *signer.Request, at *time.Time)
	}{
		{"key", func(*rand.Rand, *signer.Request, *time.Time) {}},
		{"second", func(_ *rand.Rand, _ *signer.Request, at *time.Time) { *at = at.Add(time.Second) }},
		{"method", func(r *rand.Rand, req *signer.Request, _ *time.Time) { req.Method = genMethod(r) }},
		{"bucket", func(r *rand.Rand, req *signer.Request, _ *time.Time) { req.Bucket = genBucket(r) }},
		{"expiry", func(_ *rand.Rand, req *signer.Request, _ *time.Time) { req.Expires += time.Second }},
		{"query", func(r *rand.Rand, req *signer.Request, _ *time.Time) {
			req.Query = append(slices.Clone(req.Query), signer.Param{Name: "versionId", Value: genKey(r)})
		}},
		{"headers", func(r *rand.Rand, req *signer.Request, _ *time.Time) { req.Headers = genHeaders(r) }},
		{"additional", func(_ *rand.Rand, req *signer.Request, _ *time.Time) {
			req.AdditionalHeaders = append(req.AdditionalHeaders, "host")
		}},
	}
	for _, v := range []signer.Version{signer.V4, signer.V1} {
		t.Run(string(v), func(t *testing.T) {
			r := rand.New(rand.NewPCG(diffSeed, 77))
			creds := genCredentials(r)
			creds.Expiration = signerMidnight.Add(time.Duration(r.IntN(7200)) * time.Second)
			target := signer.Target{Region: diffRegion, Endpoint: "http://" + diffHost, Version: v}
			s, err := signer.NewSigner(target, creds)
			require.NoError(t, err)
			buf := append(make([]byte, 0, 4096), "earlier URLs\n"...)
			for i := range 400 {
				c := genCase(rand.New(rand.NewPCG(diffSeed, uint64(i))), v)
				now := genPick(r, moments...)
				for j := range 4 {
					req, at, tgt, change := c.req, now, target, "none"
					if j > 0 {
						ch := genPick(r, changes...)
						req.Key, at, change = genPick(r, genKey(r), genKey(r), genInvalidKey(r)), now.Truncate(time.Second).Add(time.Duration(r.IntN(1000))*time.Millisecond), ch.name
						ch.change(r, &req, &at)
						tgt.EncodeSlash = r.IntN(4) == 0
					}
					signs := s.EncodeSlash(tgt.EncodeSlash)
					want, wantErr := signer.Presign(tgt, creds, req, at)
					before := string(buf)
					got, err := signs.AppendPresignedURL(buf, req, at)
					where := fmt.Sprintf("case %d.%d at %s (changed: %s; EncodeSlash %t)\nkey %q\n%s", i, j, at, change, tgt.EncodeSlash, req.Key, c)
					if wantErr != nil {
						assert.Equal(t, wantErr, err, where)
						assert.Equal(t, before, string(got), "%s: the buffer on error", where)
						continue
					}
					require.NoError(t, err, where)
					if !assert.Equal(t, before+want.URL, string(got), where) {
						return
					}
					buf = append(got, '\n')
					if len(buf) > 3000 {
						buf = buf[:0]
					}
				}
			}
		})
	}
}
