package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
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

// TestOpenUploadsAndPartLog checks OpenUploads lists an unfinished upload with its parts and
// drops it once aborted, and that the request log gives each UploadPart's part number and
// body size (what a test of a resuming client counts).
func TestOpenUploadsAndPartLog(t *testing.T) {
	var logs lockedBuffer
	e := newEnv(t, func(c *emulator.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	client := e.rootClient()
	ctx := context.Background()
	init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("open/a")})
	require.NoError(t, err)
	_, err = client.UploadPart(ctx, &oss.UploadPartRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("open/a"),
		UploadId: init.UploadId, PartNumber: 3, Body: bytes.NewReader(make([]byte, 1234))})
	require.NoError(t, err)

	assert.Equal(t, []emulator.OpenUpload{{Key: "open/a", UploadID: *init.UploadId, Parts: 1}}, e.emu.OpenUploads(testBucket))
	assert.Empty(t, e.emu.OpenUploads(otherBucket))

	var part map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &entry))
		if entry["op"] == "UploadPart" {
			part = entry
		}
	}
	require.NotNil(t, part, "the log has the UploadPart line:\n%s", logs.String())
	assert.Equal(t, "3", part["part_number"])
	assert.EqualValues(t, 1234, part["body_bytes"])

	_, err = client.AbortMultipartUpload(ctx, &oss.AbortMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("open/a"), UploadId: init.UploadId})
	require.NoError(t, err)
	assert.Empty(t, e.emu.OpenUploads(testBucket))
}

// TestRangedGetLog checks the request log gives a GET's Range and the body bytes it sent (what
// a test of a media element that seeks counts).
func TestRangedGetLog(t *testing.T) {
	var logs lockedBuffer
	e := newEnv(t, func(c *emulator.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	client := e.rootClient()
	ctx := context.Background()
	_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("ranged"), Body: bytes.NewReader(make([]byte, 1000))})
	require.NoError(t, err)
	for _, rng := range []string{"bytes=100-199", ""} {
		req := &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("ranged")}
		if rng != "" {
			req.Range = oss.Ptr(rng)
		}
		res, err := client.GetObject(ctx, req)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, res.Body)
		require.NoError(t, err)
		res.Body.Close()
	}
	var gets []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &entry))
		if entry["op"] == "GetObject" {
			gets = append(gets, entry)
		}
	}
	require.Len(t, gets, 2, logs.String())
	assert.Equal(t, "bytes=100-199", gets[0]["range"])
	assert.EqualValues(t, 206, gets[0]["status"])
	assert.EqualValues(t, 100, gets[0]["sent_bytes"])
	assert.NotContains(t, gets[1], "range")
	assert.EqualValues(t, 1000, gets[1]["sent_bytes"])
}

// TestIssueCredentials checks credentials minted with a short lifetime work until their
// expiry and are then refused with SecurityTokenExpired; a session policy applies to them;
// bad arguments are refused.
func TestIssueCredentials(t *testing.T) {
	clock := &testClock{}
	clock.Set(time.Now())
	e := newEnv(t, withClock(clock))
	policy := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:` + testBucket + `/mine/*"}]}`
	creds, err := e.emu.IssueCredentials("short-lived", policy, 60*time.Second)
	require.NoError(t, err)
	assert.WithinDuration(t, clock.Now().Add(60*time.Second), creds.Expiration, time.Second)
	client := e.client(osscreds.NewStaticCredentialsProvider(creds.AccessKeyID, creds.AccessKeySecret, creds.SecurityToken), false)
	put := func(key string) error {
		_, err := client.PutObject(context.Background(), &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Body: strings.NewReader("x")},
			func(o *oss.Options) { o.RetryMaxAttempts = oss.Ptr(1) })
		return err
	}
	require.NoError(t, put("mine/ok"))
	var se *oss.ServiceError
	require.ErrorAs(t, put("theirs/no"), &se)
	assert.Equal(t, "AccessDenied", se.Code, "the session policy applies")

	clock.Set(creds.Expiration.Add(time.Second))
	require.ErrorAs(t, put("mine/late"), &se)
	assert.Equal(t, http.StatusForbidden, se.StatusCode)
	assert.Equal(t, "SecurityTokenExpired", se.Code)

	for name, call := range map[string]func() error{
		"lifetime below a second": func() error { _, err := e.emu.IssueCredentials("s1", "", time.Millisecond); return err },
		"bad session name":        func() error { _, err := e.emu.IssueCredentials("x", "", time.Minute); return err },
		"bad policy":              func() error { _, err := e.emu.IssueCredentials("s1", "{", time.Minute); return err },
	} {
		assert.Error(t, call(), name)
	}
}
