// Package emulator is a local Alibaba Cloud OSS and STS endpoint for development and tests,
// in the manner of Azurite or LocalStack.
//
// The OSS side serves, on loopback, the object API the SDKs call: PutObject, GetObject (Range,
// response-* overrides, conditional headers, x-oss-process image processing), HeadObject,
// GetObjectMeta, DeleteObject, DeleteMultipleObjects, CopyObject, AppendObject,
// PutObjectAcl/GetObjectAcl, ProcessObject, ListObjects and ListObjectsV2, the multipart calls
// (InitiateMultipartUpload, UploadPart, UploadPartCopy, ListParts, ListMultipartUploads,
// CompleteMultipartUpload, AbortMultipartUpload) and PostObject, addressed path-style
// (http://127.0.0.1:PORT/bucket/key) or virtual-hosted (Host bucket.localhost:PORT,
// bucket.<configured hostname>, or bucket.oss-<region>[-internal].aliyuncs.com, the Host
// ali-oss sends to an IP endpoint, whatever address the request reached).
// The STS side answers AssumeRole over HTTPS with a CA the emulator generates, so that
// github.com/aliyun/credentials-go, which only speaks https to STS, can use it.
//
// The emulator is ossign's test oracle, so it checks every signature without the help of
// ossign's own signer (this package never imports it):
//
//   - V1 header and URL signatures and V4 header signatures are recomputed with the official
//     OSS Go SDK v2 signer (github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/signer) from a
//     request rebuilt out of what arrived;
//   - V4 URL signatures, PostObject policy signatures (V1 and V4) and STS RPC signatures are
//     verified by code in this package written from the specifications.
//
// Rejections carry OSS's error codes in OSS's XML error document, with the fine-grained EC
// (element and x-oss-ec header) wherever a source confirms it (SignatureDoesNotMatch includes
// the StringToSign, and for V4 the CanonicalRequest, the emulator computed).
// STS tokens are HMAC-signed by the emulator and carry their expiry and session policy; the
// OSS side enforces both, evaluating session policies the way RAM does.
//
// PostObject follows OSS: fields a policy does not name are accepted and applied, every
// condition is enforced (Config.StrictPost adds S3's rule against unnamed fields).
//
// Objects live on disk under Config.DataDir, written atomically (a completed multipart upload
// keeps its parts' files as the object's, so completing costs O(parts)); faults (503s, dropped
// connections, latency, a shifted clock) can be injected per instance, and the clock is
// injectable so that expiry is tested without waiting.
package emulator
