package emulator_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompleteMultipartUploadChecks checks CompleteMultipartUpload's refusals and its
// "complete all" form, on uploads of three parts (100 KiB, 100 KiB, 5 bytes).
func TestCompleteMultipartUploadChecks(t *testing.T) {
	e := newEnv(t)
	client := e.rootClient()
	ctx := context.Background()
	small := []byte("small")
	full := bytes.Repeat([]byte("p"), 100<<10)
	cases := []struct {
		name     string
		sizes    [][]byte
		parts    func([]oss.UploadPart) []oss.UploadPart
		wantCode string
	}{
		{"parts out of order", [][]byte{full, full, small}, func(p []oss.UploadPart) []oss.UploadPart { return []oss.UploadPart{p[1], p[0], p[2]} }, "InvalidPartOrder"},
		{"a part with another ETag", [][]byte{full, full, small}, func(p []oss.UploadPart) []oss.UploadPart {
			p[1].ETag = oss.Ptr(`"00000000000000000000000000000000"`)
			return p
		}, "InvalidPart"},
		{"a part never uploaded", [][]byte{full, small}, func(p []oss.UploadPart) []oss.UploadPart {
			return append(p, oss.UploadPart{PartNumber: 7, ETag: p[0].ETag})
		}, "InvalidPart"},
		{"a small part that is not the last", [][]byte{full, small, small}, func(p []oss.UploadPart) []oss.UploadPart { return p }, "EntityTooSmall"},
		{"a subset of the parts", [][]byte{full, full, small}, func(p []oss.UploadPart) []oss.UploadPart { return []oss.UploadPart{p[0], p[2]} }, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("complete/%d", i)
			id, parts := startUpload(t, client, key, tc.sizes...)
			// The SDK sorts the parts it sends: send the list as the case has it.
			var body strings.Builder
			body.WriteString("<CompleteMultipartUpload>")
			for _, p := range tc.parts(parts) {
				fmt.Fprintf(&body, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", p.PartNumber, oss.ToString(p.ETag))
			}
			body.WriteString("</CompleteMultipartUpload>")
			resp := e.rootRequest("POST", testBucket, key, "uploadId="+*id, nil, []byte(body.String()))
			if tc.wantCode == "" {
				require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
				assert.Equal(t, append(bytes.Clone(full), small...), getBodyFrom(t, client, testBucket, key), "only the listed parts, in order")
				return
			}
			require.Equal(t, http.StatusBadRequest, resp.status, "body: %s", resp.body)
			assert.Equal(t, tc.wantCode, parseError(t, resp.body).Code)
			listed, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr(key), UploadId: id})
			require.NoError(t, err, "a refused completion keeps the upload")
			assert.Len(t, listed.Parts, len(tc.sizes))
		})
	}

	t.Run("complete all with x-oss-complete-all", func(t *testing.T) {
		id, _ := startUpload(t, client, "complete/all", full, small)
		_, err := client.CompleteMultipartUpload(ctx, &oss.CompleteMultipartUploadRequest{
			Bucket: oss.Ptr(testBucket), Key: oss.Ptr("complete/all"), UploadId: id, CompleteAll: oss.Ptr("yes"),
		})
		require.NoError(t, err)
		assert.Equal(t, append(bytes.Clone(full), small...), getBodyFrom(t, client, testBucket, "complete/all"))
	})

	t.Run("an upload id on another key", func(t *testing.T) {
		id, _ := startUpload(t, client, "complete/mine", small)
		_, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("complete/theirs"), UploadId: id})
		var se *oss.ServiceError
		require.True(t, errors.As(err, &se))
		assert.Equal(t, "NoSuchUpload", se.Code)
	})

	t.Run("ListParts pages with max-parts", func(t *testing.T) {
		id, _ := startUpload(t, client, "complete/pages", full, full, small)
		first, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("complete/pages"), UploadId: id, MaxParts: 2})
		require.NoError(t, err)
		assert.True(t, first.IsTruncated)
		assert.Len(t, first.Parts, 2)
		assert.Equal(t, int32(2), first.NextPartNumberMarker)
		rest, err := client.ListParts(ctx, &oss.ListPartsRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("complete/pages"), UploadId: id, PartNumberMarker: 2})
		require.NoError(t, err)
		assert.False(t, rest.IsTruncated)
		require.Len(t, rest.Parts, 1)
		assert.Equal(t, int32(3), rest.Parts[0].PartNumber)
	})

	t.Run("part number out of range", func(t *testing.T) {
		id, _ := startUpload(t, client, "complete/range")
		resp := e.rootRequest("PUT", testBucket, "complete/range", "partNumber=10001&uploadId="+*id, nil, []byte("x"))
		require.Equal(t, http.StatusBadRequest, resp.status)
		assert.Equal(t, "InvalidArgument", parseError(t, resp.body).Code)
	})

	t.Run("malformed completion body", func(t *testing.T) {
		id, _ := startUpload(t, client, "complete/xml", small)
		resp := e.rootRequest("POST", testBucket, "complete/xml", "uploadId="+*id, nil, []byte("<CompleteMultipartUpload><Part>"))
		require.Equal(t, http.StatusBadRequest, resp.status)
		assert.Equal(t, "MalformedXML", parseError(t, resp.body).Code)
	})
}

// TestListObjects checks listing beyond the SDK's paginator: V1 markers, encoding-type=url,
// start-after, a rolled-up prefix across pages, and max-keys validation.
func TestListObjects(t *testing.T) {
	e := newEnv(t)
	for _, k := range []string{"a/1", "a/2", "a/3", "b c+d", "e"} {
		require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, k, "", nil, []byte(k)).status)
	}
	cases := []struct {
		name     string
		query    string
		contains []string
		excludes []string
	}{
		{"V1 first page", "max-keys=2", []string{"<Key>a/1</Key>", "<Key>a/2</Key>", "<IsTruncated>true</IsTruncated>", "<NextMarker>a/2</NextMarker>", "<Owner>"}, []string{"<Key>a/3</Key>"}},
		{"V1 after a marker", "marker=a%2F2", []string{"<Key>a/3</Key>", "<Key>b c+d</Key>", "<IsTruncated>false</IsTruncated>"}, []string{"<Key>a/2</Key>"}},
		{"V1 with a delimiter", "delimiter=%2F", []string{"<Prefix>a/</Prefix>", "<Key>e</Key>"}, []string{"<Key>a/1</Key>"}},
		{"V1 marker on a common prefix", "delimiter=%2F&marker=a%2F", []string{"<Key>b c+d</Key>", "<Key>e</Key>"}, []string{"<Prefix>a/</Prefix>"}},
		{"V2 start-after", "list-type=2&start-after=a%2F3", []string{"<Key>b c+d</Key>", "<KeyCount>2</KeyCount>", "<StartAfter>a/3</StartAfter>"}, []string{"<Key>a/3</Key>", "<Owner>"}},
		{"V2 fetch-owner", "list-type=2&fetch-owner=true&max-keys=1", []string{"<Owner><ID>1234567890123456</ID>"}, nil},
		{"V2 encoding-type=url", "list-type=2&encoding-type=url&prefix=b", []string{"<Key>b%20c%2Bd</Key>", "<EncodingType>url</EncodingType>"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.rootRequest("GET", testBucket, "", tc.query, nil, nil)
			require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
			for _, s := range tc.contains {
				assert.Contains(t, string(resp.body), s)
			}
			for _, s := range tc.excludes {
				assert.NotContains(t, string(resp.body), s)
			}
		})
	}

	t.Run("a rolled-up prefix spanning pages is listed once", func(t *testing.T) {
		var entries []string
		token := ""
		for range 10 {
			q := "list-type=2&delimiter=%2F&max-keys=1"
			if token != "" {
				q += "&continuation-token=" + token
			}
			resp := e.rootRequest("GET", testBucket, "", q, nil, nil)
			require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
			var page struct {
				Contents              []struct{ Key string }
				CommonPrefixes        []struct{ Prefix string }
				NextContinuationToken string
			}
			require.NoError(t, xml.Unmarshal(resp.body, &page))
			for _, c := range page.Contents {
				entries = append(entries, c.Key)
			}
			for _, p := range page.CommonPrefixes {
				entries = append(entries, p.Prefix)
			}
			if token = page.NextContinuationToken; token == "" {
				break
			}
		}
		assert.Equal(t, []string{"a/", "b c+d", "e"}, entries)
	})

	t.Run("max-keys out of range", func(t *testing.T) {
		resp := e.rootRequest("GET", testBucket, "", "list-type=2&max-keys=1001", nil, nil)
		require.Equal(t, http.StatusBadRequest, resp.status)
		assert.Equal(t, "InvalidArgument", parseError(t, resp.body).Code)
	})
}
