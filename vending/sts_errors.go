package vending

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"regexp"
	"strings"

	"github.com/ossign/ossign/signer/wire"
)

const (
	// stsErrorPrefix starts the error credentials-go returns for a non-200 AssumeRole answer,
	// followed by the response body.
	stsErrorPrefix = "refresh session token failed: "
	// maxLoggedMessage bounds an error message in the log.
	maxLoggedMessage = 300
)

// urlQuery matches the query string of a URL in an error message: credentials-go's transport
// errors quote the whole request URL, whose query holds the signature and, for a source
// with STS credentials, its SecurityToken.
var urlQuery = regexp.MustCompile(`(https?://[^\s"'?]*)\?[^\s"']*`)

// stsFailureAttrs describes an AssumeRole failure for the log: STS's Code, RequestId and
// HostId and a message stripped of anything secret, or the transport error without the
// request's query string.
func stsFailureAttrs(err error) []slog.Attr {
	msg := err.Error()
	if i := strings.Index(msg, stsErrorPrefix); i >= 0 {
		_, perr := wire.ParseAssumeRole([]byte(msg[i+len(stsErrorPrefix):]))
		var se *wire.STSError
		if errors.As(perr, &se) {
			return []slog.Attr{
				slog.String("sts_code", se.Code),
				slog.String("sts_request_id", se.RequestID),
				slog.String("sts_host_id", se.HostID),
				slog.String("sts_message", scrubSTSMessage(se.Message)),
			}
		}
		return []slog.Attr{slog.String("error", "STS answered an error without a JSON Code (body not logged)")}
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		host := ""
		if u, perr := url.Parse(uerr.URL); perr == nil {
			host = u.Host
		}
		return []slog.Attr{slog.String("error", "STS request failed"), slog.String("sts_host", host), slog.String("cause", scrubText(uerr.Err.Error()))}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return []slog.Attr{slog.String("error", "gave up waiting for STS: "+err.Error())}
	}
	return []slog.Attr{slog.String("error", scrubText(msg))}
}

// scrubSTSMessage removes from an STS error message the string to sign that
// SignatureDoesNotMatch quotes: it holds the request's parameters, among them the source's
// SecurityToken when the server itself runs on STS credentials.
func scrubSTSMessage(msg string) string {
	if i := strings.Index(strings.ToLower(msg), "string to sign"); i >= 0 {
		msg = msg[:i] + "string to sign: (not logged)"
	}
	return scrubText(msg)
}

// scrubText removes URL query strings from text and bounds its length.
func scrubText(text string) string {
	text = urlQuery.ReplaceAllString(text, "$1?(query not logged)")
	if len(text) > maxLoggedMessage {
		text = text[:maxLoggedMessage] + "…"
	}
	return text
}
