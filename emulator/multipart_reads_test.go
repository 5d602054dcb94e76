package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// startUpload initiates a multipart upload of key and uploads parts, numbered from 1.
func startUpload(t testing.TB, client *oss.Client, key string, parts ...[]byte) (*string, []oss.UploadPart) {
	t.Helper()
	ctx := context.Background()
	init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	var listed []oss.UploadPart
	for i, data := range parts {
		up, err := client.UploadPart(ctx, &oss.UploadPartRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), UploadId: init.UploadId, PartNumber: int32(i + 1), Body: bytes.NewReader(data)})
		require.NoError(t, err)
		listed = append(listed, oss.UploadPart{PartNumber: int32(i + 1), ETag: up.ETag})
	}
	return init.UploadId, listed
}

// uploadParts uploads parts as a multipart upload of key and completes it.
func uploadParts(t *testing.T, client *oss.Client, key string, parts [][]byte) *oss.CompleteMultipartUploadResult {
	t.Helper()
	id, listed := startUpload(t, client, key, parts...)
	done, err := client.CompleteMultipartUpload(context.Background(), &oss.CompleteMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key),
		UploadId: id, CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: listed}})
	require.NoError(t, err)
	return done
}

// splitAt cuts data at the given offsets.
func splitAt(data []byte, cuts ...int) [][]byte {
	var parts [][]byte
	at := 0
	for _, c := range append(cuts, len(data)) {
		parts = append(parts, data[at:c])
		at = c
	}
	return parts
}

// TestMultipartObjectReads reads an object completed from parts of uneven sizes, which the
// emulator keeps as the parts' files: whole and by ranges that start, end or cross at part
// boundaries; copied by CopyObject; read by UploadPartCopy ranges across boundaries; hashed
// (CRC-64 and ETag); and decoded by image processing. Every read is the bytes uploaded.
func TestMultipartObjectReads(t *testing.T) {
	e := newEnv(t)
	client := e.rootClient()
	ctx := context.Background()
	data := randomBytes(3*(100<<10)+4321, 7)
	cuts := []int{100<<10 + 13, 2*(100<<10) + 20, 3*(100<<10) + 21}
	done := uploadParts(t, client, "mp/data.bin", splitAt(data, cuts...))
	assert.Equal(t, crc64ECMA(data), oss.ToString(done.HashCRC64), "the CRC-64 combined from the parts'")

	t.Run("whole", func(t *testing.T) {
		head, err := client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/data.bin")})
		require.NoError(t, err)
		assert.Equal(t, int64(len(data)), head.ContentLength)
		assert.Equal(t, "Multipart", oss.ToString(head.ObjectType))
		assert.Equal(t, oss.ToString(done.ETag), oss.ToString(head.ETag))
		assert.Equal(t, `"`+multipartETag(splitAt(data, cuts...))+`"`, oss.ToString(head.ETag))
		assert.True(t, bytes.Equal(data, getBodyFrom(t, client, testBucket, "mp/data.bin")))
	})

	t.Run("ranges", func(t *testing.T) {
		b := cuts[0]
		for _, r := range []struct{ name, header string }{
			{"inside the first part", "bytes=10-99"},
			{"ending at a boundary", "bytes=0-" + strconv.Itoa(b-1)},
			{"starting at a boundary", "bytes=" + strconv.Itoa(b) + "-" + strconv.Itoa(b+9)},
			{"across one boundary", "bytes=" + strconv.Itoa(b-5) + "-" + strconv.Itoa(b+5)},
			{"across every boundary", "bytes=7-" + strconv.Itoa(len(data)-2)},
			{"suffix in the last part", "bytes=-100"},
			{"open-ended from the second part", "bytes=" + strconv.Itoa(b+1) + "-"},
		} {
			t.Run(r.name, func(t *testing.T) {
				res, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/data.bin"), Range: oss.Ptr(r.header)})
				require.NoError(t, err)
				got := readAll(t, res.Body)
				res.Body.Close()
				var first, last int
				_, err = fmtSscanRange(oss.ToString(res.ContentRange), &first, &last)
				require.NoError(t, err, "Content-Range %q", oss.ToString(res.ContentRange))
				assert.True(t, bytes.Equal(data[first:last+1], got), "%s: bytes %d-%d", r.header, first, last)
			})
		}
	})

	t.Run("CopyObject", func(t *testing.T) {
		_, err := client.CopyObject(ctx, &oss.CopyObjectRequest{Bucket: oss.Ptr(otherBucket), Key: oss.Ptr("mp/copy.bin"), SourceBucket: oss.Ptr(testBucket), SourceKey: oss.Ptr("mp/data.bin")})
		require.NoError(t, err)
		assert.True(t, bytes.Equal(data, getBodyFrom(t, client, otherBucket, "mp/copy.bin")))
		// The copy has links of its own: deleting the source leaves it whole.
		_, err = client.DeleteObject(ctx, &oss.DeleteObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/data.bin")})
		require.NoError(t, err)
		assert.True(t, bytes.Equal(data, getBodyFrom(t, client, otherBucket, "mp/copy.bin")))
	})

	t.Run("UploadPartCopy across boundaries", func(t *testing.T) {
		init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/recopied.bin")})
		require.NoError(t, err)
		ranges := [][2]int{{50, 50 + 150<<10}, {50 + 150<<10 + 1, len(data) - 1}}
		var parts []oss.UploadPart
		for i, r := range ranges {
			res, err := client.UploadPartCopy(ctx, &oss.UploadPartCopyRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/recopied.bin"), UploadId: init.UploadId,
				PartNumber: int32(i + 1), SourceBucket: oss.Ptr(otherBucket), SourceKey: oss.Ptr("mp/copy.bin"),
				Range: oss.Ptr("bytes=" + strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1]))})
			require.NoError(t, err)
			parts = append(parts, oss.UploadPart{PartNumber: int32(i + 1), ETag: res.ETag})
		}
		_, err = client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/recopied.bin"),
			UploadId: init.UploadId, CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: parts}})
		require.NoError(t, err)
		assert.True(t, bytes.Equal(data[50:], getBodyFrom(t, client, testBucket, "mp/recopied.bin")))
	})

	t.Run("image processing", func(t *testing.T) {
		pic := noisePNG(t, 320, 320)
		require.Greater(t, len(pic), 3*(100<<10), "the PNG spans several parts")
		uploadParts(t, client, "mp/pic.png", splitAt(pic, 100<<10, 200<<10, 300<<10))
		resp := e.rootRequest("GET", testBucket, "mp/pic.png", "x-oss-process="+url.QueryEscape("image/info"), nil, nil)
		require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
		var info map[string]struct{ Value string }
		require.NoError(t, json.Unmarshal(resp.body, &info))
		assert.Equal(t, "320", info["ImageWidth"].Value)
		assert.Equal(t, strconv.Itoa(len(pic)), info["FileSize"].Value)
		resp = e.rootRequest("GET", testBucket, "mp/pic.png", "x-oss-process="+url.QueryEscape("image/crop,w_10,h_10,g_se"), nil, nil)
		require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
		src, err := decodeImage(pic)
		require.NoError(t, err)
		got, err := decodeImage(resp.body)
		require.NoError(t, err)
		assert.Equal(t, src.At(319, 319), got.At(9, 9), "the last pixel, from the last part")
	})
}

// fmtSscanRange reads "bytes first-last/size".
func fmtSscanRange(v string, first, last *int) (int, error) {
	var size int
	return fmt.Sscanf(v, "bytes %d-%d/%d", first, last, &size)
}

// noisePNG encodes a w×h image of seeded random pixels (it does not compress).
func noisePNG(t *testing.T, w, h int) []byte {
	r := rand.New(rand.NewPCG(5, 5))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// TestMultipartObjectReadWhileReplaced starts reading a multipart object, deletes it and
// replaces it midway, and finishes reading: the reader gets the version it started with, and
// that version's files go once it is done.
func TestMultipartObjectReadWhileReplaced(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, func(c *emulator.Config) { c.DataDir = dir })
	client := e.rootClient()
	ctx := context.Background()
	old := randomBytes(12<<20, 3)
	uploadParts(t, client, "mp/replaced.bin", splitAt(old, 4<<20, 8<<20))
	res, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/replaced.bin")})
	require.NoError(t, err)
	head := make([]byte, 1000)
	_, err = io.ReadFull(res.Body, head)
	require.NoError(t, err)
	_, err = client.DeleteObject(ctx, &oss.DeleteObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("mp/replaced.bin")})
	require.NoError(t, err)
	putBytes(t, client, "mp/replaced.bin", []byte("new"))
	rest := readAll(t, res.Body)
	res.Body.Close()
	assert.True(t, bytes.Equal(old, append(head, rest...)), "the read finishes with the old version")
	assert.Equal(t, []byte("new"), getBodyFrom(t, client, testBucket, "mp/replaced.bin"))
	blobs := filepath.Join(dir, "buckets", testBucket, "blobs")
	assert.Eventually(t, func() bool { entries, _ := os.ReadDir(blobs); return len(entries) == 1 }, 5*time.Second, 10*time.Millisecond,
		"the old version's three files go once its reader is done")
}
