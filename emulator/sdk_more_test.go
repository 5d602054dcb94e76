package emulator_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOfficialSDKMoreCalls drives the calls the SDKs make beyond put/get/list/multipart with the
// official Go SDK v2: its Copier (multipart copy), CopyObject, DeleteMultipleObjects,
// object ACLs, AppendObject with its CRC-64 check, the ListMultipartUploads paginator and
// image processing.
func TestOfficialSDKMoreCalls(t *testing.T) {
	e := newEnv(t)
	client := e.rootClient()
	t.Run("Copier copies 30 MB by UploadPartCopy", func(t *testing.T) { sdkCopier(t, client) })
	t.Run("CopyObject with COPY and REPLACE metadata", func(t *testing.T) { sdkCopyObject(t, client) })
	t.Run("DeleteMultipleObjects of 1000 keys", func(t *testing.T) { sdkDeleteMultiple(t, client) })
	t.Run("PutObjectAcl and GetObjectAcl", func(t *testing.T) { sdkObjectACL(t, e, client) })
	t.Run("AppendObject three times with the CRC-64 check", func(t *testing.T) { sdkAppend(t, client) })
	t.Run("ListMultipartUploads paginator", func(t *testing.T) { sdkListUploads(t, client) })
	t.Run("x-oss-process and ProcessObject on a PNG", func(t *testing.T) { sdkProcess(t, client) })
}

// randomBytes returns n bytes of a seeded random sequence.
func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(seed)}).Read(b)
	return b
}

// putBytes puts data as bucket/key with the SDK.
func putBytes(t *testing.T, client *oss.Client, key string, data []byte, optFns ...func(*oss.PutObjectRequest)) *oss.PutObjectResult {
	t.Helper()
	req := &oss.PutObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), Body: bytes.NewReader(data)}
	for _, f := range optFns {
		f(req)
	}
	res, err := client.PutObject(context.Background(), req)
	require.NoError(t, err)
	return res
}

func sdkCopier(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	data := randomBytes(30<<20, 1)
	putBytes(t, client, "copier/source.bin", data, func(r *oss.PutObjectRequest) { r.Metadata = map[string]string{"origin": "copier"} })
	copier := client.NewCopier(func(o *oss.CopierOptions) {
		o.PartSize = 10 << 20
		o.MultipartCopyThreshold = 10 << 20
		o.DisableShallowCopy = true
	})
	res, err := copier.Copy(ctx, &oss.CopyObjectRequest{
		Bucket: oss.Ptr(otherBucket), Key: oss.Ptr("copier/copy.bin"), SourceBucket: oss.Ptr(testBucket), SourceKey: oss.Ptr("copier/source.bin"),
	})
	require.NoError(t, err, "the Copier compares the copy's CRC-64 with the source's")
	assert.NotEmpty(t, oss.ToString(res.UploadId), "a multipart copy")
	assert.True(t, strings.HasSuffix(oss.ToString(res.ETag), `-3"`), "three 10 MB parts: %s", oss.ToString(res.ETag))
	assert.Equal(t, crc64ECMA(data), oss.ToString(res.HashCRC64))
	got := getBodyFrom(t, client, otherBucket, "copier/copy.bin")
	assert.True(t, bytes.Equal(data, got), "the copy has the source's bytes")
	head, err := client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(otherBucket), Key: oss.Ptr("copier/copy.bin")})
	require.NoError(t, err)
	assert.Equal(t, "copier", head.Metadata["origin"], "the Copier carries the source's metadata")
}

func sdkCopyObject(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	putBytes(t, client, "copy/src.txt", []byte("copy me"), func(r *oss.PutObjectRequest) {
		r.ContentType = oss.Ptr("text/plain")
		r.Metadata = map[string]string{"a": "1"}
	})
	cases := []struct {
		name      string
		directive *string
		wantType  string
		wantMeta  map[string]string
	}{
		{"COPY (the default) keeps the source's metadata", nil, "text/plain", map[string]string{"A": "1"}},
		{"REPLACE takes the request's", oss.Ptr("REPLACE"), "application/json", map[string]string{"B": "2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := "copy/dst-" + oss.ToString(tc.directive) + ".txt"
			res, err := client.CopyObject(ctx, &oss.CopyObjectRequest{
				Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), SourceKey: oss.Ptr("copy/src.txt"),
				MetadataDirective: tc.directive, ContentType: oss.Ptr("application/json"), Metadata: map[string]string{"b": "2"},
			})
			require.NoError(t, err)
			assert.Equal(t, crc64ECMA([]byte("copy me")), oss.ToString(res.HashCRC64))
			head, err := client.HeadObject(ctx, &oss.HeadObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
			require.NoError(t, err)
			assert.Equal(t, tc.wantType, oss.ToString(head.ContentType))
			meta := map[string]string{}
			for k, v := range head.Metadata {
				meta[strings.ToUpper(k)] = v
			}
			assert.Equal(t, tc.wantMeta, meta)
			assert.Equal(t, []byte("copy me"), getBodyFrom(t, client, testBucket, key))
		})
	}
}

func sdkDeleteMultiple(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	var objects []oss.DeleteObject
	for i := range 1000 {
		key := fmt.Sprintf("batch/%04d +&<>.txt", i)
		putBytes(t, client, key, []byte{byte(i)})
		objects = append(objects, oss.DeleteObject{Key: oss.Ptr(key)})
	}
	res, err := client.DeleteMultipleObjects(ctx, &oss.DeleteMultipleObjectsRequest{Bucket: oss.Ptr(testBucket), Objects: objects})
	require.NoError(t, err)
	require.Len(t, res.DeletedObjects, 1000)
	assert.Equal(t, "batch/0999 +&<>.txt", oss.ToString(res.DeletedObjects[999].Key), "the SDK decodes the url-encoded keys")
	list, err := client.ListObjectsV2(ctx, &oss.ListObjectsV2Request{Bucket: oss.Ptr(testBucket), Prefix: oss.Ptr("batch/")})
	require.NoError(t, err)
	assert.Empty(t, list.Contents)

	quiet, err := client.DeleteMultipleObjects(ctx, &oss.DeleteMultipleObjectsRequest{Bucket: oss.Ptr(testBucket), Objects: objects[:2], Quiet: true})
	require.NoError(t, err)
	assert.Empty(t, quiet.DeletedObjects, "quiet mode lists nothing")
}

func sdkObjectACL(t *testing.T, e *env, client *oss.Client) {
	ctx := context.Background()
	putBytes(t, client, "acl/photo.txt", []byte("public soon"))
	anonymous := func() int { return e.send(e.newRequest("GET", e.objectURL(testBucket, "acl/photo.txt"), nil)).status }
	acl := func() string {
		res, err := client.GetObjectAcl(ctx, &oss.GetObjectAclRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("acl/photo.txt")})
		require.NoError(t, err)
		return oss.ToString(res.ACL)
	}
	assert.Equal(t, "default", acl())
	assert.Equal(t, http.StatusForbidden, anonymous())
	for _, tc := range []struct {
		acl        oss.ObjectACLType
		wantStatus int
	}{{oss.ObjectACLPublicRead, 200}, {oss.ObjectACLPublicReadWrite, 200}, {oss.ObjectACLPrivate, 403}, {oss.ObjectACLDefault, 403}} {
		_, err := client.PutObjectAcl(ctx, &oss.PutObjectAclRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("acl/photo.txt"), Acl: tc.acl})
		require.NoError(t, err)
		assert.Equal(t, string(tc.acl), acl())
		assert.Equal(t, tc.wantStatus, anonymous(), "anonymous GET with ACL %s", tc.acl)
	}
	putBytes(t, client, "acl/put-public.txt", []byte("x"), func(r *oss.PutObjectRequest) { r.Acl = oss.ObjectACLPublicRead })
	assert.Equal(t, http.StatusOK, e.send(e.newRequest("HEAD", e.objectURL(testBucket, "acl/put-public.txt"), nil)).status,
		"x-oss-object-acl on PutObject is stored")
}

func sdkAppend(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	chunks := [][]byte{[]byte("first line\n"), randomBytes(200<<10, 2), []byte("last line\n")}
	pos, crc := int64(0), "0"
	for i, chunk := range chunks {
		res, err := client.AppendObject(ctx, &oss.AppendObjectRequest{
			Bucket: oss.Ptr(testBucket), Key: oss.Ptr("append/log.txt"), Position: oss.Ptr(pos), Body: bytes.NewReader(chunk),
			InitHashCRC64: oss.Ptr(crc),
		})
		require.NoError(t, err, "append %d: the SDK chains its CRC-64 with the emulator's", i+1)
		pos, crc = res.NextPosition, oss.ToString(res.HashCRC64)
	}
	whole := bytes.Join(chunks, nil)
	assert.Equal(t, int64(len(whole)), pos)
	assert.Equal(t, crc64ECMA(whole), crc)
	assert.Equal(t, whole, getBodyFrom(t, client, testBucket, "append/log.txt"))

	_, err := client.AppendObject(ctx, &oss.AppendObjectRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr("append/log.txt"), Position: oss.Ptr(int64(3)), Body: strings.NewReader("x"),
	})
	var se *oss.ServiceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "PositionNotEqualToLength", se.Code)
	assert.Equal(t, fmt.Sprint(len(whole)), se.Headers.Get("x-oss-next-append-position"))
}

func sdkListUploads(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	var want []string
	for _, key := range []string{"uploads/a/1", "uploads/a/2", "uploads/b", "uploads/b", "uploads/c d"} {
		init, err := client.InitiateMultipartUpload(ctx, &oss.InitiateMultipartUploadRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key)})
		require.NoError(t, err)
		want = append(want, key+" "+oss.ToString(init.UploadId))
	}
	p := client.NewListMultipartUploadsPaginator(&oss.ListMultipartUploadsRequest{Bucket: oss.Ptr(testBucket), Prefix: oss.Ptr("uploads/"), MaxUploads: 2})
	var got []string
	pages := 0
	for p.HasNext() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, u := range page.Uploads {
			got = append(got, oss.ToString(u.Key)+" "+oss.ToString(u.UploadId))
		}
	}
	assert.Equal(t, want, got, "key order, then initiation order")
	assert.Equal(t, 3, pages)

	rolled, err := client.ListMultipartUploads(ctx, &oss.ListMultipartUploadsRequest{Bucket: oss.Ptr(testBucket), Prefix: oss.Ptr("uploads/"), Delimiter: oss.Ptr("/")})
	require.NoError(t, err)
	assert.Len(t, rolled.Uploads, 3, "uploads/a/1 and uploads/a/2 are rolled up into the common prefix uploads/a/")
}

// testPNG is a w×h PNG with a gradient.
func testPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func sdkProcess(t *testing.T, client *oss.Client) {
	ctx := context.Background()
	pic := testPNG(t, 200, 100)
	putBytes(t, client, "img/pic.png", pic)
	get := func(process string) *oss.GetObjectResult {
		res, err := client.GetObject(ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("img/pic.png"), Process: oss.Ptr(process)})
		require.NoError(t, err)
		return res
	}
	info := get("image/info")
	var doc map[string]map[string]string
	require.NoError(t, json.NewDecoder(info.Body).Decode(&doc))
	info.Body.Close()
	assert.Equal(t, map[string]map[string]string{
		"FileSize": {"value": fmt.Sprint(len(pic))}, "Format": {"value": "png"},
		"ImageHeight": {"value": "100"}, "ImageWidth": {"value": "200"},
	}, doc)

	resized := get("image/resize,w_50")
	cfg, format, err := image.DecodeConfig(resized.Body)
	resized.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "png", format)
	assert.Equal(t, [2]int{50, 25}, [2]int{cfg.Width, cfg.Height})

	saveAs := "img/thumb.jpg"
	res, err := client.ProcessObject(ctx, &oss.ProcessObjectRequest{
		Bucket: oss.Ptr(testBucket), Key: oss.Ptr("img/pic.png"),
		Process: oss.Ptr(fmt.Sprintf("image/resize,m_fill,w_40,h_40/format,jpg|sys/saveas,o_%s,b_%s",
			base64.URLEncoding.EncodeToString([]byte(saveAs)), base64.RawURLEncoding.EncodeToString([]byte(testBucket)))),
	})
	require.NoError(t, err)
	assert.Equal(t, "OK", res.ProcessStatus)
	assert.Equal(t, saveAs, res.Object)
	thumb := getBodyFrom(t, client, testBucket, saveAs)
	assert.Equal(t, len(thumb), res.FileSize)
	cfg, format, err = image.DecodeConfig(bytes.NewReader(thumb))
	require.NoError(t, err)
	assert.Equal(t, "jpeg", format)
	assert.Equal(t, [2]int{40, 40}, [2]int{cfg.Width, cfg.Height})
}
