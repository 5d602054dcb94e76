package signer

// ErrorCode is a stable, machine-readable name for a class of signing error. The JS package
// exposes it as the `code` property of its Error objects.
type ErrorCode string

// Error codes returned by this package.
const (
	CodeInvalidBucket      ErrorCode = "InvalidBucketName"
	CodeInvalidKey         ErrorCode = "InvalidObjectName"
	CodeInvalidMethod      ErrorCode = "InvalidMethod"
	CodeInvalidRegion      ErrorCode = "InvalidRegion"
	CodeInvalidEndpoint    ErrorCode = "InvalidEndpoint"
	CodeInvalidExpiry      ErrorCode = "InvalidExpiry"
	CodeInvalidHeader      ErrorCode = "InvalidHeader"
	CodeInvalidQuery       ErrorCode = "InvalidQuery"
	CodeInvalidVersion     ErrorCode = "InvalidSignatureVersion"
	CodeInvalidPolicy      ErrorCode = "InvalidPolicy"
	CodeMissingCredentials ErrorCode = "MissingCredentials"
	CodeInvalidCredentials ErrorCode = "InvalidCredentials"
	CodeExpiredCredentials ErrorCode = "ExpiredCredentials"
)

// Error is the error type of this package: a stable [ErrorCode] plus a message a user can act
// on. Messages never contain a secret or a security token.
type Error struct {
	Code    ErrorCode
	Message string
}

// Error returns the message prefixed with nothing else; the code is in Code.
func (e *Error) Error() string { return e.Message }

// Is makes errors.Is match any *Error with the same Code, so callers can test
// errors.Is(err, &signer.Error{Code: signer.CodeInvalidKey}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func newError(code ErrorCode, parts ...string) *Error {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	msg := make([]byte, 0, n)
	for _, p := range parts {
		msg = append(msg, p...)
	}
	return &Error{Code: code, Message: string(msg)}
}
