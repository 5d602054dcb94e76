package emulator_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestVirtualHostedSDK points the official SDK at http://localhost:PORT, which it addresses
// virtual-hosted (Host: bucket.localhost:PORT), with V4 and V1.
func TestVirtualHostedSDK(t *testing.T) {
	e := newEnv(t)
	endpoint := strings.Replace(e.srv.OSSEndpoint, "127.0.0.1", "localhost", 1)
	for _, v1 := range []bool{false, true} {
		name := map[bool]string{false: "V4", true: "V1"}[v1]
		t.Run(name, func(t *testing.T) {
			cfg := oss.LoadDefaultConfig().
				WithCredentialsProvider(osscreds.NewStaticCredentialsProvider(testKeyID, testSecret)).
				WithEndpoint(endpoint).WithRegion(testRegion).WithHttpClient(e.http).WithRetryMaxAttempts(1)
			if v1 {
				cfg = cfg.WithSignatureVersion(oss.SignatureVersionV1)
			}
			client := oss.NewClient(cfg)
			key := "virtual/" + name + "/a b.txt"
			_, err := client.PutObject(context.Background(), &oss.PutObjectRequest{Bucket: oss.Ptr(otherBucket), Key: oss.Ptr(key), Body: bytes.NewReader([]byte("vh"))})
			require.NoError(t, err)
			assert.Equal(t, []byte("vh"), getBodyFrom(t, client, otherBucket, key))
			// The same object, path-style.
			resp := e.rootRequest("GET", otherBucket, key, "", nil, nil)
			assert.Equal(t, "vh", string(resp.body))
		})
	}
}

// TestRouting checks addressing and the errors routing itself gives, and that every answer
// has an x-oss-request-id of its own.
func TestRouting(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.Hostnames = []string{"oss.test"} })
	require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, "dir/k", "", nil, []byte("routed")).status)
	cases := []struct {
		name       string
		host, path string
		bucket     string // the bucket signed for
		key        string
		wantStatus int
		wantCode   string
	}{
		{name: "path-style", host: "127.0.0.1", path: "/bucket/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "path-style, localhost", host: "localhost", path: "/bucket/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "virtual-hosted on localhost", host: "bucket.localhost", path: "/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "virtual-hosted on a configured host name", host: "bucket.oss.test", path: "/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "encoded slash in the path", host: "127.0.0.1", path: "/bucket/dir%2Fk", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "no such bucket", host: "127.0.0.1", path: "/nobucket/k", bucket: "nobucket", key: "k", wantStatus: 404, wantCode: "NoSuchBucket"},
		{name: "invalid bucket name", host: "Bad_Bucket.localhost", path: "/k", bucket: "bad_bucket", key: "k", wantStatus: 400, wantCode: "InvalidBucketName"},
		{name: "virtual-hosted on an OSS public host name, as ali-oss sends to an IP endpoint", host: "bucket.oss-cn-hangzhou.aliyuncs.com", path: "/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "virtual-hosted on an OSS internal host name", host: "bucket.oss-cn-hangzhou-internal.aliyuncs.com", path: "/dir/k", bucket: testBucket, key: "dir/k", wantStatus: 200},
		{name: "OSS host name of a bucket that does not exist", host: "nobucket.oss-cn-hangzhou.aliyuncs.com", path: "/dir/k", bucket: "nobucket", key: "dir/k", wantStatus: 404, wantCode: "NoSuchBucket"},
		{name: "unsupported sub-resource", host: "127.0.0.1", path: "/bucket/dir/k?tagging", bucket: testBucket, key: "dir/k", wantStatus: 501, wantCode: "NotImplemented"},
		{name: "image processing of an object that is no image", host: "127.0.0.1", path: "/bucket/dir/k?x-oss-process=image%2Fresize%2Cw_10", bucket: testBucket, key: "dir/k", wantStatus: 400, wantCode: "BadRequest"},
		{name: "service level", host: "127.0.0.1", path: "/", wantStatus: 501, wantCode: "NotImplemented"},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := e.newRequest("GET", e.srv.OSSEndpoint+tc.path, nil)
			req.Host = tc.host + ":" + strings.Split(e.srv.OSSEndpoint, ":")[2]
			signHeader(t, req, tc.bucket, tc.key, rootCreds, time.Now(), false)
			resp := e.send(req)
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			id := resp.header.Get("x-oss-request-id")
			assert.Len(t, id, 24)
			assert.False(t, seen[id], "request ids are unique")
			seen[id] = true
			assert.Equal(t, "AliyunOSS", resp.header.Get("Server"))
			assert.NotEmpty(t, resp.header.Get("Date"))
			if tc.wantCode != "" {
				assert.Equal(t, tc.wantCode, parseError(t, resp.body).Code)
				return
			}
			assert.Equal(t, "routed", string(resp.body))
		})
	}
}

// getBodyFrom reads an object with the SDK.
func getBodyFrom(t *testing.T, client *oss.Client, bucket, key string) []byte {
	t.Helper()
	res, err := client.GetObject(context.Background(), &oss.GetObjectRequest{Bucket: oss.Ptr(bucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	defer res.Body.Close()
	return readAll(t, res.Body)
}
