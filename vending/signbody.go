package vending

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// maxSignBody bounds a POST /sign body.
const maxSignBody = 4 << 10

// signBodyTooLarge is the answer to a POST /sign body over maxSignBody.
var signBodyTooLarge = apiError{http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
	"the body must be at most 4 KiB (" + strconv.Itoa(maxSignBody) + ` bytes): {"contentType":"image/jpeg","size":12345,"mode":"put"}`}

// readSignBody decodes the POST /sign body, one JSON object of at most maxSignBody bytes, into
// req. A declared Content-Length over the limit is refused before anything is read: Go's
// server sends "100 Continue" to a client that asked for it only when the handler first
// reads, so such a client gets the 413 instead, and sends nothing. A body of unknown length
// (chunked) is refused when it grows past the limit. Either way the connection closes after
// the answer, as the rest of the body is never read.
func readSignBody(w http.ResponseWriter, r *http.Request, req *signRequest) *apiError {
	if r.ContentLength > maxSignBody {
		w.Header().Set("Connection", "close")
		return &signBodyTooLarge
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSignBody))
	err := dec.Decode(req)
	if err == nil {
		if err = dec.Decode(&struct{}{}); errors.Is(err, io.EOF) {
			return nil
		}
	}
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		w.Header().Set("Connection", "close")
		return &signBodyTooLarge
	}
	return &apiError{http.StatusBadRequest, CodeInvalidRequest,
		`the body must be one JSON object of at most 4 KiB: {"contentType":"image/jpeg","size":12345,"mode":"put"}`}
}
