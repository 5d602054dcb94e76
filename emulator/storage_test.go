package emulator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestStoragePersists restarts an emulator on the same data directory: objects keep their
// bytes, ETag, CRC-64 and headers, and a multipart upload in progress can be completed.
func TestStoragePersists(t *testing.T) {
	dir := t.TempDir()
	onDir := func(c *emulator.Config) { c.DataDir = dir }
	ctx := context.Background()
	first := newEnv(t, onDir)
	client := first.rootClient()
	put, err := client.PutObject(ctx, &oss.PutObjectRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr("kept.txt"), Body: bytes.NewReader([]byte("kept")),
		ContentType: oss.Ptr("text/x-kept"), Metadata: map[string]string{"owner": "42"},
	})
	require.NoError(t, err)
	init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("resumed.bin")})
	require.NoError(t, err)
	_, err = client.UploadPart(ctx, &oss.UploadPartRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("resumed.bin"), UploadId: init.UploadId, PartNumber: 1, Body: bytes.NewReader([]byte("part one"))})
	require.NoError(t, err)
	require.NoError(t, first.srv.Close())

	second := newEnv(t, onDir)
	client = second.rootClient()
	head, err := client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("kept.txt")})
	require.NoError(t, err)
	assert.Equal(t, oss.ToString(put.ETag), oss.ToString(head.ETag))
	assert.Equal(t, oss.ToString(put.HashCRC64), oss.ToString(head.HashCRC64))
	assert.Equal(t, "text/x-kept", oss.ToString(head.ContentType))
	assert.Equal(t, "42", head.Metadata["owner"])
	assert.Equal(t, []byte("kept"), getBodyFrom(t, client, testBucket, "kept.txt"))

	listed, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("resumed.bin"), UploadId: init.UploadId})
	require.NoError(t, err)
	require.Len(t, listed.Parts, 1)
	_, err = client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr("resumed.bin"), UploadId: init.UploadId,
		CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: []oss.UploadPart{{PartNumber: 1, ETag: listed.Parts[0].ETag}}},
	})
	require.NoError(t, err)
	assert.Equal(t, []byte("part one"), getBodyFrom(t, client, testBucket, "resumed.bin"))
	entries, err := os.ReadDir(filepath.Join(dir, "buckets", testBucket, "uploads"))
	require.NoError(t, err)
	assert.Empty(t, entries, "a completed upload leaves nothing behind")
}

// TestStorageCleansLeftovers plants what an interrupted write leaves (staged files, a blob no
// metadata refers to, unreadable metadata, a stray part file) and checks a restarted emulator
// removes them and keeps the real objects.
func TestStorageCleansLeftovers(t *testing.T) {
	dir := t.TempDir()
	onDir := func(c *emulator.Config) { c.DataDir = dir }
	first := newEnv(t, onDir)
	require.Equal(t, 200, first.rootRequest("PUT", testBucket, "real", "", nil, []byte("real")).status)
	init, err := first.rootClient().InitiateMultipartUpload(context.Background(), &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("up")})
	require.NoError(t, err)
	require.NoError(t, first.srv.Close())

	bucketDir := filepath.Join(dir, "buckets", testBucket)
	leftovers := map[string]string{
		filepath.Join(dir, "tmp", "stage-123"):                          "half a body",
		filepath.Join(bucketDir, "blobs", "orphan"):                     "bytes nobody refers to",
		filepath.Join(bucketDir, "objects", "broken.json"):              "{not json",
		filepath.Join(bucketDir, "uploads", *init.UploadId, "9-x.part"): "a part without metadata",
		filepath.Join(bucketDir, "uploads", "GONE", "upload.json"):      "{not json",
	}
	for path, content := range leftovers {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}

	second := newEnv(t, onDir)
	for path := range leftovers {
		_, err := os.Stat(path)
		assert.True(t, os.IsNotExist(err), "%s should be gone", path)
	}
	resp := second.rootRequest("GET", testBucket, "real", "", nil, nil)
	assert.Equal(t, 200, resp.status)
	assert.Equal(t, "real", string(resp.body))
	blobs, err := os.ReadDir(filepath.Join(bucketDir, "blobs"))
	require.NoError(t, err)
	assert.Len(t, blobs, 1, "only the real object's blob is left")
	_, err = second.rootClient().ListParts(context.Background(), &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("up"), UploadId: init.UploadId})
	assert.NoError(t, err, "the readable upload survives")
}

// TestStorageDropsTornParts: UploadPart leaves a part's file to the kernel (the object made of
// it is synced when it is completed), so after a power loss a part file may be short or gone.
// A restarted emulator drops such parts (ListParts no longer shows them, the client sends them
// again) and keeps the whole ones.
func TestStorageDropsTornParts(t *testing.T) {
	dir := t.TempDir()
	onDir := func(c *emulator.Config) { c.DataDir = dir }
	first := newEnv(t, onDir)
	id, _ := startUpload(t, first.rootClient(), "torn.bin", bytes.Repeat([]byte("a"), 100<<10), bytes.Repeat([]byte("b"), 100<<10), []byte("c"))
	require.NoError(t, first.srv.Close())

	uploadDir := filepath.Join(dir, "buckets", testBucket, "uploads", *id)
	files, err := filepath.Glob(filepath.Join(uploadDir, "*.part"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	for _, f := range files {
		switch filepath.Base(f)[:2] {
		case "2-":
			require.NoError(t, os.Truncate(f, 4096)) // written in part only
		case "3-":
			require.NoError(t, os.Remove(f)) // never written
		}
	}

	second := newEnv(t, onDir)
	listed, err := second.rootClient().ListParts(context.Background(), &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("torn.bin"), UploadId: id})
	require.NoError(t, err)
	require.Len(t, listed.Parts, 1)
	assert.Equal(t, int32(1), listed.Parts[0].PartNumber)
	left, err := filepath.Glob(filepath.Join(uploadDir, "*"))
	require.NoError(t, err)
	assert.Len(t, left, 3, "upload.json and part 1's two files")
}
