package signer

// The query parameters V1 signs by name (§1.3), each list sorted byte-wise for a binary search
// (a map would be built when the wasm starts, for V4 signers that never read it). Parameters
// whose name starts with "x-oss-" are signed too (isSignableV1).
var (
	// signableV1 is the core list shared by the official Go and Python v2 SDKs
	// (Go v2 oss/signer/v1.go, python v2 signer/v1.py).
	signableV1 = []string{
		"acl", "append", "bucketInfo", "callback", "callback-var", "cloudboxes", "continuation-token",
		"delete", "location", "objectMeta", "partNumber", "position", "regionList", "resourceGroup",
		"response-cache-control", "response-content-disposition", "response-content-encoding",
		"response-content-language", "response-content-type", "response-expires", "restore",
		"security-token", "sequential", "stat", "symlink", "tagging", "uploadId", "uploads",
		"versionId", "versioning", "versions",
	}
	// signableV1Legacy are the bucket and feature sub-resources of the legacy SDKs' lists
	// (aliyun-oss-go-sdk signKeyList, oss2, Java SignParameters), so a bucket operation's
	// sub-resource is signed without naming it in SubResources.
	signableV1Legacy = []string{
		"accessPoint", "accessPointPolicy", "asyncFetch", "bucketArchiveDirectRead", "cname", "comp",
		"cors", "encryption", "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId",
		"lifecycle", "link", "live", "logging", "metaQuery", "objectInfo", "policy",
		"processConfiguration", "publicAccessBlock", "qos", "qosInfo", "qosRequester",
		"redundancyTransition", "referer", "replication", "replicationLocation",
		"replicationProgress", "requestPayment", "requesterQosInfo", "resourcePool",
		"resourcePoolBuckets", "resourcePoolInfo", "responseHeader", "rtc", "startTime", "status",
		"style", "styleName", "transferAcceleration", "udf", "udfApplication", "udfApplicationLog",
		"udfId", "udfImage", "udfImageDesc", "udfName", "vod", "website", "withHashContext", "worm",
		"wormExtend", "wormId",
	}
)

// isSignableV1 reports whether V1 puts query parameter name into the CanonicalizedResource.
func isSignableV1(name string, extra []string) bool {
	return inSorted(signableV1, name) || inSorted(signableV1Legacy, name) ||
		hasPrefix(name, "x-oss-") || contains(extra, name)
}
