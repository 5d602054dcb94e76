package wire

import "github.com/ossign/ossign/signer"

// STSError is an error returned by STS (spec sts-and-vending.md §1.6), such as NoPermission
// or EntityNotExist.Role. Log it on the vending server; do not forward it to the browser.
type STSError struct {
	// Code is STS's error code, such as "InvalidParameter.DurationSeconds".
	Code string
	// Message is STS's explanation.
	Message string
	// RequestID identifies the request for Alibaba Cloud support.
	RequestID string
	// HostID is the STS host that answered, such as "sts.aliyuncs.com".
	HostID string
	// Recommend is the diagnostics link some STS errors carry; often empty.
	Recommend string
}

// Error returns "sts: Code: Message (RequestId …)".
func (e *STSError) Error() string {
	return serviceErrorText("sts", e.Code, e.Message, "RequestId", e.RequestID)
}

// assumeRoleJSON is the AssumeRole response (§1.5) and its error shape (§1.6) in one.
type assumeRoleJSON struct {
	Credentials *credentialsJSON `json:"Credentials"`
	Code        string           `json:"Code"`
	Message     string           `json:"Message"`
	RequestID   string           `json:"RequestId"`
	HostID      string           `json:"HostId"`
	Recommend   string           `json:"Recommend"`
}

// ParseAssumeRole parses the body of an STS AssumeRole response:
//
//	{"RequestId":"…","AssumedRoleUser":{…},"Credentials":{"AccessKeyId":"STS.…",
//	 "AccessKeySecret":"…","SecurityToken":"…","Expiration":"2015-04-09T11:52:19Z"}}
//
// All four credential fields are required; Expiration is read as in [ParseVending] and expiry
// is not checked. A body without a Credentials object but with a Code, such as
// {"RequestId":"…","HostId":"sts.aliyuncs.com","Code":"NoPermission","Message":"…"}, is
// returned as an *[STSError].
func ParseAssumeRole(body []byte) (signer.Credentials, error) {
	var j assumeRoleJSON
	if err := decodeJSON(body, assumeRoleSource.doc, &j); err != nil {
		return signer.Credentials{}, err
	}
	switch {
	case j.Credentials != nil:
		return j.Credentials.credentials(assumeRoleSource, true)
	case j.Code != "":
		return signer.Credentials{}, &STSError{Code: j.Code, Message: j.Message, RequestID: j.RequestID, HostID: j.HostID, Recommend: j.Recommend}
	}
	return signer.Credentials{}, newError(signer.CodeMissingCredentials, "AssumeRole response has neither a Credentials object nor an error Code")
}
