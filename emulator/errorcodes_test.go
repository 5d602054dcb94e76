package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// Where the codes below come from. A row whose EC is "" is an error whose EC no available
// source confirms: the emulator sends none rather than guess.
const (
	docErrorCodes = "OSS error codes: https://www.alibabacloud.com/help/doc-detail/32005.htm and https://alibabacloud.com/help/en/oss/support/http-400-status-code (403, 404 likewise)"
	docSDKMocks   = "official Go SDK v2 v1.6.1 test fixtures (oss/client_mock_*_test.go, api_op_object_test.go)"
	docIMGErrors  = "IMG errors: https://www.alibabacloud.com/help/en/oss/user-guide/common-errors"
	docSpec       = "shared/spec/oss-signing.md (EC pages 0002-*)"
)

// docEC is the URL of the page documenting an EC.
func docEC(ec string) string { return "https://www.alibabacloud.com/help/en/oss/support/" + ec }

// codeCase is one error the emulator answers, with the code and EC the docs give for its cause.
type codeCase struct {
	name   string
	source string
	// clock moves the emulator's clock, from the test's start, before the request is sent.
	clock      time.Duration
	request    func(t *testing.T, f *codeFixture) *http.Request
	wantStatus int
	wantCode   string
	wantEC     string
}

// codeFixture is what the table's requests are built from.
type codeFixture struct {
	e     *env
	start time.Time
	// reader may only read users/42/*; other has its own token.
	reader, other emulator.Credentials
	// uploadID is an upload of mp.bin with two 4-byte parts.
	uploadID string
}

// signed is a V4 header-signed root request to bucket/key (raw query appended) at the start.
func (f *codeFixture) signed(t *testing.T, method, bucket, key, rawQuery string, header map[string]string, body []byte) *http.Request {
	return f.signedAs(t, rootCreds, method, bucket, key, rawQuery, header, body)
}

// signedAs is signed with other credentials.
func (f *codeFixture) signedAs(t *testing.T, creds osscreds.Credentials, method, bucket, key, rawQuery string, header map[string]string, body []byte) *http.Request {
	u := f.e.objectURL(bucket, key)
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req := f.e.newRequest(method, u, body)
	for name, v := range header {
		req.Header.Set(name, v)
	}
	signHeader(t, req, bucket, key, creds, f.start, false)
	return req
}

// presigned is a root presigned GET URL of bucket/k.txt, V4 unless v1, edited by edit.
func (f *codeFixture) presigned(t *testing.T, v1 bool, edit func(q url.Values)) *http.Request {
	res, err := f.e.client(osscreds.NewStaticCredentialsProvider(testKeyID, testSecret), v1).
		Presign(context.Background(), &oss.GetObjectRequest{Bucket: oss.Ptr(testBucket), Key: oss.Ptr("k.txt")}, oss.PresignExpires(10*time.Minute))
	require.NoError(t, err)
	u, err := url.Parse(res.URL)
	require.NoError(t, err)
	q := u.Query()
	edit(q)
	u.RawQuery = q.Encode()
	return f.e.newRequest("GET", u.String(), nil)
}

// withAuth returns req with its Authorization header edited.
func withAuth(req *http.Request, old, new string) *http.Request {
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), old, new, 1))
	return req
}

// tokenCreds are the OSS SDK credentials of emulator credentials.
func tokenCreds(c emulator.Credentials) osscreds.Credentials {
	return osscreds.Credentials{AccessKeyID: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}
}

// pngHeader is the signature and IHDR chunk of a w×h PNG: enough for DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))...)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

// deleteBody is a DeleteMultipleObjects request for body, with its Content-MD5 unless noMD5.
func (f *codeFixture) deleteBody(t *testing.T, body string, noMD5 bool) *http.Request {
	header := map[string]string{}
	if !noMD5 {
		header["Content-MD5"] = b64MD5(body)
	}
	return f.signed(t, "POST", testBucket, "", "delete", header, []byte(body))
}

// TestErrorCodesMatchTheDocs sends a request for every error code (and every EC) the OSS
// endpoint answers and checks status, Code and EC against the source named in each row. Not
// covered: InternalError (only a failing disk causes it).
func TestErrorCodesMatchTheDocs(t *testing.T) {
	clock := &testClock{t: time.Now().Truncate(time.Second)}
	e := newEnv(t, withClock(clock))
	f := &codeFixture{e: e, start: clock.Now()}
	var err error
	f.reader, err = e.emu.IssueCredentials("reader", `{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject","oss:PutObject"],"Resource":["acs:oss:*:*:bucket/users/42/*"]}]}`, time.Hour)
	require.NoError(t, err)
	f.other, err = e.emu.IssueCredentials("other", "", 15*time.Minute)
	require.NoError(t, err)
	require.Equal(t, 200, e.send(f.signed(t, "PUT", testBucket, "k.txt", "", nil, []byte("0123456789"))).status)
	require.Equal(t, 200, e.send(f.signed(t, "POST", testBucket, "app.log", "append&position=0", nil, []byte("a"))).status)
	require.Equal(t, 200, e.send(f.signed(t, "PUT", testBucket, "huge.png", "", nil, pngHeader(6000, 5000))).status)
	init := e.send(f.signed(t, "POST", testBucket, "mp.bin", "uploads", nil, nil))
	require.Equal(t, 200, init.status)
	f.uploadID = between(string(init.body), "<UploadId>", "</UploadId>")
	for _, n := range []string{"1", "2"} {
		require.Equal(t, 200, e.send(f.signed(t, "PUT", testBucket, "mp.bin", "partNumber="+n+"&uploadId="+f.uploadID, nil, []byte("tiny"))).status)
	}
	etag := `"` + strings.ToUpper(hexMD5("tiny")) + `"`
	complete := func(parts string) func(t *testing.T, f *codeFixture) *http.Request {
		return func(t *testing.T, f *codeFixture) *http.Request {
			return f.signed(t, "POST", testBucket, "mp.bin", "uploadId="+f.uploadID, nil, []byte("<CompleteMultipartUpload>"+parts+"</CompleteMultipartUpload>"))
		}
	}
	part := func(n, etag string) string {
		return "<Part><PartNumber>" + n + "</PartNumber><ETag>" + etag + "</ETag></Part>"
	}
	plain := func(method, bucket, key, rawQuery string, header map[string]string, body string) func(t *testing.T, f *codeFixture) *http.Request {
		return func(t *testing.T, f *codeFixture) *http.Request {
			return f.signed(t, method, bucket, key, rawQuery, header, []byte(body))
		}
	}
	cases := []codeCase{
		// Routing and naming.
		{name: "no such key", source: docSDKMocks, request: plain("GET", testBucket, "missing", "", nil, ""), wantStatus: 404, wantCode: "NoSuchKey", wantEC: "0026-00000001"},
		{name: "no such bucket", source: docSDKMocks, request: plain("GET", "nobucket", "k", "", nil, ""), wantStatus: 404, wantCode: "NoSuchBucket", wantEC: "0015-00000101"},
		{name: "invalid bucket name", source: docErrorCodes, request: func(t *testing.T, f *codeFixture) *http.Request {
			req := f.signed(t, "GET", "bad_bucket", "k", "", nil, nil)
			req.Host = "Bad_Bucket.localhost"
			return req
		}, wantStatus: 400, wantCode: "InvalidBucketName"},
		{name: "invalid object name", source: docErrorCodes, request: plain("PUT", testBucket, "/abs", "", nil, "x"), wantStatus: 400, wantCode: "InvalidObjectName"},
		{name: "unsupported sub-resource", source: docErrorCodes, request: plain("GET", testBucket, "k.txt", "tagging", nil, ""), wantStatus: 501, wantCode: "NotImplemented"},
		// Access.
		{name: "anonymous read of a private object", source: docEC("0003-00000001"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.e.newRequest("GET", f.e.objectURL(testBucket, "k.txt"), nil)
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0003-00000001"},
		{name: "session policy without the action", source: docEC("0003-00000001"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.signedAs(t, tokenCreds(f.reader), "PUT", testBucket, "users/43/x", "", nil, []byte("x"))
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0003-00000001"},
		{name: "copy without read on the source", source: docEC("0003-00000001"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.signedAs(t, tokenCreds(f.reader), "PUT", testBucket, "users/42/copy", "", map[string]string{"x-oss-copy-source": "/bucket/k.txt"}, nil)
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0003-00000001"},
		{name: "CORS preflight with CORS off", source: docErrorCodes, request: func(t *testing.T, f *codeFixture) *http.Request {
			req := f.e.newRequest("OPTIONS", f.e.objectURL(testBucket, "k.txt"), nil)
			req.Header.Set("Origin", "http://page.test")
			req.Header.Set("Access-Control-Request-Method", "PUT")
			return req
		}, wantStatus: 403, wantCode: "AccessForbidden"},
		// Signatures and credentials.
		{name: "signature mismatch", source: docSDKMocks, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.signedAs(t, osscreds.Credentials{AccessKeyID: testKeyID, AccessKeySecret: "wrong"}, "GET", testBucket, "k.txt", "", nil, nil)
		}, wantStatus: 403, wantCode: "SignatureDoesNotMatch", wantEC: "0002-00000040"},
		{name: "unknown AccessKeyId", source: docErrorCodes, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.signedAs(t, osscreds.Credentials{AccessKeyID: "LTAInobody", AccessKeySecret: "x"}, "GET", testBucket, "k.txt", "", nil, nil)
		}, wantStatus: 403, wantCode: "InvalidAccessKeyId"},
		{name: "header signed 20 minutes ago", source: docSpec + " §7.5", clock: 20 * time.Minute, request: plain("GET", testBucket, "k.txt", "", nil, ""), wantStatus: 403, wantCode: "RequestTimeTooSkewed", wantEC: "0002-00000504"},
		{name: "V4 URL dated 20 minutes ahead", source: docEC("0002-00000235"), clock: -20 * time.Minute, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, false, func(url.Values) {})
		}, wantStatus: 403, wantCode: "RequestTimeTooSkewed", wantEC: "0002-00000235"},
		{name: "expired V4 URL", source: docSpec, clock: 11 * time.Minute, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, false, func(url.Values) {})
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0002-00000069"},
		{name: "V4 URL signature version", source: docEC("0002-00000066"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, false, func(q url.Values) { q.Set("x-oss-signature-version", "OSS4-HMAC-SHA1") })
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000066"},
		{name: "V4 URL x-oss-expires not a number", source: docEC("0002-00000070"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, false, func(q url.Values) { q.Set("x-oss-expires", "soon") })
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000070"},
		{name: "V4 URL valid over 7 days", source: docSpec + " §2.5", request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, false, func(q url.Values) { q.Set("x-oss-expires", "604801") })
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000232"},
		{name: "V1 URL without Signature", source: docEC("0002-00000068"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, true, func(q url.Values) { q.Del("Signature") })
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0002-00000068"},
		{name: "V1 URL Expires not a number", source: docEC("0002-00000070"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.presigned(t, true, func(q url.Values) { q.Set("Expires", "soon") })
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000070"},
		{name: "V1 header without a date", source: docEC("0002-00000503"), request: func(t *testing.T, f *codeFixture) *http.Request {
			req := f.e.newRequest("GET", f.e.objectURL(testBucket, "k.txt"), nil)
			signHeader(t, req, testBucket, "k.txt", rootCreds, f.start, true)
			req.Header.Del("x-oss-date")
			req.Header.Del("Date")
			return req
		}, wantStatus: 403, wantCode: "AccessDenied", wantEC: "0002-00000503"},
		{name: "V4 credential date", source: docEC("0002-00000223"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return withAuth(f.signed(t, "GET", testBucket, "k.txt", "", nil, nil), "/"+f.start.UTC().Format("20060102")+"/", "/2024-1-1/")
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000223"},
		{name: "V4 credential region", source: docSpec + " §2.1", request: func(t *testing.T, f *codeFixture) *http.Request {
			return withAuth(f.signed(t, "GET", testBucket, "k.txt", "", nil, nil), "/cn-hangzhou/", "/cn-beijing/")
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000226"},
		{name: "V4 credential product", source: docSpec + " §2.1", request: func(t *testing.T, f *codeFixture) *http.Request {
			return withAuth(f.signed(t, "GET", testBucket, "k.txt", "", nil, nil), "/oss/aliyun_v4_request", "/s3/aliyun_v4_request")
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000227"},
		{name: "V4 additional headers with a trailing ;", source: docSpec + " §2.3", request: func(t *testing.T, f *codeFixture) *http.Request {
			return withAuth(f.signed(t, "GET", testBucket, "k.txt", "", nil, nil), ",Signature=", ",AdditionalHeaders=host;,Signature=")
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000209"},
		{name: "V4 payload hash other than UNSIGNED-PAYLOAD", source: docEC("0002-00000214"), request: func(t *testing.T, f *codeFixture) *http.Request {
			req := f.signed(t, "GET", testBucket, "k.txt", "", nil, nil)
			req.Header.Set("x-oss-content-sha256", "abc")
			return req
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0002-00000214"},
		{name: "tampered security token", source: docSpec, request: func(t *testing.T, f *codeFixture) *http.Request {
			c := tokenCreds(f.reader)
			c.SecurityToken = strings.Replace(c.SecurityToken, ".", "x.", 1)
			return f.signedAs(t, c, "GET", testBucket, "users/42/x", "", nil, nil)
		}, wantStatus: 403, wantCode: "InvalidSecurityToken", wantEC: "0002-00000006"},
		{name: "security token of another AccessKeyId", source: docSpec, request: func(t *testing.T, f *codeFixture) *http.Request {
			c := tokenCreds(f.reader)
			c.SecurityToken = f.other.SecurityToken
			return f.signedAs(t, c, "GET", testBucket, "users/42/x", "", nil, nil)
		}, wantStatus: 403, wantCode: "InvalidSecurityToken", wantEC: "0002-00000004"},
		{name: "expired security token", source: docSpec, clock: 16 * time.Minute, request: func(t *testing.T, f *codeFixture) *http.Request {
			req := f.e.newRequest("GET", f.e.objectURL(testBucket, "k.txt"), nil)
			signHeader(t, req, testBucket, "k.txt", tokenCreds(f.other), f.start.Add(16*time.Minute), false)
			return req
		}, wantStatus: 403, wantCode: "SecurityTokenExpired", wantEC: "0002-00000007"},
		// Uploads.
		{name: "Content-MD5 mismatch", source: docEC("0017-00000503") + "; InvalidDigest: https://www.alibabacloud.com/help/en/oss/the-the-content-md5-you-specified-was-invalid-error-message-is-returned-when-you-upload-a-file-to-oss-by-using-sts",
			request: plain("PUT", testBucket, "md5", "", map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(md5Of("other"))}, "data"), wantStatus: 400, wantCode: "InvalidDigest", wantEC: "0017-00000503"},
		{name: "Content-MD5 that is no MD5", source: docEC("0017-00000502"), request: plain("PUT", testBucket, "md5", "", map[string]string{"Content-MD5": "bm90IGFuIG1kNQ=="}, "data"), wantStatus: 400, wantCode: "InvalidDigest", wantEC: "0017-00000502"},
		{name: "overwrite forbidden", source: docEC("0026-00000002"), request: plain("PUT", testBucket, "k.txt", "", map[string]string{"x-oss-forbid-overwrite": "true"}, "x"), wantStatus: 409, wantCode: "FileAlreadyExists", wantEC: "0026-00000002"},
		{name: "x-oss-forbid-overwrite neither true nor false", source: docEC("0017-00000279"), request: plain("PUT", testBucket, "k2", "", map[string]string{"x-oss-forbid-overwrite": "abc"}, "x"), wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0017-00000279"},
		{name: "user metadata over 8 KB", source: docErrorCodes, request: plain("PUT", testBucket, "k2", "", map[string]string{"x-oss-meta-big": strings.Repeat("m", 9<<10)}, "x"), wantStatus: 400, wantCode: "MetadataTooLarge"},
		{name: "x-oss-object-acl not an ACL", source: docErrorCodes, request: plain("PUT", testBucket, "k2", "", map[string]string{"x-oss-object-acl": "everyone"}, "x"), wantStatus: 400, wantCode: "InvalidArgument"},
		{name: "body shorter than Content-Length", source: docErrorCodes, request: nil, wantStatus: 400, wantCode: "IncompleteBody"},
		// Reads.
		{name: "If-Match that does not match", source: docErrorCodes, request: plain("GET", testBucket, "k.txt", "", map[string]string{"If-Match": `"0"`}, ""), wantStatus: 412, wantCode: "PreconditionFailed"},
		{name: "standard Range past the end", source: docErrorCodes, request: plain("GET", testBucket, "k.txt", "", map[string]string{"Range": "bytes=100-", "x-oss-range-behavior": "standard"}, ""), wantStatus: 416, wantCode: "InvalidRange"},
		{name: "encoding-type other than url", source: docErrorCodes, request: plain("GET", testBucket, "", "encoding-type=base64", nil, ""), wantStatus: 400, wantCode: "InvalidArgument"},
		// Copy.
		{name: "copy of an appendable object", source: "AppendObject: https://www.alibabacloud.com/help/en/oss/developer-reference/appendobject (appendable objects cannot be copied)",
			request: plain("PUT", testBucket, "copy", "", map[string]string{"x-oss-copy-source": "/bucket/app.log"}, ""), wantStatus: 400, wantCode: "OperationNotSupported"},
		{name: "copy of a missing object", source: docSDKMocks, request: plain("PUT", testBucket, "copy", "", map[string]string{"x-oss-copy-source": "/bucket/missing"}, ""), wantStatus: 404, wantCode: "NoSuchKey", wantEC: "0026-00000001"},
		{name: "copy source that is not /bucket/key", source: docErrorCodes, request: plain("PUT", testBucket, "copy", "", map[string]string{"x-oss-copy-source": "k.txt"}, ""), wantStatus: 400, wantCode: "InvalidArgument"},
		// Append.
		{name: "append without position", source: docEC("0016-00000501"), request: plain("POST", testBucket, "app.log", "append", nil, "b"), wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0016-00000501"},
		{name: "append at the wrong position", source: docSDKMocks, request: plain("POST", testBucket, "app.log", "append&position=5", nil, "b"), wantStatus: 409, wantCode: "PositionNotEqualToLength", wantEC: "0026-00000016"},
		{name: "append to a normal object", source: "AppendObject: https://www.alibabacloud.com/help/en/oss/developer-reference/appendobject", request: plain("POST", testBucket, "k.txt", "append&position=10", nil, "b"), wantStatus: 409, wantCode: "ObjectNotAppendable"},
		// Batch delete.
		{name: "batch delete without Content-MD5", source: docEC("0016-00000606"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.deleteBody(t, "<Delete><Object><Key>k</Key></Object></Delete>", true)
		}, wantStatus: 400, wantCode: "InvalidArgument", wantEC: "0016-00000606"},
		{name: "batch delete body that is not XML", source: docSDKMocks, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.deleteBody(t, "<Delete", false)
		}, wantStatus: 400, wantCode: "MalformedXML", wantEC: "0016-00000608"},
		{name: "batch delete object without Key", source: docEC("0016-00000613"), request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.deleteBody(t, "<Delete><Object><VersionId>v</VersionId></Object></Delete>", false)
		}, wantStatus: 400, wantCode: "MalformedXML", wantEC: "0016-00000613"},
		// Multipart.
		{name: "no such upload", source: docEC("0017-00000244"), request: plain("PUT", testBucket, "mp.bin", "partNumber=1&uploadId=NOSUCH", nil, "x"), wantStatus: 404, wantCode: "NoSuchUpload", wantEC: "0017-00000244"},
		{name: "complete with a small part first", source: "https://help.aliyun.com/en/oss/user-guide/0042-00000213", request: complete(part("1", etag) + part("2", etag)), wantStatus: 400, wantCode: "EntityTooSmall", wantEC: "0042-00000213"},
		{name: "complete with a wrong ETag", source: docErrorCodes, request: complete(part("1", `"0"`)), wantStatus: 400, wantCode: "InvalidPart"},
		{name: "complete with parts out of order", source: docErrorCodes, request: complete(part("2", etag) + part("1", etag)), wantStatus: 400, wantCode: "InvalidPartOrder"},
		{name: "complete with a body that is not XML", source: docErrorCodes, request: complete("<Part>"), wantStatus: 400, wantCode: "MalformedXML"},
		// Image processing.
		{name: "image over the pixel limit", source: docIMGErrors, request: plain("GET", testBucket, "huge.png", "x-oss-process=image%2Fresize%2Cw_10", nil, ""), wantStatus: 400, wantCode: "ImageTooLarge"},
		{name: "processing an object that is no image", source: docIMGErrors, request: plain("GET", testBucket, "k.txt", "x-oss-process=image%2Fresize%2Cw_10", nil, ""), wantStatus: 400, wantCode: "BadRequest"},
		{name: "image operation OSS does not have", source: docIMGErrors + " (InvalidArgument chosen: OSS's answer is undocumented)", request: plain("GET", testBucket, "k.txt", "x-oss-process=image%2Fexplode%2Cw_10", nil, ""), wantStatus: 400, wantCode: "InvalidArgument"},
		{name: "image operation the emulator lacks", source: docIMGErrors, request: plain("GET", testBucket, "k.txt", "x-oss-process=image%2Fwatermark%2Ctext_aGk", nil, ""), wantStatus: 501, wantCode: "NotImplemented"},
		// PostObject.
		{name: "PostObject file over content-length-range", source: docErrorCodes, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.e.postForm(postFormSpec{key: "post", conditions: `["content-length-range",1,2]`, expiration: f.start.Add(time.Hour)})
		}, wantStatus: 400, wantCode: "EntityTooLarge"},
		{name: "PostObject condition failed", source: "https://www.alibabacloud.com/help/en/oss/how-to-handle-common-errors-when-the-postobject-operation-is-called", request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.e.postForm(postFormSpec{key: "post", conditions: `["eq","$key","other"]`, expiration: f.start.Add(time.Hour)})
		}, wantStatus: 403, wantCode: "AccessDenied"},
	}
	expiration := `"expiration":"` + f.start.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z") + `"`
	for _, p := range []struct{ name, document, ec string }{
		{"PostObject policy that is not UTF-8", "{" + expiration + ",\"conditions\":[{\"key\":\"\xff\"}]}", "0006-00000203"},
		{"PostObject policy without conditions", `{` + expiration + `}`, "0006-00000207"},
		{"PostObject conditions not a list", `{` + expiration + `,"conditions":123}`, "0006-00000214"},
		{"PostObject conditions empty", `{` + expiration + `,"conditions":[]}`, "0006-00000215"},
		{"PostObject condition without its mode", `{` + expiration + `,"conditions":[["$key"]]}`, "0006-00000216"},
		{"PostObject condition with an unknown mode", `{` + expiration + `,"conditions":[["ends-with","$key","x"]]}`, "0006-00000217"},
		{"PostObject condition with an extra value", `{` + expiration + `,"conditions":[["starts-with","$key","user/","test"]]}`, "0006-00000218"},
		{"PostObject content-length-range not integers", `{` + expiration + `,"conditions":[["content-length-range",10,"test"]]}`, "0006-00000221"},
		{"PostObject condition neither map nor list", `{` + expiration + `,"conditions":[123]}`, "0006-00000222"},
		{"PostObject not-in with a string", `{` + expiration + `,"conditions":[["not-in","$cache-control","no-cache"]]}`, "0006-00000224"},
		{"PostObject simple condition of two properties", `{` + expiration + `,"conditions":[{"bucket":"bucket","key":"post"}]}`, ""},
	} {
		document := p.document
		source := docErrorCodes
		if p.ec != "" {
			source = docEC(p.ec)
		}
		cases = append(cases, codeCase{name: p.name, source: source, request: func(t *testing.T, f *codeFixture) *http.Request {
			return f.e.postForm(postFormSpec{key: "post", document: document})
		}, wantStatus: 400, wantCode: "InvalidPolicyDocument", wantEC: p.ec})
	}
	cases = append(cases, []codeCase{
		// Faults.
		{name: "injected failure", source: docErrorCodes, request: nil, wantStatus: 503, wantCode: "ServiceUnavailable"},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.source, "every row names its source")
			clock.Set(f.start)
			var resp response
			switch tc.wantCode {
			case "IncompleteBody":
				resp = f.shortBody(t)
			case "ServiceUnavailable":
				require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{FailFraction: 1}))
				resp = e.send(f.signed(t, "GET", testBucket, "k.txt", "", nil, nil))
				require.NoError(t, e.emu.SetFaults(emulator.FaultConfig{}))
			default:
				req := tc.request(t, f)
				clock.Set(f.start.Add(tc.clock))
				resp = e.send(req)
			}
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			doc := parseError(t, resp.body)
			assert.Equal(t, tc.wantCode, doc.Code)
			assert.Equal(t, tc.wantEC, doc.EC, "EC element")
			assert.Equal(t, tc.wantEC, resp.header.Get("x-oss-ec"), "x-oss-ec header")
		})
	}
}

// shortBody sends a signed PUT whose body stops 7 bytes short of its Content-Length, then
// half-closes the connection and reads the answer.
func (f *codeFixture) shortBody(t *testing.T) response {
	req := f.signed(t, "PUT", testBucket, "short", "", nil, []byte("0123456789"))
	var raw bytes.Buffer
	require.NoError(t, req.Write(&raw))
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.e.srv.OSSEndpoint, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(raw.Bytes()[:raw.Len()-7])
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// between is the text of s between the first open and the close after it.
func between(s, open, close string) string {
	_, rest, _ := strings.Cut(s, open)
	v, _, _ := strings.Cut(rest, close)
	return v
}

// hexMD5 is the hex MD5 of s.
func hexMD5(s string) string { return hex.EncodeToString(md5Of(s)) }
