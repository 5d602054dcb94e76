package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOfficialSDK drives the emulator with the official OSS Go SDK v2, a client nobody here
// wrote: put, get (whole, Range, response-* overrides), head, list, multipart (by hand and
// through the SDK's Uploader), presigned GET and PUT, delete — with V4 and V1 signatures, and
// with static and STS credentials.
func TestOfficialSDK(t *testing.T) {
	e := newEnv(t)
	stsCreds := e.stsCreds("sdk-test", "")
	cases := []struct {
		name     string
		provider osscreds.CredentialsProvider
		v1       bool
	}{
		{"V4 static", osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), false},
		{"V1 static", osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), true},
		{"V4 STS", osscreds.NewStaticCredentialsProvider(stsCreds.AccessKeyID, stsCreds.AccessKeySecret, stsCreds.SecurityToken), false},
		{"V1 STS", osscreds.NewStaticCredentialsProvider(stsCreds.AccessKeyID, stsCreds.AccessKeySecret, stsCreds.SecurityToken), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client := e.client(tc.provider, tc.v1)
			prefix := strings.ReplaceAll(tc.name, " ", "-") + "/"
			sdkObjectRoundTrip(t, client, prefix)
			sdkList(t, client, prefix)
			sdkMultipart(t, client, prefix)
			sdkPresign(t, e, client, prefix)
		})
	}
}

// sdkObjectRoundTrip puts, gets, heads and deletes an object with a key that needs escaping.
func sdkObjectRoundTrip(t *testing.T, client *oss.Client, prefix string) {
	ctx := context.Background()
	key := prefix + "dir/a b+c ü.txt"
	data := []byte("hello, emulator")
	sum := md5.Sum(data)
	put, err := client.PutObject(ctx, &oss.PutObjectRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Body: bytes.NewReader(data),
		ContentType: oss.Ptr("text/plain"), Metadata: map[string]string{"author": "alice"},
	})
	require.NoError(t, err)
	assert.Equal(t, `"`+strings.ToUpper(hex.EncodeToString(sum[:]))+`"`, oss.ToString(put.ETag))
	assert.Equal(t, crc64ECMA(data), oss.ToString(put.HashCRC64))

	get, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	body, err := io.ReadAll(get.Body)
	get.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, data, body)
	assert.Equal(t, "text/plain", oss.ToString(get.ContentType))
	assert.Equal(t, "alice", get.Metadata["author"])

	ranged, err := client.GetObject(ctx, &oss.GetObjectRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Range: oss.Ptr("bytes=7-14"),
		ResponseContentType: oss.Ptr("application/x-test"), ResponseContentDisposition: oss.Ptr("attachment; filename=x.txt"),
	})
	require.NoError(t, err)
	body, err = io.ReadAll(ranged.Body)
	ranged.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "emulator", string(body))
	assert.Equal(t, 206, ranged.StatusCode)
	assert.Equal(t, "bytes 7-14/15", oss.ToString(ranged.ContentRange))
	assert.Equal(t, "application/x-test", oss.ToString(ranged.ContentType))
	assert.Equal(t, "attachment; filename=x.txt", ranged.Headers.Get("Content-Disposition"))

	head, err := client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	assert.Equal(t, int64(len(data)), head.ContentLength)
	assert.Equal(t, "Normal", oss.ToString(head.ObjectType))
	assert.Equal(t, oss.ToString(put.ETag), oss.ToString(head.ETag))
	meta, err := client.GetObjectMeta(ctx, &oss.GetObjectMetaRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	assert.Equal(t, int64(len(data)), meta.ContentLength)
	exists, err := client.IsObjectExist(ctx, testBucket, key)
	require.NoError(t, err)
	assert.True(t, exists)

	_, err = client.DeleteObject(ctx, &oss.DeleteObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	exists, err = client.IsObjectExist(ctx, testBucket, key)
	require.NoError(t, err)
	assert.False(t, exists)
	_, err = client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	var se *oss.ServiceError
	require.True(t, errors.As(err, &se), "HeadObject after delete: %v", err)
	assert.Equal(t, 404, se.StatusCode)
	assert.Equal(t, "NoSuchKey", se.Code, "the SDK reads HEAD errors from x-oss-err")
}

// sdkList lists with prefix, delimiter and a continuation token (two keys a page).
func sdkList(t *testing.T, client *oss.Client, prefix string) {
	ctx := context.Background()
	for _, k := range []string{"a/1", "a/2", "b", "c/x/1", "d"} {
		_, err := client.PutObject(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(prefix + "list/" + k), Body: strings.NewReader(k)})
		require.NoError(t, err)
	}
	p := client.NewListObjectsV2Paginator(&oss.ListObjectsV2Request{
		Bucket: oss.Ptr(testBucket), Prefix: oss.Ptr(prefix + "list/"), Delimiter: oss.Ptr("/"), MaxKeys: 2,
	})
	var keys, prefixes []string
	pages := 0
	for p.HasNext() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, o := range page.Contents {
			keys = append(keys, strings.TrimPrefix(oss.ToString(o.Key), prefix+"list/"))
		}
		for _, cp := range page.CommonPrefixes {
			prefixes = append(prefixes, strings.TrimPrefix(oss.ToString(cp.Prefix), prefix+"list/"))
		}
	}
	assert.Equal(t, []string{"b", "d"}, keys)
	assert.Equal(t, []string{"a/", "c/"}, prefixes)
	assert.Equal(t, 2, pages, "four entries, two a page")
}

// sdkMultipart uploads by hand (initiate, two parts, list parts, complete) and with the SDK's
// Uploader, then checks the OSS multipart ETag and the whole-object CRC-64.
func sdkMultipart(t *testing.T, client *oss.Client, prefix string) {
	ctx := context.Background()
	key := prefix + "multipart.bin"
	part1 := bytes.Repeat([]byte("0123456789abcdef"), 100<<10/16)
	part2 := []byte("the last part may be small")
	init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	var parts []oss.UploadPart
	for i, data := range [][]byte{part1, part2} {
		up, err := client.UploadPart(ctx, &oss.UploadPartRequest{
			Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), UploadId: init.UploadId, PartNumber: int32(i + 1), Body: bytes.NewReader(data),
		})
		require.NoError(t, err)
		parts = append(parts, oss.UploadPart{PartNumber: int32(i + 1), ETag: up.ETag})
	}
	listed, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), UploadId: init.UploadId})
	require.NoError(t, err)
	require.Len(t, listed.Parts, 2)
	assert.Equal(t, int64(len(part1)), listed.Parts[0].Size)
	assert.Equal(t, crc64ECMA(part2), oss.ToString(listed.Parts[1].HashCRC64))

	done, err := client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), UploadId: init.UploadId,
		CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: parts},
	})
	require.NoError(t, err)
	whole := append(bytes.Clone(part1), part2...)
	sum1, sum2 := md5.Sum(part1), md5.Sum(part2)
	etag := md5.Sum(append(sum1[:], sum2[:]...))
	assert.Equal(t, fmt.Sprintf(`"%X-2"`, etag), oss.ToString(done.ETag))
	assert.Equal(t, crc64ECMA(whole), oss.ToString(done.HashCRC64))
	got, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
	require.NoError(t, err)
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	assert.Equal(t, whole, body)
	assert.Equal(t, "Multipart", oss.ToString(got.ObjectType))

	big := bytes.Repeat([]byte("uploader"), 350<<10/8)
	u := client.NewUploader(func(o *oss.UploaderOptions) { o.PartSize = 100 << 10 })
	res, err := u.UploadFrom(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(prefix + "uploader.bin")}, bytes.NewReader(big))
	require.NoError(t, err, "the Uploader checks the combined CRC-64 of its parts against the emulator's")
	assert.Equal(t, crc64ECMA(big), oss.ToString(res.HashCRC64))

	aborted, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key + ".aborted")})
	require.NoError(t, err)
	_, err = client.AbortMultipartUpload(ctx, &oss.AbortMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key + ".aborted"), UploadId: aborted.UploadId})
	require.NoError(t, err)
	_, err = client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key + ".aborted"), UploadId: aborted.UploadId})
	var se *oss.ServiceError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "NoSuchUpload", se.Code)
}

// sdkPresign presigns a PUT (with its Content-Type signed) and a GET, and uses them with a
// plain HTTP client.
func sdkPresign(t *testing.T, e *env, client *oss.Client, prefix string) {
	ctx := context.Background()
	key := prefix + "presigned/photo 1+2.jpg"
	put, err := client.Presign(ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), ContentType: oss.Ptr("image/jpeg")},
		oss.PresignExpires(10*time.Minute))
	require.NoError(t, err)
	req := e.newRequest(put.Method, put.URL, []byte("jpeg bytes"))
	for name, v := range put.SignedHeaders {
		req.Header.Set(name, v)
	}
	resp := e.send(req)
	require.Equal(t, http.StatusOK, resp.status, "presigned PUT: %s", resp.body)

	get, err := client.Presign(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)}, oss.PresignExpires(10*time.Minute))
	require.NoError(t, err)
	resp = e.send(e.newRequest(get.Method, get.URL, nil))
	require.Equal(t, http.StatusOK, resp.status, "presigned GET: %s", resp.body)
	assert.Equal(t, "jpeg bytes", string(resp.body))
	assert.Equal(t, "image/jpeg", resp.header.Get("Content-Type"))
}
