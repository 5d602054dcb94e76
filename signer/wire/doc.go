// Package wire reads and writes the documents that travel between ossign's Go side and the
// outside world: the token-vending JSON (the flat format of credentials-go's credentials-URI
// provider), raw STS AssumeRole responses and their JSON errors, OSS XML error bodies, and
// PostObject policy documents.
//
// It is not linked into the WebAssembly module (the browser has JSON.parse and DOMParser), so
// unlike package signer it uses encoding/json, encoding/xml and fmt freely.
//
// Parse errors are *signer.Error values with a stable code (signer's codes where one fits,
// [CodeMalformedResponse] and [CodeVendingFailed] otherwise). They name the document and the
// field at fault and quote at most the non-secret fields Code, Message and Expiration, never
// the body, so an AccessKeySecret or a SecurityToken cannot end up in a message or a log line. Nothing here reads the clock: parsed credentials are checked
// for shape, not for expiry, which the caller checks with [signer.Credentials.Validate] when it
// signs.
//
// The formats follow the project's specs: shared/spec/sts-and-vending.md (§1.5, §1.6, §2.3,
// §5.4) and shared/spec/oss-signing.md (§3).
package wire
