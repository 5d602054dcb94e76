// Package signer signs Alibaba Cloud OSS requests: signature V1 (HMAC-SHA1) and V4
// (OSS4-HMAC-SHA256), in the Authorization-header form and the presigned-URL form, and
// PostObject policies.
//
// Every function is a pure function of its inputs: the signing time is an argument, nothing
// reads the clock, and inputs are never modified. Every result carries what the caller must do
// with it (the URL, the headers to send, the effective expiry) and an [Explanation] holding the
// canonical request and string to sign, so that a SignatureDoesNotMatch can be diagnosed with
// [Diagnose].
//
// The package is linked into the WebAssembly module, so it imports only small parts of the
// standard library: no fmt, encoding/json, encoding/xml or net/http.
//
// The algorithms follow the project's spec (shared/spec/oss-signing.md), whose official test
// vectors are in this package's tests.
package signer
