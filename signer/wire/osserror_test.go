package wire_test

import (
	"testing"

	"github.com/ossign/ossign/signer/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sigMismatchBody is an OSS SignatureDoesNotMatch body for a V1 GET; StringToSign spans lines.
const sigMismatchBody = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <RequestId>65659A2B8F3A1F3437DA31F1</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <OSSAccessKeyId>ak</OSSAccessKeyId>
  <SignatureProvided>kSHKmLxlyEAKtZPkJhG9bZb5k7M=</SignatureProvided>
  <StringToSign>GET


Wed, 28 Dec 2022 10:27:41 GMT
/examplebucket/nelson</StringToSign>
  <StringToSignBytes>47 45 54 0A 0A 0A 57 65 64</StringToSignBytes>
  <EC>0002-00000040</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000040</RecommendDoc>
</Error>`

func TestParseOSSError(t *testing.T) {
	cases := []struct {
		name string
		body string
		want wire.OSSError
	}{
		{
			name: "SignatureDoesNotMatch keeps StringToSign newlines",
			body: sigMismatchBody,
			want: wire.OSSError{Code: "SignatureDoesNotMatch",
				Message:      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
				RequestID:    "65659A2B8F3A1F3437DA31F1",
				HostID:       "examplebucket.oss-cn-hangzhou.aliyuncs.com",
				EC:           "0002-00000040",
				RecommendDoc: "https://api.aliyun.com/troubleshoot?q=0002-00000040",
				StringToSign: "GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/nelson"},
		},
		{
			name: "StringToSignBytes when StringToSign is absent",
			body: `<Error><Code>SignatureDoesNotMatch</Code><StringToSignBytes>47 45 54 0d 0A 2F 62</StringToSignBytes></Error>`,
			want: wire.OSSError{Code: "SignatureDoesNotMatch", StringToSign: "GET\r\n/b"},
		},
		{
			name: "malformed StringToSignBytes ignored",
			body: `<Error><Code>SignatureDoesNotMatch</Code><StringToSignBytes>47 4 54</StringToSignBytes></Error>`,
			want: wire.OSSError{Code: "SignatureDoesNotMatch"},
		},
		{
			name: "V4 CanonicalRequest",
			body: "<Error><Code>SignatureDoesNotMatch</Code><StringToSign>OSS4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/oss/aliyun_v4_request\nabc</StringToSign>" +
				"<CanonicalRequest>PUT\n/examplebucket/nelson\n\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>",
			want: wire.OSSError{Code: "SignatureDoesNotMatch",
				StringToSign:     "OSS4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/oss/aliyun_v4_request\nabc",
				CanonicalRequest: "PUT\n/examplebucket/nelson\n\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n\nhost\nUNSIGNED-PAYLOAD"},
		},
		{
			name: "CRLF normalized to LF by XML",
			body: "<Error><Code>AccessDenied</Code><StringToSign>GET\r\n/b</StringToSign></Error>",
			want: wire.OSSError{Code: "AccessDenied", StringToSign: "GET\n/b"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseOSSError([]byte(tc.body))
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tc.want, *got)
		})
	}
}

func TestOSSErrorMessage(t *testing.T) {
	cases := []struct {
		name string
		err  wire.OSSError
		want string
	}{
		{"all parts", wire.OSSError{StatusCode: 403, Code: "SignatureDoesNotMatch", Message: "The request signature we calculated does not match.",
			RequestID: "65659A2B", EC: "0002-00000040"},
			"oss: SignatureDoesNotMatch: The request signature we calculated does not match. (HTTP 403, RequestId 65659A2B, EC 0002-00000040)"},
		{"status unset", wire.OSSError{Code: "NoSuchKey", Message: "The specified key does not exist.", RequestID: "R1"},
			"oss: NoSuchKey: The specified key does not exist. (RequestId R1)"},
		{"code only", wire.OSSError{Code: "AccessDenied"}, "oss: AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}

func TestParseOSSErrorErrors(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		contains string
	}{
		{"empty", "", "OSS error body is empty or not XML"},
		{"plain text", "Bad Gateway", "OSS error body is empty or not XML"},
		{"JSON", `{"Code":"AccessDenied"}`, "OSS error body is empty or not XML"},
		{"broken HTML", "<html><body>502 Bad Gateway</body>", "OSS error body is not XML: syntax error on line 1"},
		{"other document", "<ListBucketResult><Name>b</Name></ListBucketResult>", "OSS error body is not an <Error> document"},
		{"no Code", "<Error><Message>m</Message></Error>", "OSS error body has no <Code>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseOSSError([]byte(tc.body))
			require.Error(t, err)
			assert.Nil(t, got, "result on error")
			assert.Contains(t, requireCode(t, err, wire.CodeMalformedResponse), tc.contains)
		})
	}
}
