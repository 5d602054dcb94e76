package emulator

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// route is where a request is addressed: a bucket and a key (both decoded), or neither.
type route struct {
	bucket string
	key    string
}

// parseRoute reads the bucket and key from the Host header and the decoded path. A host of
// the form <bucket>.<hostname>, for a configured hostname, or <bucket>.oss-<region>[-internal].aliyuncs.com
// (what SDKs such as ali-oss send to an IP endpoint) is virtual-hosted (the whole path is the
// key); any other host is path-style (/<bucket>/<key>).
func (e *Emulator) parseRoute(r *http.Request) (route, error) {
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		return route{}, errInvalidArgument("The request path must start with /.", "path", path)
	}
	var rt route
	if bucket, ok := e.virtualHostBucket(r.Host); ok {
		rt = route{bucket: bucket, key: path[1:]}
	} else {
		rt.bucket, rt.key, _ = strings.Cut(path[1:], "/")
	}
	if rt.bucket == "" {
		return rt, nil
	}
	if !validBucketName(rt.bucket) {
		return rt, newOSSError(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.").
			with("BucketName", rt.bucket)
	}
	if !e.store.hasBucket(rt.bucket) {
		return rt, errNoSuchBucket(rt.bucket)
	}
	return rt, nil
}

// ossHostPattern is an OSS public or internal virtual-hosted host name,
// <bucket>.oss-<region>[-internal].aliyuncs.com: the Host ali-oss (and other SDKs) send when
// their endpoint is an IP address, whatever address the request reached.
var ossHostPattern = regexp.MustCompile(`^([a-z0-9-]+)\.oss-[a-z0-9-]+\.aliyuncs\.com$`)

// errNoSuchBucket is 404 NoSuchBucket.
func errNoSuchBucket(bucket string) *ossError {
	return newOSSError(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist.").
		with("BucketName", bucket).withEC(ecNoSuchBucket)
}

// virtualHostBucket returns the bucket of a virtual-hosted Host header.
func (e *Emulator) virtualHostBucket(hostport string) (string, bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if m := ossHostPattern.FindStringSubmatch(host); m != nil {
		return m[1], true
	}
	for _, name := range e.cfg.Hostnames {
		if bucket, ok := strings.CutSuffix(host, "."+name); ok && bucket != "" {
			return bucket, true
		}
	}
	return "", false
}

// checkObjectKey applies OSS's object key rule: 1–1023 bytes of UTF-8, not starting with / or \.
func checkObjectKey(key string) error {
	switch {
	case key == "" || len(key) > 1023 || !utf8.ValidString(key) || key[0] == '/' || key[0] == '\\':
		return newOSSError(http.StatusBadRequest, "InvalidObjectName",
			"The specified object is not valid: an object key is 1–1023 bytes of UTF-8 and starts with neither / nor \\.").
			with("ObjectName", key)
	}
	return nil
}

// operation is one OSS API the emulator serves.
type operation struct {
	// name is OSS's name for the API, as logged.
	name string
	// action is the RAM action a session policy must allow; "" when serve authorizes the
	// request itself.
	action string
	// onBucket says the RAM resource is the bucket (acs:oss:*:*:bucket), not an object.
	onBucket bool
	// serve handles an authorized request.
	serve func(*call) error
}

// The operations, by OSS API name.
var (
	opPutObject      = &operation{"PutObject", "oss:PutObject", false, (*call).putObject}
	opGetObject      = &operation{"GetObject", "oss:GetObject", false, (*call).getObject}
	opHeadObject     = &operation{"HeadObject", "oss:GetObject", false, (*call).getObject}
	opGetObjectMeta  = &operation{"GetObjectMeta", "oss:GetObject", false, (*call).getObject}
	opDeleteObject   = &operation{"DeleteObject", "oss:DeleteObject", false, (*call).deleteObject}
	opListObjects    = &operation{"ListObjects", "oss:ListObjects", true, (*call).listObjects}
	opListObjectsV2  = &operation{"ListObjectsV2", "oss:ListObjects", true, (*call).listObjects}
	opInitiateUpload = &operation{"InitiateMultipartUpload", "oss:PutObject", false, (*call).initiateMultipartUpload}
	opUploadPart     = &operation{"UploadPart", "oss:PutObject", false, (*call).uploadPart}
	opListParts      = &operation{"ListParts", "oss:ListParts", false, (*call).listParts}
	opCompleteUpload = &operation{"CompleteMultipartUpload", "oss:PutObject", false, (*call).completeMultipartUpload}
	opAbortUpload    = &operation{"AbortMultipartUpload", "oss:AbortMultipartUpload", false, (*call).abortMultipartUpload}
	opListUploads    = &operation{"ListMultipartUploads", "oss:ListMultipartUploads", true, (*call).listMultipartUploads}
	opCopyObject     = &operation{"CopyObject", "oss:PutObject", false, (*call).copyObject}
	opUploadPartCopy = &operation{"UploadPartCopy", "oss:PutObject", false, (*call).uploadPartCopy}
	opAppendObject   = &operation{"AppendObject", "oss:PutObject", false, (*call).appendObject}
	opPutObjectACL   = &operation{"PutObjectAcl", "oss:PutObjectAcl", false, (*call).putObjectACL}
	opGetObjectACL   = &operation{"GetObjectAcl", "oss:GetObjectAcl", false, (*call).getObjectACL}
	opProcessObject  = &operation{"ProcessObject", "oss:PostProcessTask", false, (*call).processObject}
	// opDeleteMultiple authorizes oss:DeleteObject on each key itself.
	opDeleteMultiple = &operation{"DeleteMultipleObjects", "", true, (*call).deleteMultipleObjects}
	// opPostObject authenticates from its form, so its serve does authentication itself.
	opPostObject = &operation{"PostObject", "oss:PutObject", false, (*call).postObject}
)

// identify maps a request's method, sub-resources and target to its operation.
func identify(r *http.Request, rt route) (*operation, error) {
	q := r.URL.Query()
	if name := unsupportedSubresource(q); name != "" {
		return nil, errNotImplemented("the " + name + " sub-resource")
	}
	if q.Has("objectMeta") && (r.Method != http.MethodHead || rt.key == "") {
		return nil, errNotImplemented("objectMeta except on HEAD of an object (GetObjectMeta)")
	}
	if rt.bucket == "" {
		return nil, errNotImplemented(r.Method + " on the service (bucket-less) endpoint")
	}
	if rt.key == "" {
		return identifyBucketOp(r.Method, q)
	}
	if err := checkObjectKey(rt.key); err != nil {
		return nil, err
	}
	upload := q.Has("uploadId")
	switch r.Method {
	case http.MethodPut:
		copied := r.Header.Get("x-oss-copy-source") != ""
		switch {
		case q.Has("acl"):
			return opPutObjectACL, nil
		case (upload || q.Has("partNumber")) && copied:
			return opUploadPartCopy, nil
		case upload || q.Has("partNumber"):
			return opUploadPart, nil
		case copied:
			return opCopyObject, nil
		}
		return opPutObject, nil
	case http.MethodGet:
		switch {
		case q.Has("acl"):
			return opGetObjectACL, nil
		case upload:
			return opListParts, nil
		}
		return opGetObject, nil
	case http.MethodHead:
		if q.Has("objectMeta") {
			return opGetObjectMeta, nil
		}
		return opHeadObject, nil
	case http.MethodDelete:
		if upload {
			return opAbortUpload, nil
		}
		return opDeleteObject, nil
	case http.MethodPost:
		switch {
		case q.Has("uploads"):
			return opInitiateUpload, nil
		case upload:
			return opCompleteUpload, nil
		case q.Has("append"):
			return opAppendObject, nil
		case q.Has("x-oss-process"):
			return opProcessObject, nil
		}
	}
	return nil, errNotImplemented(r.Method + " on an object without a supported sub-resource")
}

// identifyBucketOp maps a request to a bucket (no key) to its operation.
func identifyBucketOp(method string, q url.Values) (*operation, error) {
	switch {
	case method == http.MethodGet && q.Has("uploads"):
		return opListUploads, nil
	case method == http.MethodGet && q.Get("list-type") == "2":
		return opListObjectsV2, nil
	case method == http.MethodGet && !q.Has("acl"):
		return opListObjects, nil
	case method == http.MethodPost && q.Has("delete"):
		return opDeleteMultiple, nil
	case method == http.MethodPost && !q.Has("delete"):
		return opPostObject, nil
	}
	return nil, errNotImplemented(method + " on a bucket")
}

// legacySubresources are the bucket and feature sub-resources of the legacy SDKs' signing
// lists (spec §1.3). The official Go SDK v2 signer signs them only when told to, so the V1
// verifier passes the ones present in a request as SigningContext.SubResource.
var legacySubresources = setOf(
	"accessPoint", "accessPointPolicy", "asyncFetch", "bucketArchiveDirectRead", "cname", "comp",
	"cors", "encryption", "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId",
	"lifecycle", "link", "live", "logging", "metaQuery", "objectInfo", "policy",
	"processConfiguration", "publicAccessBlock", "qos", "qosInfo", "qosRequester",
	"redundancyTransition", "referer", "replication", "replicationLocation", "replicationProgress",
	"requestPayment", "requesterQosInfo", "resourceGroup", "resourcePool", "resourcePoolBuckets",
	"resourcePoolInfo", "responseHeader", "rtc", "startTime", "status", "style", "styleName",
	"transferAcceleration", "udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage",
	"udfImageDesc", "udfName", "vod", "website", "withHashContext", "worm", "wormExtend", "wormId",
)

// otherUnsupported are sub-resources of the SDKs' core signing list, and processing
// parameters, for APIs the emulator does not have.
var otherUnsupported = setOf(
	"bucketInfo", "callback", "callback-var", "cloudboxes", "location", "regionList", "restore",
	"sequential", "stat", "symlink", "tagging", "versionId", "versioning", "versions", "x-oss-async-process",
)

// unsupportedSubresource returns the first (in byte order) sub-resource in q the emulator
// does not serve, or "".
func unsupportedSubresource(q url.Values) string {
	first := ""
	for name := range q {
		if (legacySubresources[name] || otherUnsupported[name]) && (first == "" || name < first) {
			first = name
		}
	}
	return first
}

// setOf returns a set holding names.
func setOf(names ...string) map[string]bool {
	s := make(map[string]bool, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}
