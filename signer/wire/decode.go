package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
)

// decodeJSON unmarshals body, the document named what, into v. Its errors carry at most a byte
// offset or a field name, never a piece of the body, which may hold a secret.
func decodeJSON(body []byte, what string, v any) error {
	err := json.Unmarshal(body, v)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case len(bytes.TrimSpace(body)) == 0:
		return newError(CodeMalformedResponse, "%s is empty", what)
	case errors.As(err, &syntax):
		return newError(CodeMalformedResponse, "%s is not JSON: syntax error at byte %d", what, syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return newError(CodeMalformedResponse, "%s is not a JSON object", what)
	case errors.As(err, &typ) && typ.Type.Kind() == reflect.String:
		return newError(CodeMalformedResponse, "%s: field %s must be a string", what, typ.Field)
	case errors.As(err, &typ):
		return newError(CodeMalformedResponse, "%s: field %s must be an object", what, typ.Field)
	}
	return newError(CodeMalformedResponse, "%s does not have the expected JSON shape", what)
}
