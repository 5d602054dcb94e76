package emulator_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written.
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsHoldNoSecrets runs STS and OSS traffic whose requests carry secrets in every place
// (Authorization headers, signed URLs, tokens) and checks the log has one line per request and
// no secret, token or signature in it.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs lockedBuffer
	e := newEnv(t, func(c *emulator.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	sts := e.stsCreds("logged", "")
	ctx := context.Background()
	client := e.client(osscreds.NewStaticCredentialsProvider(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken), false)
	_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("logged.txt"), Body: strings.NewReader("x")})
	require.NoError(t, err)
	v1 := e.client(osscreds.NewStaticCredentialsProvider(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken), true)
	presigned, err := v1.Presign(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("logged.txt")}, oss.PresignExpires(time.Minute))
	require.NoError(t, err)
	resp := e.send(e.newRequest("GET", presigned.URL, nil))
	require.Equal(t, 200, resp.status)
	wrong := e.newRequest("GET", e.objectURL(testBucket, "logged.txt"), nil)
	signHeader(t, wrong, testBucket, "logged.txt", osscreds.Credentials{AccessKeyID: testKeyID, AccessKeySecret: "wrong"}, time.Now(), false)
	require.Equal(t, 403, e.send(wrong).status)

	u, err := url.Parse(presigned.URL)
	require.NoError(t, err)
	out := logs.String()
	for name, secret := range map[string]string{
		"root secret": testSecret + `"`, "STS secret": sts.AccessKeySecret, "STS token": sts.SecurityToken,
		"URL signature": u.Query().Get("Signature"), "header signature": strings.SplitAfter(wrong.Header.Get("Authorization"), "Signature=")[1],
	} {
		assert.NotContains(t, out, secret, "the log holds the %s", name)
	}
	assert.Equal(t, 3, strings.Count(out, `"msg":"oss"`), "one line per OSS request:\n%s", out)
	assert.Equal(t, 1, strings.Count(out, `"msg":"sts"`))
	assert.Contains(t, out, `"code":"SignatureDoesNotMatch"`)
	assert.Contains(t, out, sts.AccessKeyID, "AccessKey ids are not secret and help debugging")
}
