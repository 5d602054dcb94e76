package emulator_test

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/emulator"
)

// TestCopyNeedsReadOnTheSource checks a session may copy only what its policy lets it read:
// a copy from outside its prefix is refused (and writes nothing), one inside it works, and a
// batch delete with one key outside the prefix deletes nothing.
func TestCopyNeedsReadOnTheSource(t *testing.T) {
	e := newEnv(t)
	creds, err := e.emu.IssueCredentials("user-42", `{"Version":"1","Statement":[{"Effect":"Allow",`+
		`"Action":["oss:GetObject","oss:PutObject","oss:DeleteObject"],"Resource":["acs:oss:*:*:bucket/users/42/*"]}]}`, time.Hour)
	require.NoError(t, err)
	session := tokenCreds(creds)
	for _, key := range []string{"users/42/mine.txt", "users/43/theirs.txt"} {
		require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, key, "", nil, []byte(key)).status)
	}
	f := &codeFixture{e: e, start: time.Now()}
	copyFrom := func(source, target string) response {
		return e.send(f.signedAs(t, session, "PUT", testBucket, target, "", map[string]string{"x-oss-copy-source": source}, nil))
	}
	refused := copyFrom("/bucket/users/43/theirs.txt", "users/42/stolen.txt")
	require.Equal(t, http.StatusForbidden, refused.status, "body: %s", refused.body)
	doc := parseError(t, refused.body)
	assert.Equal(t, "AccessDenied", doc.Code)
	assert.Contains(t, doc.Message, "oss:GetObject on acs:oss:cn-hangzhou:1234567890123456:bucket/users/43/theirs.txt")
	assert.False(t, e.exists("users/42/stolen.txt"), "a refused copy writes nothing")

	assert.Equal(t, http.StatusOK, copyFrom("/bucket/users/42/mine.txt", "users/42/copy.txt").status)
	assert.Equal(t, http.StatusForbidden, copyFrom("/bucket/users/42/mine.txt", "users/43/pushed.txt").status,
		"the target needs oss:PutObject")

	body := "<Delete><Object><Key>users/42/mine.txt</Key></Object><Object><Key>users/43/theirs.txt</Key></Object></Delete>"
	resp := e.send(f.signedAs(t, session, "POST", testBucket, "", "delete", map[string]string{"Content-MD5": b64MD5(body)}, []byte(body)))
	assert.Equal(t, http.StatusForbidden, resp.status, "body: %s", resp.body)
	assert.True(t, e.exists("users/42/mine.txt"), "a refused batch delete deletes nothing")
}

// TestAnonymousAccess checks unsigned requests: GET and HEAD succeed on public-read and
// public-read-write objects only, and nothing else is allowed anonymously.
func TestAnonymousAccess(t *testing.T) {
	e := newEnv(t)
	for key, acl := range map[string]string{"public": "public-read", "open": "public-read-write", "private": "private", "default": ""} {
		h := map[string]string{}
		if acl != "" {
			h["x-oss-object-acl"] = acl
		}
		require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, key, "", h, []byte(key)).status)
	}
	cases := []struct {
		method, key string
		wantStatus  int
	}{
		{"GET", "public", 200}, {"HEAD", "public", 200}, {"GET", "open", 200},
		{"GET", "private", 403}, {"GET", "default", 403}, {"HEAD", "private", 403}, {"GET", "missing", 403},
		{"PUT", "open", 403}, {"DELETE", "public", 403},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.key, func(t *testing.T) {
			resp := e.send(e.newRequest(tc.method, e.objectURL(testBucket, tc.key), []byte("x")))
			assert.Equal(t, tc.wantStatus, resp.status)
			if tc.wantStatus == 200 && tc.method == "GET" {
				assert.Equal(t, tc.key, string(resp.body))
			}
		})
	}
	resp := e.send(e.newRequest("GET", e.objectURL(testBucket, "public")+"?acl", nil))
	assert.Equal(t, http.StatusForbidden, resp.status, "reading the ACL itself needs a signature")
}

// b64MD5 is the Base64 MD5 of s, a Content-MD5 value.
func b64MD5(s string) string { return base64.StdEncoding.EncodeToString(md5Of(s)) }

// TestObjectACLOnUploadNeedsPutObjectAcl checks that setting an object's ACL while writing it
// (x-oss-object-acl on PutObject, InitiateMultipartUpload, AppendObject and CopyObject, or a
// PostObject form field) takes oss:PutObjectAcl on top of oss:PutObject, as PutObjectAcl does:
// a session without it is refused and nothing is written; one with it sets the ACL.
func TestObjectACLOnUploadNeedsPutObjectAcl(t *testing.T) {
	clock := &testClock{t: time.Now().Truncate(time.Second)}
	e := newEnv(t, withClock(clock))
	policy := func(actions string) string {
		return `{"Version":"1","Statement":[{"Effect":"Allow","Action":[` + actions + `],"Resource":["acs:oss:*:*:bucket/users/42/*"]}]}`
	}
	writer, err := e.emu.IssueCredentials("writer", policy(`"oss:PutObject","oss:GetObject"`), time.Hour)
	require.NoError(t, err)
	owner, err := e.emu.IssueCredentials("owner", policy(`"oss:PutObject","oss:GetObject","oss:PutObjectAcl"`), time.Hour)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, "users/42/source.txt", "", nil, []byte("source")).status)
	f := &codeFixture{e: e, start: clock.Now()}
	acl := map[string]string{"x-oss-object-acl": "public-read"}
	copyACL := map[string]string{"x-oss-object-acl": "public-read", "x-oss-copy-source": "/bucket/users/42/source.txt"}
	cases := []struct {
		name string
		send func(creds emulator.Credentials, key string) response
	}{
		{"PutObject", func(c emulator.Credentials, key string) response {
			return e.send(f.signedAs(t, tokenCreds(c), "PUT", testBucket, key, "", acl, []byte("x")))
		}},
		{"InitiateMultipartUpload", func(c emulator.Credentials, key string) response {
			return e.send(f.signedAs(t, tokenCreds(c), "POST", testBucket, key, "uploads", acl, nil))
		}},
		{"AppendObject", func(c emulator.Credentials, key string) response {
			return e.send(f.signedAs(t, tokenCreds(c), "POST", testBucket, key, "append&position=0", acl, []byte("x")))
		}},
		{"CopyObject", func(c emulator.Credentials, key string) response {
			return e.send(f.signedAs(t, tokenCreds(c), "PUT", testBucket, key, "", copyACL, nil))
		}},
		{"PostObject", func(c emulator.Credentials, key string) response {
			creds := tokenCreds(c)
			return e.send(e.postForm(postFormSpec{key: key, expiration: clock.Now().Add(time.Hour), v4: true, signTime: clock.Now(), creds: &creds, fields: acl}))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := "users/42/" + tc.name + "-refused"
			refused := tc.send(writer, key)
			require.Equal(t, http.StatusForbidden, refused.status, "body: %s", refused.body)
			doc := parseError(t, refused.body)
			assert.Equal(t, "AccessDenied", doc.Code)
			assert.Contains(t, doc.Message, "oss:PutObjectAcl")
			assert.False(t, e.exists(key), "nothing written")
			for _, u := range e.emu.OpenUploads(testBucket) {
				assert.NotEqual(t, key, u.Key, "no upload started")
			}

			allowed := tc.send(owner, "users/42/"+tc.name+"-allowed")
			require.Less(t, allowed.status, 300, "body: %s", allowed.body)
		})
	}
	acls := e.rootRequest("GET", testBucket, "users/42/PutObject-allowed", "acl", nil, nil)
	assert.Contains(t, string(acls.body), "<Grant>public-read</Grant>")
}
