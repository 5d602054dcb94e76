package signer_test

// Random requests for TestDifferentialGoSDK (differential_test.go). One function per kind of
// value; every function draws from the case's own *rand.Rand, so a case is reproduced from its
// seed alone.
//
// The generator stays inside what the spec allows and what the official Go SDK gets right.
// Inputs deliberately NOT generated, because the SDK (not our signer) deviates from the spec:
//
//   - Repeated names in AdditionalHeaders, compared case-insensitively: the SDK lists a name
//     once per occurrence ("abc;abc"), §2.2 says de-duplicate.
//   - Whitespace-only values of headers that can be listed in AdditionalHeaders: the SDK keeps
//     an additional header when its untrimmed value is non-empty and then signs "name:" (empty
//     after trimming), §2.2 drops headers that are not present (non-empty). Only x-oss-*
//     headers, always signed, get empty or blank values.
//   - Padded Content-Type, Content-MD5 and x-oss-content-sha256 values: the SDK's V1 string to
//     sign reads Content-Type/Content-MD5 with Header.Get, untrimmed, and its V4 HashedPayload
//     reads x-oss-content-sha256 untrimmed, while HTTP strips the padding on the wire (OWS) and
//     §1.2/§2.2 trim header values. Padding is exercised on every other header instead.
//   - Repeated query names or header names: our signer rejects them (§2.2: the SDK would list a
//     repeated query name twice; §1.2: it joins repeated headers with ",").

import (
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ossign/ossign/signer"
)

// diffCase is one random request plus how it is signed.
type diffCase struct {
	target signer.Target
	creds  signer.Credentials
	req    signer.Request
	now    time.Time
}

const (
	diffRegion = "cn-hangzhou"
	diffHost   = "oss-cn-hangzhou.aliyuncs.com"
)

func genCase(r *rand.Rand, v signer.Version) diffCase {
	c := diffCase{
		// "oss-cn-hangzhou" is accepted and stripped to the bare region id (§2.1).
		target: signer.Target{Region: genPick(r, diffRegion, "oss-"+diffRegion), Endpoint: "http://" + diffHost, Version: v},
		creds:  genCredentials(r),
		now:    genTime(r),
	}
	c.req.Method = genMethod(r)
	c.req.Bucket, c.req.Key = genBucketAndKey(r)
	c.req.Headers = genHeaders(r)
	c.req.Query = genQuery(r)
	c.req.SubResources = genSubResources(r, c.req.Query)
	c.req.AdditionalHeaders = genAdditionalHeaders(r, c.req.Headers)
	c.req.Expires = genExpires(r, v)
	return c
}

func genPick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// genString concatenates 1..max random pieces.
func genString(r *rand.Rand, max int, pieces []string) string {
	var b strings.Builder
	for n := 1 + r.IntN(max); n > 0; n-- {
		b.WriteString(genPick(r, pieces...))
	}
	return b.String()
}

// genMixedCase flips the case of letters in a third of the names: header names are
// case-insensitive.
func genMixedCase(r *rand.Rand, s string) string {
	if r.IntN(3) > 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if r.IntN(2) == 0 && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			b[i] = c ^ 0x20
		}
	}
	return string(b)
}

func genMethod(r *rand.Rand) string {
	// Any case is accepted; the signed VERB is upper-case (§1.1).
	return genMixedCase(r, genPick(r, "GET", "PUT", "HEAD", "POST", "DELETE"))
}

// genTime is a signing time in 2014–2036, with nanoseconds and sometimes a non-UTC zone.
func genTime(r *rand.Rand) time.Time {
	t := time.Unix(1_400_000_000+r.Int64N(700_000_000), r.Int64N(1e9))
	return t.In(genPick(r, time.UTC, time.FixedZone("UTC+8", 8*3600), time.FixedZone("UTC-5", -5*3600)))
}

// genExpires is a presign validity: zero (default 15 min) or up to a year (V1) / 7 days (V4),
// often with a fraction of a second. V4 starts at 2 s so the SDK's own clock (it signs at
// time.Now()) cannot round it down to 0.
func genExpires(r *rand.Rand, v signer.Version) time.Duration {
	if r.IntN(5) == 0 {
		return 0
	}
	if v == signer.V4 {
		d := time.Duration(2+r.Int64N(604_798)) * time.Second
		return d + time.Duration(r.Int64N(int64(time.Second)))
	}
	return time.Duration(1+r.Int64N(365*24*3600))*time.Second + time.Duration(r.Int64N(int64(time.Second)))
}

const (
	genAlnum      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	genBase64     = genAlnum + "+/="
	genNameBytes  = "abcxyzABCXYZ0189-_.~!#$&'*+^`|"
	genBucketEnds = "abcdefghijklmnopqrstuvwxyz0123456789"
)

func genChars(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// genCredentials is a long-term AccessKey or STS credentials whose token contains + / =.
func genCredentials(r *rand.Rand) signer.Credentials {
	c := signer.Credentials{AccessKeyID: "LTAI" + genChars(r, 12, genAlnum), AccessKeySecret: genChars(r, 30, genBase64)}
	if r.IntN(2) == 0 {
		c.AccessKeyID = "STS." + genChars(r, 20, genAlnum)
		c.SecurityToken = "CAIS" + genChars(r, 10+r.IntN(80), genBase64) + "+/="
	}
	return c
}

// genBucketAndKey returns a service-level, bucket-level or object request; some object keys
// are invalid (see diffInvalidKey).
func genBucketAndKey(r *rand.Rand) (bucket, key string) {
	switch n := r.IntN(100); {
	case n < 3:
		return "", ""
	case n < 13:
		return genBucket(r), ""
	case n < 18:
		return genBucket(r), genInvalidKey(r)
	}
	return genBucket(r), genKey(r)
}

func genBucket(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return "examplebucket"
	}
	middle := genChars(r, 1+r.IntN(30), genBucketEnds+"-")
	return genChars(r, 1, genBucketEnds) + middle + genChars(r, 1, genBucketEnds)
}

var genKeyPieces = []string{
	"a", "Z", "0", "obj", "dir/", "/", "//", " ", "+", "%", "?", "#", "~", "*", "=", "&", "-", "_",
	".", "!", "'", "(", ")", ";", ":", "@", "$", ",", "[", "]", "%2B", "%20", "\\", "中文", "é",
	"😀", "1234+-/123/1.txt", "a b+c.txt",
}

// genKey is a valid object key: anything UTF-8 except a leading '/' or '\' (§5).
func genKey(r *rand.Rand) string {
	for {
		if k := genString(r, 12, genKeyPieces); k[0] != '/' && k[0] != '\\' {
			return k
		}
	}
}

// genInvalidKey is a key the service rejects (§5): a leading '/' or '\', not UTF-8, or over
// 1023 bytes.
func genInvalidKey(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return "/" + genKey(r)
	case 1:
		return `\` + genKey(r)
	case 2:
		return genKey(r) + "\xff" + genKey(r)
	}
	return strings.Repeat("k", 1024)
}

// diffInvalidKey reports the keys of §5 that our signer must refuse with CodeInvalidKey.
func diffInvalidKey(key string) bool {
	return key != "" && (key[0] == '/' || key[0] == '\\' || len(key) > 1023 || !utf8.ValidString(key))
}

// genHeaders returns Content-Type, Content-MD5, x-oss-meta-*, other x-oss-* and unsigned
// headers in random order, names in random case, each name once (case-insensitively).
func genHeaders(r *rand.Rand) []signer.Header {
	var hs []signer.Header
	add := func(name, value string) {
		if !slices.ContainsFunc(hs, func(h signer.Header) bool { return strings.EqualFold(h.Name, name) }) {
			hs = append(hs, signer.Header{Name: genMixedCase(r, name), Value: value})
		}
	}
	if r.IntN(2) == 0 {
		add("Content-Type", genContentType(r))
	}
	if r.IntN(3) == 0 {
		add("Content-MD5", genContentMD5(r))
	}
	if r.IntN(6) == 0 {
		add("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
	}
	for n := r.IntN(4); n > 0; n-- {
		add("x-oss-meta-"+genChars(r, 1+r.IntN(10), genNameBytes), genOSSHeaderValue(r))
	}
	for n := r.IntN(3); n > 0; n-- {
		add(genOSSHeaderName(r), genOSSHeaderValue(r))
	}
	for n := r.IntN(4); n > 0; n-- {
		add(genPlainHeaderName(r), genHeaderValue(r))
	}
	r.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
	return hs
}

func genContentType(r *rand.Rand) string {
	return genPick(r, "text/plain", "text/html", "application/octet-stream", "image/jpeg",
		"text/plain; charset=utf-8", "multipart/form-data; boundary=----x")
}

func genContentMD5(r *rand.Rand) string {
	return base64.StdEncoding.EncodeToString([]byte(genChars(r, 16, genAlnum)))
}

// genOSSHeaderName is an x-oss-* header name other than the ones the signer writes.
func genOSSHeaderName(r *rand.Rand) string {
	return "x-oss-" + genPick(r, "storage-class", "object-acl", "forbid-overwrite",
		"server-side-encryption", "tagging", "head1", "process", genChars(r, 1+r.IntN(10), genNameBytes))
}

// genPlainHeaderName is a header V1 never signs and V4 signs only when listed in
// AdditionalHeaders.
func genPlainHeaderName(r *rand.Rand) string {
	return genPick(r, "Cache-Control", "Range", "abc", "ZAbc", "XYZ", "If-Match", "Content-Disposition",
		"Content-Encoding", "Expires", "Origin", genChars(r, 1+r.IntN(10), genNameBytes))
}

// genHeaderValue is printable ASCII with at least one non-space byte, sometimes padded with
// spaces and tabs, which both signers trim (§1.2, §2.2).
func genHeaderValue(r *rand.Rand) string {
	v := make([]byte, 1+r.IntN(20))
	for i := range v {
		v[i] = byte(' ' + r.IntN(0x7f-' '))
	}
	v[r.IntN(len(v))] = genAlnum[r.IntN(len(genAlnum))]
	if r.IntN(3) > 0 {
		return string(v)
	}
	return genChars(r, r.IntN(3), " \t") + string(v) + genChars(r, r.IntN(3), " \t")
}

// genOSSHeaderValue is a header value or, for x-oss-* headers, which are signed whatever
// their value, sometimes an empty or whitespace-only one (signed as "name:").
func genOSSHeaderValue(r *rand.Rand) string {
	if r.IntN(10) == 0 {
		return genChars(r, r.IntN(3), " \t")
	}
	return genHeaderValue(r)
}

// diffCoreSubResources is §1.3's core list (without security-token, which the signer writes).
var diffCoreSubResources = []string{
	"acl", "append", "bucketInfo", "callback", "callback-var", "cloudboxes", "continuation-token",
	"delete", "location", "objectMeta", "partNumber", "position", "regionList",
	"response-cache-control", "response-content-disposition", "response-content-encoding",
	"response-content-language", "response-content-type", "response-expires", "restore",
	"sequential", "stat", "symlink", "tagging", "uploadId", "uploads", "versionId", "versioning",
	"versions",
}

// diffLegacySubResources is §1.3's list of bucket and feature sub-resources (plus python v2's
// resourceGroup and Java's processConfiguration). The SDK signs them only when told through
// SigningContext.SubResource; our signer always signs them.
var diffLegacySubResources = []string{
	"accessPoint", "accessPointPolicy", "asyncFetch", "bucketArchiveDirectRead", "cname", "comp",
	"cors", "encryption", "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId",
	"lifecycle", "link", "live", "logging", "metaQuery", "objectInfo", "policy",
	"publicAccessBlock", "qos", "qosInfo", "qosRequester", "redundancyTransition", "referer",
	"replication", "replicationLocation", "replicationProgress", "requestPayment",
	"requesterQosInfo", "resourceGroup", "resourcePool", "resourcePoolBuckets", "resourcePoolInfo",
	"responseHeader", "rtc", "startTime", "status", "style", "styleName", "transferAcceleration",
	"udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage", "udfImageDesc", "udfName",
	"vod", "website", "withHashContext", "worm", "wormExtend", "wormId", "processConfiguration",
}

// diffOSSParams are x-oss-* query parameters, which V1 signs by prefix.
var diffOSSParams = []string{
	"x-oss-process", "x-oss-traffic-limit", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask",
	"x-oss-ac-vpc-id", "x-oss-request-payer", "x-oss-async-process", "x-oss-hash-ctx",
}

// diffReservedParams are written by the signers and refused in Request.Query.
var diffReservedParams = []string{
	"OSSAccessKeyId", "Expires", "Signature", "security-token", "x-oss-signature-version",
	"x-oss-credential", "x-oss-date", "x-oss-expires", "x-oss-signature",
	"x-oss-additional-headers", "x-oss-security-token",
}

// genQuery returns sub-resources and ordinary parameters, each name once, values often empty.
func genQuery(r *rand.Rand) []signer.Param {
	var q []signer.Param
	add := func(name string) {
		if !slices.Contains(diffReservedParams, name) && !slices.ContainsFunc(q, func(p signer.Param) bool { return p.Name == name }) {
			q = append(q, signer.Param{Name: name, Value: genParamValue(r)})
		}
	}
	for n := r.IntN(4); n > 0; n-- {
		add(genPick(r, genPick(r, diffCoreSubResources, diffLegacySubResources, diffOSSParams)...))
	}
	for n := r.IntN(4); n > 0; n-- {
		add(genParamName(r))
	}
	return q
}

var genParamNamePieces = []string{
	"param", "p", "Acl", "+", "|", " ", "中文", "é", "😀", "=", "&", "%", "/", "?", "#", ";", "~",
	"*", "x-oss-", "X-Oss-Process",
}

// genParamName is an ordinary query parameter name (with '+', '|', space, unicode, …).
func genParamName(r *rand.Rand) string { return genString(r, 3, genParamNamePieces) }

var genParamValuePieces = []string{
	"value", "1", "+", " ", "%", "&", "=", "中文", "é", "😀", "/", "?", "#", ";", ",", "~", "*",
	"'", `attachment; filename="a b.txt"`, "image/resize,w_100", "192.168.0.1", "819200",
}

// genParamValue is a query value; a third are empty (bare parameters such as "acl").
func genParamValue(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return ""
	}
	return genString(r, 4, genParamValuePieces)
}

// genSubResources names extra V1 sub-resources: present ordinary parameters or absent names.
func genSubResources(r *rand.Rand, q []signer.Param) []string {
	var out []string
	for n := r.IntN(5) - 2; n > 0; n-- {
		if len(q) > 0 && r.IntN(2) == 0 {
			out = append(out, genPick(r, q...).Name)
		} else {
			out = append(out, genParamName(r))
		}
	}
	return out
}

// genAdditionalHeaders lists present, absent, default-signed and "host" names in random case,
// each once case-insensitively (see the note at the top of this file).
func genAdditionalHeaders(r *rand.Rand, hs []signer.Header) []string {
	candidates := []string{"host", "If-None-Match", "x-oss-no-exist", "Content-Type", "range"}
	for _, h := range hs {
		candidates = append(candidates, h.Name, h.Name)
	}
	var out []string
	for n := r.IntN(5); n > 0; n-- {
		name := genMixedCase(r, genPick(r, candidates...))
		if !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, name) }) {
			out = append(out, name)
		}
	}
	return out
}
