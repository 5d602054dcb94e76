package signer

import "strings"

// signableV1 are the query parameters V1 signs by name (§1.3): the core list shared by the
// official Go and Python v2 SDKs, plus the bucket and feature sub-resources of the legacy SDKs'
// lists, so a bucket operation's sub-resource is signed without naming it in SubResources.
// Parameters whose name starts with "x-oss-" are signed too (isSignableV1).
var signableV1 = map[string]bool{
	// core list (Go v2 oss/signer/v1.go, python v2 signer/v1.py)
	"acl": true, "append": true, "bucketInfo": true, "callback": true, "callback-var": true,
	"cloudboxes": true, "continuation-token": true, "delete": true, "location": true,
	"objectMeta": true, "partNumber": true, "position": true, "regionList": true,
	"response-cache-control": true, "response-content-disposition": true,
	"response-content-encoding": true, "response-content-language": true,
	"response-content-type": true, "response-expires": true, "restore": true,
	"security-token": true, "sequential": true, "stat": true, "symlink": true, "tagging": true,
	"uploadId": true, "uploads": true, "versionId": true, "versioning": true, "versions": true,
	"resourceGroup": true,
	// bucket and feature sub-resources (aliyun-oss-go-sdk signKeyList, oss2, Java SignParameters)
	"accessPoint": true, "accessPointPolicy": true, "asyncFetch": true,
	"bucketArchiveDirectRead": true, "cname": true, "comp": true, "cors": true,
	"encryption": true, "endTime": true, "group": true, "httpsConfig": true, "img": true,
	"inventory": true, "inventoryId": true, "lifecycle": true, "link": true, "live": true,
	"logging": true, "metaQuery": true, "objectInfo": true, "policy": true,
	"publicAccessBlock": true, "qos": true, "qosInfo": true, "qosRequester": true,
	"redundancyTransition": true, "referer": true, "replication": true,
	"replicationLocation": true, "replicationProgress": true, "requestPayment": true,
	"requesterQosInfo": true, "resourcePool": true, "resourcePoolBuckets": true,
	"resourcePoolInfo": true, "responseHeader": true, "rtc": true, "startTime": true,
	"status": true, "style": true, "styleName": true, "transferAcceleration": true, "udf": true,
	"udfApplication": true, "udfApplicationLog": true, "udfId": true, "udfImage": true,
	"udfImageDesc": true, "udfName": true, "vod": true, "website": true,
	"withHashContext": true, "worm": true, "wormExtend": true, "wormId": true,
	"processConfiguration": true,
}

// isSignableV1 reports whether V1 puts query parameter name into the CanonicalizedResource.
func isSignableV1(name string, extra []string) bool {
	return signableV1[name] || strings.HasPrefix(name, "x-oss-") || contains(extra, name)
}
