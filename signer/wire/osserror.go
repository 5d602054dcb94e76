package wire

import (
	"encoding/hex"
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
)

// OSSError is an error returned by OSS: the XML <Error> body of a failed request.
type OSSError struct {
	// StatusCode is the HTTP status of the response; ParseOSSError leaves it 0 for the caller
	// to set.
	StatusCode int
	// Code is OSS's error code, such as "SignatureDoesNotMatch" or "AccessDenied".
	Code string
	// Message is OSS's explanation.
	Message string
	// RequestID identifies the request for Alibaba Cloud support.
	RequestID string
	// HostID is the host that answered, such as "bucket.oss-cn-hangzhou.aliyuncs.com".
	HostID string
	// EC is OSS's detailed error code, such as "0002-00000040".
	EC string
	// RecommendDoc is a link to OSS's documentation of the error.
	RecommendDoc string
	// StringToSign is the string OSS signed, on SignatureDoesNotMatch: compare it with
	// signer.Explanation.StringToSign. Its newlines are kept.
	StringToSign string
	// CanonicalRequest is the V4 canonical request OSS built, on SignatureDoesNotMatch.
	CanonicalRequest string
}

// Error returns "oss: Code: Message (HTTP status, RequestId …, EC …)".
func (e *OSSError) Error() string {
	status := ""
	if e.StatusCode != 0 {
		status = strconv.Itoa(e.StatusCode)
	}
	return serviceErrorText("oss", e.Code, e.Message, "HTTP", status, "RequestId", e.RequestID, "EC", e.EC)
}

// ossErrorXML is the <Error> document.
type ossErrorXML struct {
	XMLName           xml.Name
	Code              string `xml:"Code"`
	Message           string `xml:"Message"`
	RequestID         string `xml:"RequestId"`
	HostID            string `xml:"HostId"`
	EC                string `xml:"EC"`
	RecommendDoc      string `xml:"RecommendDoc"`
	StringToSign      string `xml:"StringToSign"`
	StringToSignBytes string `xml:"StringToSignBytes"`
	CanonicalRequest  string `xml:"CanonicalRequest"`
}

// ParseOSSError parses an OSS error body:
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message><RequestId>…</RequestId>
//	<HostId>…</HostId><StringToSign>…</StringToSign><StringToSignBytes>47 45 54 …</StringToSignBytes>
//	<CanonicalRequest>…</CanonicalRequest><EC>0002-00000040</EC><RecommendDoc>…</RecommendDoc></Error>
//
// When StringToSign is absent, it is decoded from StringToSignBytes (hex bytes separated by
// spaces); a StringToSignBytes that is not of that form is ignored. XML turns "\r\n" into
// "\n"; newlines survive. A body that is not XML, or whose root is not <Error> with a Code, is
// an error with code [CodeMalformedResponse]. StatusCode is left 0.
func ParseOSSError(body []byte) (*OSSError, error) {
	var x ossErrorXML
	err := xml.Unmarshal(body, &x)
	var syntax *xml.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return nil, newError(CodeMalformedResponse, "OSS error body is not XML: syntax error on line %d", syntax.Line)
	case err != nil:
		return nil, newError(CodeMalformedResponse, "OSS error body is empty or not XML")
	case x.XMLName.Local != "Error":
		return nil, newError(CodeMalformedResponse, "OSS error body is not an <Error> document")
	case x.Code == "":
		return nil, newError(CodeMalformedResponse, "OSS error body has no <Code>")
	}
	if x.StringToSign == "" {
		x.StringToSign = decodeSpacedHex(x.StringToSignBytes)
	}
	return &OSSError{Code: x.Code, Message: x.Message, RequestID: x.RequestID, HostID: x.HostID, EC: x.EC,
		RecommendDoc: x.RecommendDoc, StringToSign: x.StringToSign, CanonicalRequest: x.CanonicalRequest}, nil
}

// decodeSpacedHex decodes bytes written as two hex digits each, separated by white space
// ("47 45 54 0A"), and returns "" when s is not of that form.
func decodeSpacedHex(s string) string {
	fields := strings.Fields(s)
	out := make([]byte, 0, len(fields))
	for _, f := range fields {
		b, err := hex.DecodeString(f)
		if err != nil || len(b) != 1 {
			return ""
		}
		out = append(out, b[0])
	}
	return string(out)
}
