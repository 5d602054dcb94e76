package emulator

// OSS's fine-grained error codes (the EC element and x-oss-ec header, "each error cause
// corresponds to a unique EC": https://www.alibabacloud.com/help/doc-detail/32005.htm). Each
// is the one the page named beside it documents for that cause; an error the emulator answers
// without an EC is one whose EC no available source confirms (see TestErrorCodesMatchTheDocs).
const (
	// ecAccessDenied: no permission (policy or ACL), or an anonymous request to a private
	// object. https://www.alibabacloud.com/help/en/oss/support/0003-00000001
	ecAccessDenied = "0003-00000001"
	// ecNoSuchBucket: the bucket does not exist (the official Go SDK v2's test fixtures).
	ecNoSuchBucket = "0015-00000101"
	// ecNoSuchKey: the object does not exist (the official Go SDK v2's test fixtures).
	ecNoSuchKey = "0026-00000001"
	// ecFileAlreadyExists: x-oss-forbid-overwrite: true and the object exists.
	// https://help.aliyun.com/en/oss/user-guide/0026-00000002
	ecFileAlreadyExists = "0026-00000002"
	// ecForbidOverwriteValue: x-oss-forbid-overwrite is neither true nor false.
	// https://help.aliyun.com/en/oss/user-guide/0017-00000279
	ecForbidOverwriteValue = "0017-00000279"
	// ecPositionNotEqualToLength: AppendObject at a position other than the object's length
	// (the official Go SDK v2's test fixtures).
	ecPositionNotEqualToLength = "0026-00000016"
	// ecAppendPositionMissing: AppendObject without position.
	// https://www.alibabacloud.com/help/en/oss/support/0016-00000501
	ecAppendPositionMissing = "0016-00000501"
	// ecDeleteMD5Missing: DeleteMultipleObjects without Content-MD5.
	// https://www.alibabacloud.com/help/en/oss/user-guide/0016-00000606
	ecDeleteMD5Missing = "0016-00000606"
	// ecDeleteKeyMissing: a DeleteMultipleObjects <Object> without <Key>.
	// https://www.alibabacloud.com/help/en/oss/support/0016-00000613
	ecDeleteKeyMissing = "0016-00000613"
	// ecDeleteMalformedXML: a DeleteMultipleObjects body that is not its XML (the official Go
	// SDK v2's DeleteMultipleObjects test fixtures).
	ecDeleteMalformedXML = "0016-00000608"
	// ecNoSuchUpload: the upload id does not exist. https://www.alibabacloud.com/help/en/oss/support/0017-00000244
	ecNoSuchUpload = "0017-00000244"
	// ecEntityTooSmall: a part other than the last is under 100 KB.
	// https://help.aliyun.com/en/oss/user-guide/0042-00000213
	ecEntityTooSmall = "0042-00000213"
	// ecSignatureDoesNotMatch: the signature differs from the one OSS computes (the official
	// Go SDK v2's test fixtures).
	ecSignatureDoesNotMatch = "0002-00000040"
	// PostObject policies OSS cannot read (https://help.aliyun.com/en/oss/user-guide/<EC>):
	// ecPolicyNotUTF8: the policy is not UTF-8.
	ecPolicyNotUTF8 = "0006-00000203"
	// ecPolicyNoConditions: the policy has no conditions.
	ecPolicyNoConditions = "0006-00000207"
	// ecPolicyConditionsNotList: conditions is not a list.
	ecPolicyConditionsNotList = "0006-00000214"
	// ecPolicyConditionsEmpty: conditions is an empty list.
	ecPolicyConditionsEmpty = "0006-00000215"
	// ecPolicyConditionNoMode: a list condition without its matching mode (["$key"]).
	ecPolicyConditionNoMode = "0006-00000216"
	// ecPolicyConditionMode: a matching mode OSS does not have (ends-with).
	ecPolicyConditionMode = "0006-00000217"
	// ecPolicyConditionValue: a condition with a value that is not valid (an extra element).
	ecPolicyConditionValue = "0006-00000218"
	// ecPolicyLengthRange: a content-length-range that is not two integers, min ≤ max.
	ecPolicyLengthRange = "0006-00000221"
	// ecPolicyConditionShape: a condition that is neither a map nor a list.
	ecPolicyConditionShape = "0006-00000222"
	// ecPolicyConditionType: a value of the wrong type for its mode (not-in with a string).
	ecPolicyConditionType = "0006-00000224"
	// ecV4URLNotYetValid: a V4 signed URL used before its x-oss-date (beyond the 15 minutes
	// allowed). https://www.alibabacloud.com/help/en/oss/support/0002-00000235
	ecV4URLNotYetValid = "0002-00000235"
)
