package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
)

// ossError is an error answered with OSS's XML error document:
//
//	<Error><Code/><Message/><RequestId/><HostId/>…extra elements…<EC/><RecommendDoc/></Error>
type ossError struct {
	status  int
	code    string
	message string
	// ec is OSS's detailed error code ("0002-00000504"), when the emulator knows it.
	ec string
	// fields are extra elements written after HostId, in order (StringToSign, ServerTime…).
	fields []xmlField
	// header holds extra response headers, such as Content-Range on InvalidRange.
	header http.Header
}

// xmlField is one extra element of an error document.
type xmlField struct{ name, value string }

// Error returns "Code: Message".
func (e *ossError) Error() string { return e.code + ": " + e.message }

// newOSSError returns an error with an HTTP status, an OSS code and a message.
func newOSSError(status int, code, message string) *ossError {
	return &ossError{status: status, code: code, message: message}
}

// with appends the element <name>value</name> and returns e.
func (e *ossError) with(name, value string) *ossError {
	e.fields = append(e.fields, xmlField{name, value})
	return e
}

// withEC sets OSS's detailed error code and returns e.
func (e *ossError) withEC(ec string) *ossError {
	e.ec = ec
	return e
}

// withHeader sets a response header and returns e.
func (e *ossError) withHeader(name, value string) *ossError {
	if e.header == nil {
		e.header = http.Header{}
	}
	e.header.Set(name, value)
	return e
}

// errAccessDenied is 403 AccessDenied.
func errAccessDenied(message string) *ossError {
	return newOSSError(http.StatusForbidden, "AccessDenied", message)
}

// errInvalidArgument is 400 InvalidArgument, naming the argument and its value.
func errInvalidArgument(message, name, value string) *ossError {
	e := newOSSError(http.StatusBadRequest, "InvalidArgument", message)
	if name != "" {
		e.with("ArgumentName", name).with("ArgumentValue", value)
	}
	return e
}

// errNotImplemented is 501 NotImplemented for an OSS feature the emulator does not have.
func errNotImplemented(what string) *ossError {
	return newOSSError(http.StatusNotImplemented, "NotImplemented", "The ossign emulator does not implement "+what+".")
}

// errMalformedXML is 400 MalformedXML.
func errMalformedXML() *ossError {
	return newOSSError(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema.")
}

// errorDocument renders e as OSS's XML error document.
func errorDocument(e *ossError, requestID, hostID string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error>\n")
	writeElement(&b, "Code", e.code)
	writeElement(&b, "Message", e.message)
	writeElement(&b, "RequestId", requestID)
	writeElement(&b, "HostId", hostID)
	for _, f := range e.fields {
		writeElement(&b, f.name, f.value)
	}
	if e.ec != "" {
		writeElement(&b, "EC", e.ec)
		writeElement(&b, "RecommendDoc", "https://api.aliyun.com/troubleshoot?q="+e.ec)
	}
	b.WriteString("</Error>\n")
	return b.Bytes()
}

// writeElement writes "  <name>escaped value</name>\n".
func writeElement(b *bytes.Buffer, name, value string) {
	b.WriteString("  <" + name + ">")
	xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">\n")
}

// writeOSSError answers with e. A HEAD response has no body, so, like OSS, it carries the
// document base64-encoded in the x-oss-err header instead.
func writeOSSError(w http.ResponseWriter, r *http.Request, e *ossError, requestID string) {
	body := errorDocument(e, requestID, r.Host)
	h := w.Header()
	for name, values := range e.header {
		h[name] = values
	}
	h.Set("Content-Type", "application/xml")
	if e.ec != "" {
		h.Set("x-oss-ec", e.ec)
	}
	if r.Method == http.MethodHead {
		h.Set("x-oss-err", base64.StdEncoding.EncodeToString(body))
		w.WriteHeader(e.status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	w.Write(body)
}
