package emulator_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	osscreds "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// postFormSpec describes a PostObject form for postForm.
type postFormSpec struct {
	key string
	// conditions are extra policy conditions, JSON, comma-separated.
	conditions string
	expiration time.Time
	// v4 signs with V4 at signTime (default: the hour before expiration).
	v4       bool
	signTime time.Time
	// creds default to the root key.
	creds *osscreds.Credentials
	// fields are extra form fields, sent before the file.
	fields map[string]string
	// file is the file's content (default "file content").
	file *string
	// fileNotLast sends a field after the file.
	fileNotLast bool
	// skipV4Conditions leaves the x-oss-* conditions out of a V4 policy.
	skipV4Conditions bool
	// document, when set, is the whole policy document instead of the one built from the rest.
	document string
}

// postForm builds a signed PostObject request to the test bucket.
func (e *env) postForm(s postFormSpec) *http.Request {
	creds := rootCreds
	if s.creds != nil {
		creds = *s.creds
	}
	fields := map[string]string{"key": s.key}
	conditions := []string{`{"bucket":"` + testBucket + `"}`}
	if creds.SecurityToken != "" {
		fields["x-oss-security-token"] = creds.SecurityToken
	}
	if s.v4 {
		at := s.signTime
		if at.IsZero() {
			at = s.expiration.Add(-time.Hour)
		}
		fields["x-oss-signature-version"] = "OSS4-HMAC-SHA256"
		fields["x-oss-credential"] = creds.AccessKeyID + "/" + at.UTC().Format("20060102") + "/" + testRegion + "/oss/aliyun_v4_request"
		fields["x-oss-date"] = at.UTC().Format("20060102T150405Z")
		if !s.skipV4Conditions {
			for _, name := range []string{"x-oss-signature-version", "x-oss-credential", "x-oss-date", "x-oss-security-token"} {
				if fields[name] != "" {
					conditions = append(conditions, `{"`+name+`":"`+fields[name]+`"}`)
				}
			}
		}
	}
	if s.conditions != "" {
		conditions = append(conditions, s.conditions)
	}
	document := `{"expiration":"` + s.expiration.UTC().Format("2006-01-02T15:04:05.000Z") + `","conditions":[` + strings.Join(conditions, ",") + `]}`
	if s.document != "" {
		document = s.document
	}
	policy := base64.StdEncoding.EncodeToString([]byte(document))
	fields["policy"] = policy
	if s.v4 {
		fields["x-oss-signature"] = postSignatureV4(creds.AccessKeySecret, fields["x-oss-date"][:8], policy)
	} else {
		fields["OSSAccessKeyId"] = creds.AccessKeyID
		fields["Signature"] = postSignatureV1(creds.AccessKeySecret, policy)
	}
	for k, v := range s.fields {
		fields[k] = v
	}
	content := "file content"
	if s.file != nil {
		content = *s.file
	}
	return e.multipartRequest(fields, "photo.jpg", content, s.fileNotLast)
}

// multipartRequest builds a POST to the test bucket with fields, then the file.
func (e *env) multipartRequest(fields map[string]string, fileName, content string, fieldAfterFile bool) *http.Request {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(e.t, w.WriteField(k, v))
	}
	fw, err := w.CreateFormFile("file", fileName)
	require.NoError(e.t, err)
	fw.Write([]byte(content))
	if fieldAfterFile {
		require.NoError(e.t, w.WriteField("x-oss-meta-late", "1"))
	}
	require.NoError(e.t, w.Close())
	req := e.newRequest("POST", e.srv.OSSEndpoint+"/"+testBucket, body.Bytes())
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

// postSignatureV1 is Base64(HMAC-SHA1(secret, policy)) (spec §3.2).
func postSignatureV1(secret, policy string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(policy))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// postSignatureV4 is Hex(HMAC-SHA256(signing key, policy)) (spec §3.3, key from §2.3). Its
// correctness is pinned by the spec's PostObject V4 vector in TestPostObjectVectors.
func postSignatureV4(secret, date, policy string) string {
	mac := func(key []byte, data string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(data))
		return m.Sum(nil)
	}
	k := mac(mac(mac(mac([]byte("aliyun_v4"+secret), date), testRegion), "oss"), "aliyun_v4_request")
	return hex.EncodeToString(mac(k, policy))
}

// TestPostObjectVectors checks the emulator accepts the spec's PostObject vectors (§6.6),
// computed by ali-oss and independent code, and that the test's own signing helpers agree.
func TestPostObjectVectors(t *testing.T) {
	v1Policy := `eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==`
	v4Policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},` +
		`{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"ak/20231203/cn-hangzhou/oss/aliyun_v4_request"},` +
		`{"x-oss-date":"20231203T121212Z"},["content-length-range",1,1024]]}`))
	require.Equal(t, "ZeilIX96BkMFOqcTwNhY/8V+JYs=", postSignatureV1("sk", v1Policy))
	require.Equal(t, "00a867c28c763ac3e14a0bd37dd675c9414ee3258e327b629c5ea9531f86c3b1", postSignatureV4("sk", "20231203", v4Policy))

	cases := []struct {
		name   string
		fields map[string]string
	}{
		{"V1", map[string]string{"key": "v1.txt", "policy": v1Policy, "OSSAccessKeyId": "ak", "Signature": "ZeilIX96BkMFOqcTwNhY/8V+JYs="}},
		{"V4", map[string]string{
			"key": "v4.txt", "policy": v4Policy, "x-oss-signature-version": "OSS4-HMAC-SHA256",
			"x-oss-credential": "ak/20231203/cn-hangzhou/oss/aliyun_v4_request", "x-oss-date": "20231203T121212Z",
			"x-oss-signature": "00a867c28c763ac3e14a0bd37dd675c9414ee3258e327b629c5ea9531f86c3b1",
		}},
	}
	clock := &testClock{t: time.Date(2023, 12, 3, 12, 20, 0, 0, time.UTC)}
	e := newEnv(t, withClock(clock), func(c *emulator.Config) { c.Buckets = []string{"examplebucket"} })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := e.multipartRequest(tc.fields, "f.txt", "vector", false)
			req.URL.Path = "/examplebucket"
			resp := e.send(req)
			assert.Equal(t, http.StatusNoContent, resp.status, "body: %s", resp.body)
			assert.Equal(t, crc64ECMA([]byte("vector")), resp.header.Get("x-oss-hash-crc64ecma"))
		})
	}
}

// TestPostObject checks PostObject's success answers and that the policy and the form rules
// are enforced, with V1 and V4 signatures.
func TestPostObject(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, withClock(clock))
	now := clock.Now()
	hour := now.Add(time.Hour)
	big := strings.Repeat("x", 2048)
	cases := []struct {
		name       string
		spec       postFormSpec
		wantStatus int
		wantCode   string
		wantKey    string
	}{
		{name: "V1 default status 204", spec: postFormSpec{key: "post/v1.txt", expiration: hour}, wantStatus: 204, wantKey: "post/v1.txt"},
		{name: "V4 default status 204", spec: postFormSpec{key: "post/v4.txt", expiration: hour, v4: true, signTime: now}, wantStatus: 204, wantKey: "post/v4.txt"},
		{name: "status 200", spec: postFormSpec{key: "post/200.txt", expiration: hour, conditions: `{"success_action_status":"200"}`, fields: map[string]string{"success_action_status": "200"}}, wantStatus: 200, wantKey: "post/200.txt"},
		{name: "status 201 with XML", spec: postFormSpec{key: "post/201.txt", expiration: hour, conditions: `{"success_action_status":"201"}`, fields: map[string]string{"success_action_status": "201"}}, wantStatus: 201, wantKey: "post/201.txt"},
		{name: "unknown status answers 204", spec: postFormSpec{key: "post/999.txt", expiration: hour, conditions: `{"success_action_status":"999"}`, fields: map[string]string{"success_action_status": "999"}}, wantStatus: 204, wantKey: "post/999.txt"},
		{name: "${filename} in the key", spec: postFormSpec{key: "post/${filename}", expiration: hour}, wantStatus: 204, wantKey: "post/photo.jpg"},
		{
			name: "every condition shape satisfied",
			spec: postFormSpec{key: "users/42/a.png", expiration: hour, v4: true, signTime: now,
				conditions: `["eq","$key","users/42/a.png"],["starts-with","$key","users/42/"],["in","$content-type",["image/png","image/jpeg"]],` +
					`["not-in","$cache-control",["no-cache"]],["content-length-range",1,100],{"x-oss-meta-owner":"42"}`,
				fields: map[string]string{"Content-Type": "image/png", "Cache-Control": "max-age=60", "x-oss-meta-owner": "42"}},
			wantStatus: 204, wantKey: "users/42/a.png",
		},
		{name: "exact condition violated", spec: postFormSpec{key: "k", expiration: hour, conditions: `{"x-oss-meta-owner":"42"}`, fields: map[string]string{"x-oss-meta-owner": "43"}}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "eq condition violated", spec: postFormSpec{key: "k", expiration: hour, conditions: `["eq","$key","other"]`}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "starts-with condition violated", spec: postFormSpec{key: "k", expiration: hour, v4: true, signTime: now, conditions: `["starts-with","$key","users/"]`}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "in condition violated", spec: postFormSpec{key: "k", expiration: hour, conditions: `["in","$content-type",["image/png"]]`, fields: map[string]string{"Content-Type": "text/html"}}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "not-in condition violated", spec: postFormSpec{key: "k", expiration: hour, conditions: `["not-in","$cache-control",["no-cache"]]`, fields: map[string]string{"Cache-Control": "no-cache"}}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "file over content-length-range", spec: postFormSpec{key: "k", expiration: hour, conditions: `["content-length-range",1,1024]`, file: &big}, wantStatus: 400, wantCode: "EntityTooLarge"},
		{name: "file under content-length-range", spec: postFormSpec{key: "k", expiration: hour, conditions: `["content-length-range",100,1024]`}, wantStatus: 400, wantCode: "EntityTooSmall"},
		{name: "expired policy", spec: postFormSpec{key: "k", expiration: now.Add(-time.Second)}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "V4 policy without its x-oss-* conditions", spec: postFormSpec{key: "k", expiration: hour, v4: true, signTime: now, skipV4Conditions: true}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "V4 signed 20 minutes in the future", spec: postFormSpec{key: "k", expiration: hour, v4: true, signTime: now.Add(20 * time.Minute)}, wantStatus: 403, wantCode: "RequestTimeTooSkewed"},
		{name: "wrong signature", spec: postFormSpec{key: "k", expiration: hour, fields: map[string]string{"Signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA="}}, wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "unknown condition operator", spec: postFormSpec{key: "k", expiration: hour, conditions: `["ends-with","$key","x"]`}, wantStatus: 400, wantCode: "InvalidPolicyDocument"},
		{name: "a field after the file is ignored", spec: postFormSpec{key: "post/late.txt", expiration: hour, fileNotLast: true}, wantStatus: 204, wantKey: "post/late.txt"},
		{name: "a condition on a field the form lacks", spec: postFormSpec{key: "k", expiration: hour, conditions: `{"A":"a"}`}, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "no key", spec: postFormSpec{expiration: hour}, wantStatus: 400, wantCode: "InvalidArgument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.send(e.postForm(tc.spec))
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			if tc.wantCode != "" {
				assert.Equal(t, tc.wantCode, parseError(t, resp.body).Code)
				if tc.spec.key != "" {
					assert.False(t, e.exists(tc.spec.key), "a refused upload stores nothing")
				}
				return
			}
			assert.True(t, e.exists(tc.wantKey))
			assert.NotEmpty(t, resp.header.Get("ETag"))
			if tc.wantStatus == 201 {
				var doc struct {
					Bucket, Key, ETag, Location string
				}
				require.NoError(t, xml.Unmarshal(resp.body, &doc))
				assert.Equal(t, testBucket, doc.Bucket)
				assert.Equal(t, tc.wantKey, doc.Key)
				assert.Equal(t, resp.header.Get("ETag"), doc.ETag)
				assert.Equal(t, e.srv.OSSEndpoint+"/bucket/"+tc.wantKey, doc.Location)
			}
		})
	}

	t.Run("STS token in the form, limited by its session policy", func(t *testing.T) {
		sts := e.stsCreds("poster", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:bucket/users/42/*"}]}`)
		resp := e.send(e.postForm(postFormSpec{key: "users/42/sts.txt", expiration: hour, v4: true, signTime: now, creds: &sts}))
		assert.Equal(t, http.StatusNoContent, resp.status, "body: %s", resp.body)
		resp = e.send(e.postForm(postFormSpec{key: "users/43/sts.txt", expiration: hour, creds: &sts}))
		require.Equal(t, http.StatusForbidden, resp.status)
		assert.Equal(t, "AccessDenied", parseError(t, resp.body).Code)
	})
}

// exists reports whether key is in the test bucket, asking with a root-signed HEAD.
func (e *env) exists(key string) bool {
	req := e.newRequest("HEAD", e.objectURL(testBucket, key), nil)
	signHeader(e.t, req, testBucket, key, rootCreds, time.Now(), false)
	return e.send(req).status == http.StatusOK
}

// TestPostObjectStrictRefusesFieldsOutsideThePolicy: with Config.StrictPost (S3's rule, not
// OSS's), every form field other than file, policy, the signature and its credential fields must
// be named by a policy condition, or the form is refused with AccessDenied "Extra input fields".
func TestPostObjectStrictRefusesFieldsOutsideThePolicy(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, withClock(clock), func(c *emulator.Config) { c.StrictPost = true })
	hour := clock.Now().Add(time.Hour)
	cases := []struct {
		name  string
		spec  postFormSpec
		extra string // "" when the upload is accepted
	}{
		{name: "public-read ACL", spec: postFormSpec{key: "extra/acl.txt", fields: map[string]string{"x-oss-object-acl": "public-read"}}, extra: "x-oss-object-acl"},
		{name: "Content-Disposition", spec: postFormSpec{key: "extra/cd.txt", fields: map[string]string{"Content-Disposition": "inline"}}, extra: "content-disposition"},
		{name: "redirect", spec: postFormSpec{key: "extra/redirect.txt", fields: map[string]string{"success_action_redirect": "https://evil.example.com/"}}, extra: "success_action_redirect"},
		{name: "user metadata, V4", spec: postFormSpec{key: "extra/meta.txt", v4: true, signTime: clock.Now(), fields: map[string]string{"x-oss-meta-owner": "43"}}, extra: "x-oss-meta-owner"},
		{name: "two fields, listed in order", spec: postFormSpec{key: "extra/two.txt", fields: map[string]string{"x-oss-object-acl": "public-read", "Cache-Control": "public"}}, extra: "cache-control, x-oss-object-acl"},
		{name: "fields named by conditions", spec: postFormSpec{key: "extra/named.txt",
			conditions: `{"content-disposition":"attachment"},["starts-with","$cache-control",""],{"success_action_status":"201"}`,
			fields:     map[string]string{"Content-Disposition": "attachment", "Cache-Control": "private", "success_action_status": "201"}}},
		{name: "a bucket field equal to the bucket", spec: postFormSpec{key: "extra/bucket.txt", fields: map[string]string{"bucket": testBucket}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.expiration = hour
			resp := e.send(e.postForm(tc.spec))
			if tc.extra == "" {
				assert.Less(t, resp.status, 300, "body: %s", resp.body)
				assert.True(t, e.exists(tc.spec.key))
				return
			}
			require.Equal(t, http.StatusForbidden, resp.status, "body: %s", resp.body)
			doc := parseError(t, resp.body)
			assert.Equal(t, "AccessDenied", doc.Code)
			assert.Equal(t, "Invalid according to Policy: Extra input fields: "+tc.extra, doc.Message)
			assert.False(t, e.exists(tc.spec.key), "nothing stored")
		})
	}
}

// TestPostObjectAppliesFieldsNoConditionNames: as on OSS, a form may send fields its policy
// does not name, and each is applied as the request header of its name would be in PutObject:
// the object's headers, metadata and ACL, the answer (success_action_status, a redirect), no
// overwrite. Fields OSS does not know are ignored.
func TestPostObjectAppliesFieldsNoConditionNames(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, withClock(clock))
	hour := clock.Now().Add(time.Hour)
	require.Equal(t, 200, e.rootRequest("PUT", testBucket, "fields/taken.txt", "", nil, []byte("first")).status)
	cases := []struct {
		name       string
		fields     map[string]string
		key        string
		wantStatus int
		check      func(t *testing.T, resp response, head http.Header)
	}{
		{name: "standard headers", key: "fields/headers.txt", wantStatus: 204, fields: map[string]string{
			"Content-Type": "text/x-mine", "Content-Disposition": "attachment;filename=x.txt", "Cache-Control": "max-age=60",
			"Content-Encoding": "identity", "Content-Language": "zh-CN", "Expires": "Wed, 21 Oct 2015 07:28:00 GMT"},
			check: func(t *testing.T, _ response, h http.Header) {
				assert.Equal(t, "text/x-mine", h.Get("Content-Type"))
				assert.Equal(t, "attachment;filename=x.txt", h.Get("Content-Disposition"))
				assert.Equal(t, "max-age=60", h.Get("Cache-Control"))
				assert.Equal(t, "identity", h.Get("Content-Encoding"))
				assert.Equal(t, "zh-CN", h.Get("Content-Language"))
				assert.Equal(t, "Wed, 21 Oct 2015 07:28:00 GMT", h.Get("Expires"))
			}},
		{name: "no Content-Type field: the file part's", key: "fields/part-type.txt", wantStatus: 204,
			check: func(t *testing.T, _ response, h http.Header) {
				assert.Equal(t, "application/octet-stream", h.Get("Content-Type"))
			}},
		{name: "user metadata", key: "fields/meta.txt", wantStatus: 204, fields: map[string]string{"x-oss-meta-uuid": "myuuid", "X-Oss-Meta-Tag": "mytag"},
			check: func(t *testing.T, _ response, h http.Header) {
				assert.Equal(t, "myuuid", h.Get("x-oss-meta-uuid"))
				assert.Equal(t, "mytag", h.Get("x-oss-meta-tag"))
			}},
		{name: "object ACL", key: "fields/public.txt", wantStatus: 204, fields: map[string]string{"x-oss-object-acl": "public-read"},
			check: func(t *testing.T, _ response, _ http.Header) {
				anonymous := e.send(e.newRequest("GET", e.objectURL(testBucket, "fields/public.txt"), nil))
				assert.Equal(t, http.StatusOK, anonymous.status, "anyone may read a public-read object")
			}},
		{name: "an ACL OSS does not have", key: "fields/bad-acl.txt", wantStatus: 400, fields: map[string]string{"x-oss-object-acl": "everyone"}},
		{name: "success_action_status 201", key: "fields/201.txt", wantStatus: 201, fields: map[string]string{"success_action_status": "201"},
			check: func(t *testing.T, resp response, _ http.Header) {
				assert.Contains(t, string(resp.body), "<Key>fields/201.txt</Key>")
			}},
		{name: "success_action_redirect", key: "fields/redirect.txt", wantStatus: 303, fields: map[string]string{"success_action_redirect": "https://app.example.com/done?x=1"},
			check: func(t *testing.T, resp response, _ http.Header) {
				assert.Contains(t, resp.header.Get("Location"), "https://app.example.com/done?")
				assert.Contains(t, resp.header.Get("Location"), "key=fields%2Fredirect.txt")
			}},
		{name: "x-oss-forbid-overwrite on an existing object", key: "fields/taken.txt", wantStatus: 409, fields: map[string]string{"x-oss-forbid-overwrite": "true"},
			check: func(t *testing.T, _ response, _ http.Header) {
				assert.Equal(t, "first", string(e.rootRequest("GET", testBucket, "fields/taken.txt", "", nil, nil).body), "not replaced")
			}},
		{name: "fields OSS does not know", key: "fields/unknown.txt", wantStatus: 204, fields: map[string]string{"name": "photo.jpg", "submit": "Upload to OSS", "x-oss-unknown": "1"},
			check: func(t *testing.T, _ response, h http.Header) { assert.Empty(t, h.Get("x-oss-unknown")) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.send(e.postForm(postFormSpec{key: tc.key, expiration: hour, fields: tc.fields}))
			require.Equal(t, tc.wantStatus, resp.status, "body: %s", resp.body)
			var head http.Header
			if resp.status < 300 {
				head = e.rootRequest("HEAD", testBucket, tc.key, "", nil, nil).header
			}
			if tc.check != nil {
				tc.check(t, resp, head)
			}
		})
	}
}

// TestPostObjectDocumentationSample posts the valid PostObject request OSS's documentation
// shows (https://help.aliyun.com/zh/oss/support/0006-00000201): a policy naming the size
// range, the bucket and the key, and a form that also sends success_action_status,
// Content-Disposition and two x-oss-meta-* fields, with a "submit" field after the file. The
// sample's key ("/user/a/objectName.txt") is no valid object name and its policy also has the
// condition {"A": "a"} on a field the form lacks: the key drops its leading "/", and the
// condition is refused on its own.
func TestPostObjectDocumentationSample(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, withClock(clock))
	sample := func(conditions string) *http.Request {
		policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"` + clock.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z") +
			`","conditions":[["content-length-range", 0, 10485760],{"bucket":"` + testBucket + `"}, ` + conditions + `{"key": "user/a/objectName.txt"}]}`))
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for _, f := range [][2]string{{"key", "user/a/objectName.txt"}, {"success_action_status", "200"}, {"Content-Disposition", "content_disposition"},
			{"x-oss-meta-uuid", "uuid"}, {"x-oss-meta-tag", "metadata"}, {"OSSAccessKeyId", testKeyID}, {"policy", policy}, {"Signature", postSignatureV1(testSecret, policy)}} {
			require.NoError(t, w.WriteField(f[0], f[1]))
		}
		part, err := w.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="file"; filename="MyFilename.txt"`}, "Content-Type": {"text/plain"}})
		require.NoError(t, err)
		part.Write([]byte("abcdefg"))
		require.NoError(t, w.WriteField("submit", "Upload to OSS"))
		require.NoError(t, w.Close())
		req := e.newRequest("POST", e.srv.OSSEndpoint+"/"+testBucket, body.Bytes())
		req.Header.Set("Content-Type", w.FormDataContentType())
		return req
	}
	resp := e.send(sample(""))
	require.Equal(t, http.StatusOK, resp.status, "success_action_status 200: %s", resp.body)
	head := e.rootRequest("HEAD", testBucket, "user/a/objectName.txt", "", nil, nil).header
	assert.Equal(t, "content_disposition", head.Get("Content-Disposition"))
	assert.Equal(t, "uuid", head.Get("x-oss-meta-uuid"))
	assert.Equal(t, "metadata", head.Get("x-oss-meta-tag"))
	assert.Equal(t, "text/plain", head.Get("Content-Type"), "the file part's type")
	assert.Equal(t, "abcdefg", string(e.rootRequest("GET", testBucket, "user/a/objectName.txt", "", nil, nil).body))

	resp = e.send(sample(`{"A": "a"}, `))
	require.Equal(t, http.StatusForbidden, resp.status)
	doc := parseError(t, resp.body)
	assert.Equal(t, "AccessDenied", doc.Code)
	assert.Equal(t, `Invalid according to Policy: Policy Condition failed: {"A": "a"}`, doc.Message)
}
