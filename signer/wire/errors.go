package wire

import (
	"fmt"
	"strings"

	"github.com/ossign/ossign/signer"
)

// Error codes of this package, in the style of signer's; the errors themselves are
// *signer.Error values, so errors.Is(err, &signer.Error{Code: CodeVendingFailed}) works.
const (
	// CodeMalformedResponse means the body is not the JSON or XML document expected.
	CodeMalformedResponse signer.ErrorCode = "MalformedResponse"
	// CodeVendingFailed means the vending response carries a Code other than "Success".
	CodeVendingFailed signer.ErrorCode = "VendingFailed"
)

func newError(code signer.ErrorCode, format string, args ...any) *signer.Error {
	return &signer.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// serviceErrorText formats an error reported by a service as "service: Code: Message
// (name value, …)", leaving out the message and the details that are empty. details are
// name, value pairs.
func serviceErrorText(service, code, message string, details ...string) string {
	var b strings.Builder
	b.WriteString(service + ": " + code)
	if message != "" {
		b.WriteString(": " + message)
	}
	sep := " ("
	for i := 0; i+1 < len(details); i += 2 {
		if details[i+1] != "" {
			b.WriteString(sep + details[i] + " " + details[i+1])
			sep = ", "
		}
	}
	if sep == ", " {
		b.WriteString(")")
	}
	return b.String()
}
