package vending

import (
	"encoding/json"
	"log/slog"
	"net/http"
)

// Error codes of the JSON error answers, stable for clients to switch on (the JS package
// exposes them as the code of its errors).
const (
	// CodeUnauthenticated (401): no valid credential (JWT, proxy header) in the request.
	CodeUnauthenticated = "Unauthenticated"
	// CodeInvalidUserID (403): the authenticated user id cannot name a key prefix.
	CodeInvalidUserID = "InvalidUserId"
	// CodeForbidden (403): the request may not get credentials at all, e.g. a dev-anonymous
	// request for a Host that is not a loopback name.
	CodeForbidden = "Forbidden"
	// CodeOriginNotAllowed (403): a credentialed request or a preflight from an origin that
	// is not in the allow-list.
	CodeOriginNotAllowed = "OriginNotAllowed"
	// CodeRateLimited (429): too many requests; Retry-After says when to try again.
	CodeRateLimited = "RateLimited"
	// CodeMethodNotAllowed (405): wrong method for the route; Allow lists the right one.
	CodeMethodNotAllowed = "MethodNotAllowed"
	// CodeNotFound (404): no such route.
	CodeNotFound = "NotFound"
	// CodeInvalidRequest (400): a POST /sign body that is not the expected JSON.
	CodeInvalidRequest = "InvalidRequest"
	// CodeContentTypeNotAllowed (400): POST /sign for a content type not in the allow-list.
	CodeContentTypeNotAllowed = "ContentTypeNotAllowed"
	// CodeSizeNotAllowed (400): POST /sign for an empty or too large upload.
	CodeSizeNotAllowed = "SizeNotAllowed"
	// CodeBodyTooLarge (413): a POST /sign body over 4 KiB, by its Content-Length (refused
	// before "100 Continue") or as read.
	CodeBodyTooLarge = "BodyTooLarge"
	// CodeAuthUnavailable (503): the credential could not be checked now (JWKS down).
	CodeAuthUnavailable = "AuthUnavailable"
	// CodeSTSUnavailable (502): STS did not issue credentials (or failed moments ago and is
	// given time); Retry-After says when to ask again, details are in the server log.
	CodeSTSUnavailable = "STSUnavailable"
	// CodeSTSBusy (503): the server's AssumeRole budget has no call for this request now;
	// Retry-After says when to ask again.
	CodeSTSBusy = "STSBusy"
	// CodeInternal (500): a server-side error; details are in the server log.
	CodeInternal = "InternalError"
)

// apiError is an error answer: a status and what the client may know.
type apiError struct {
	status  int
	code    string
	message string
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}

// fail answers e and adds attrs (the details the client does not get) to the request's log
// line.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, e apiError, attrs ...slog.Attr) {
	info := requestInfoOf(r)
	info.code = e.code
	info.attrs = append(info.attrs, slog.String("code", e.code))
	info.attrs = append(info.attrs, attrs...)
	writeJSON(w, e.status, errorBody{Code: e.code, Message: e.message, RequestID: info.id})
}

// writeJSON answers v as JSON that no cache may keep.
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Marshal cannot fail: v is always one of this package's answer structs, made of strings,
	// numbers and string maps.
	body, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
