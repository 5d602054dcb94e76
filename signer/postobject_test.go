package signer_test

import (
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PostObject vectors of spec §6.6 (ali-oss and independent code agree).
func TestPostObjectVectors(t *testing.T) {
	signedAt := time.Date(2023, 12, 3, 12, 12, 12, 0, time.UTC)
	cases := []struct {
		id        string
		version   signer.Version
		policy    string
		signature string
		fields    []string // form field names, in order
	}{
		{"PostObject-V1", signer.V1,
			`{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},["content-length-range",1,1024]]}`,
			"ZeilIX96BkMFOqcTwNhY/8V+JYs=", []string{"policy", "OSSAccessKeyId", "Signature"}},
		{"PostObject-V4", signer.V4,
			`{"expiration":"2023-12-03T13:00:00.000Z","conditions":[{"bucket":"examplebucket"},{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"ak/20231203/cn-hangzhou/oss/aliyun_v4_request"},{"x-oss-date":"20231203T121212Z"},["content-length-range",1,1024]]}`,
			"00a867c28c763ac3e14a0bd37dd675c9414ee3258e327b629c5ea9531f86c3b1",
			[]string{"policy", "x-oss-signature-version", "x-oss-credential", "x-oss-date", "x-oss-signature"}},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			target := signer.Target{Region: "cn-hangzhou", Version: tc.version}
			form, err := signer.SignPostObject(target, static, "examplebucket", []byte(tc.policy), signedAt)
			require.NoError(t, err)
			assert.Equal(t, tc.signature, form.Explanation.Signature, "stage: signature")
			assert.Equal(t, "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/", form.URL)
			var names []string
			for _, f := range form.Fields {
				names = append(names, f.Name)
			}
			assert.Equal(t, tc.fields, names)
			assert.Equal(t, form.Explanation.StringToSign, fieldOf(form.Fields, "policy"))

			conditions, err := signer.PostPolicyConditions(target, static, signedAt)
			require.NoError(t, err)
			for _, c := range conditions {
				assert.Contains(t, tc.policy, `{"`+c.Name+`":"`+c.Value+`"}`, "the policy repeats each signing condition")
				assert.Equal(t, c.Value, fieldOf(form.Fields, c.Name))
			}
		})
	}
}

func TestPostObjectSTS(t *testing.T) {
	now := time.Unix(1702781677, 0)
	creds := signer.Credentials{AccessKeyID: "STS.id", AccessKeySecret: "sk", SecurityToken: "tok+/=", Expiration: now.Add(time.Hour)}
	for _, v := range []signer.Version{signer.V1, signer.V4} {
		target := signer.Target{Region: "cn-hangzhou", Version: v}
		form, err := signer.SignPostObject(target, creds, "examplebucket", []byte(`{"expiration":"x","conditions":[]}`), now)
		require.NoError(t, err)
		assert.Equal(t, "tok+/=", fieldOf(form.Fields, "x-oss-security-token"), string(v))
		conditions, err := signer.PostPolicyConditions(target, creds, now)
		require.NoError(t, err)
		if v == signer.V4 {
			assert.Equal(t, "tok+/=", fieldOf(conditions, "x-oss-security-token"), "V4 policies repeat the token")
		} else {
			assert.Empty(t, conditions)
		}
	}
}

func TestPostObjectErrors(t *testing.T) {
	now := time.Unix(1702781677, 0)
	target := signer.Target{Region: "cn-hangzhou"}
	cases := []struct {
		name   string
		bucket string
		policy string
		creds  signer.Credentials
		code   signer.ErrorCode
	}{
		{"no bucket", "", "{}", static, signer.CodeInvalidBucket},
		{"bad bucket", "Bad", "{}", static, signer.CodeInvalidBucket},
		{"empty policy", "examplebucket", "", static, signer.CodeInvalidPolicy},
		{"not an object", "examplebucket", "[]", static, signer.CodeInvalidPolicy},
		{"not UTF-8", "examplebucket", "{\xff}", static, signer.CodeInvalidPolicy},
		{"expired", "examplebucket", "{}", signer.Credentials{AccessKeyID: "a", AccessKeySecret: "b", Expiration: now}, signer.CodeExpiredCredentials},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signer.SignPostObject(target, tc.creds, tc.bucket, []byte(tc.policy), now)
			assert.ErrorIs(t, err, &signer.Error{Code: tc.code})
		})
	}
}

func fieldOf(fields []signer.Param, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}
