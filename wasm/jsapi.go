//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"github.com/ossign/ossign/signer"
)

// api builds the object handed to the JS loader. Its functions are created once and live as
// long as the module, so none needs releasing. Each returns a plain object; failures come back
// as {error: {code, message}}, which the JS package turns into an Error with .code.
func api() js.Value {
	fns := []struct {
		name    string
		minArgs int
		fn      func(args []js.Value) any
	}{
		{"newClient", 1, newClient},
		{"closeClient", 1, closeClient},
		{"setCredentials", 3, setCredentials},
		{"credentialStatus", 2, credentialStatus},
		{"diagnose", 3, diagnose},
		{"sign", 4, signJS},
	}
	obj := js.Global().Get("Object").New()
	for _, f := range fns {
		name, minArgs, fn := f.name, f.minArgs, f.fn
		obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
			// A JS value of the wrong type panics in syscall/js; a panic here would end the
			// module for every client in the page, so it becomes an error instead.
			defer func() {
				if recover() != nil {
					result = errorValue(&signer.Error{Code: codeBadCall, Message: name + ": an argument has the wrong type"})
				}
			}()
			if len(args) < minArgs {
				return errorValue(&signer.Error{Code: codeBadCall, Message: name + ": missing arguments"})
			}
			return fn(args)
		}))
	}
	return obj
}

const codeBadCall signer.ErrorCode = "InvalidArgument"

// newClient(config) → {id}: config {region, endpoint, secure, pathStyle, cname,
// signatureVersion, slashSafe, refreshMargin (ms)}.
func newClient(args []js.Value) any {
	cfg := args[0]
	t := signer.Target{
		Region:      str(cfg, "region"),
		Endpoint:    str(cfg, "endpoint"),
		Scheme:      scheme(cfg.Get("secure")),
		PathStyle:   cfg.Get("pathStyle").Truthy(),
		CNAME:       cfg.Get("cname").Truthy(),
		Version:     signer.Version(str(cfg, "signatureVersion")),
		EncodeSlash: cfg.Get("slashSafe").Type() == js.TypeBoolean && !cfg.Get("slashSafe").Bool(),
	}
	s, err := signer.NewSigner(t, signer.Credentials{})
	if err != nil {
		return errorValue(err)
	}
	var margin time.Duration
	if m := cfg.Get("refreshMargin"); m.Type() == js.TypeNumber {
		margin = time.Duration(m.Float()) * time.Millisecond
	}
	nextClientID++
	clients[nextClientID] = &client{signer: s, encodeSlash: t.EncodeSlash, margin: margin}
	return object("id", nextClientID)
}

// scheme maps ali-oss's secure option: false means http, anything else https.
func scheme(secure js.Value) string {
	if secure.Type() == js.TypeBoolean && !secure.Bool() {
		return "http"
	}
	return "https"
}

// closeClient(id) forgets the client's credentials.
func closeClient(args []js.Value) any {
	delete(clients, int32(args[0].Int()))
	return js.Undefined()
}

// setCredentials(id, response, nowMs) → {expiration, refreshAt} (ms since the epoch, 0 =
// never). response is a parsed vending response (credentials-go URI format, flat), a raw STS
// AssumeRole response ({Credentials: {...}}), or {accessKeyId, accessKeySecret, stsToken |
// securityToken, expiration}. Invalid or already expired credentials are refused and the
// client keeps its previous ones.
func setCredentials(args []js.Value) any {
	c, err := lookupClient(int32(args[0].Int()))
	if err != nil {
		return errorValue(err)
	}
	now := msToTime(args[2].Float())
	creds, err := credentialsFrom(args[1])
	if err == nil {
		err = creds.Validate(now)
	}
	if err != nil {
		return errorValue(err)
	}
	c.creds, c.obtainedAt, c.signer = creds, now, c.signer.WithCredentials(creds)
	return object("expiration", timeToMs(creds.Expiration), "refreshAt", timeToMs(creds.RefreshAt(now, c.margin)))
}

// credentialStatus(id, nowMs) → {hasCredentials, expires, expired, expiration, refreshAt,
// remaining, refreshDue}; expires is false for credentials without an expiry.
func credentialStatus(args []js.Value) any {
	c, err := lookupClient(int32(args[0].Int()))
	if err != nil {
		return errorValue(err)
	}
	now := msToTime(args[1].Float())
	has := c.creds.AccessKeyID != ""
	remaining := 0.0
	if has && !c.creds.Expiration.IsZero() {
		remaining = float64(c.creds.Expiration.Sub(now).Milliseconds())
	}
	return object(
		"hasCredentials", has,
		"expires", !c.creds.Expiration.IsZero(),
		"expired", has && c.creds.Expired(now),
		"expiration", timeToMs(c.creds.Expiration),
		"refreshAt", timeToMs(c.creds.RefreshAt(c.obtainedAt, c.margin)),
		"remaining", remaining,
		"refreshDue", !has || c.creds.RefreshDue(c.obtainedAt, now, c.margin),
	)
}

// diagnose(explanation, stringToSign, canonicalRequest) → {compared, summary, differences}.
func diagnose(args []js.Value) any {
	x := args[0]
	d := signer.Diagnose(signer.Explanation{
		Version:          signer.Version(str(x, "version")),
		CanonicalRequest: str(x, "canonicalRequest"),
		StringToSign:     str(x, "stringToSign"),
		Signature:        str(x, "signature"),
	}, stringOr(args[1]), stringOr(args[2]))
	diffs := make([]any, len(d.Differences))
	for i, f := range d.Differences {
		diffs[i] = object("part", f.Part, "ours", f.Ours, "theirs", f.Theirs, "hint", f.Hint)
	}
	return object("compared", d.Compared, "summary", d.Summary, "differences", diffs)
}

// sign(op, id, nowMs, fields) → {fields}: the fast path's signing through syscall/js, for
// requests whose strings contain a NUL (see fastpath.go).
func signJS(args []js.Value) any {
	in := args[3]
	fields := make([]string, in.Length())
	for i := range fields {
		fields[i] = in.Index(i).String()
	}
	w := resultWriter{record: true}
	if err := signFields(int32(args[0].Int()), int32(args[1].Int()), msToTime(args[2].Float()), fields, &w); err != nil {
		return errorValue(err)
	}
	out := w.strings()
	list := make([]any, len(out))
	for i, f := range out {
		list[i] = f
	}
	return object("fields", list)
}

// object builds a JS object from alternating names and values.
func object(kv ...any) js.Value {
	o := js.Global().Get("Object").New()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func errorValue(err error) js.Value {
	se, ok := err.(*signer.Error) // errors.As would link reflection (~14 KB brotli); signer returns *Error itself
	if !ok {
		se = &signer.Error{Code: codeBadCall, Message: err.Error()}
	}
	return object("error", object("code", string(se.Code), "message", se.Message))
}

// str reads a string property; anything else reads as "".
func str(v js.Value, name string) string { return stringOr(v.Get(name)) }

func stringOr(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}
