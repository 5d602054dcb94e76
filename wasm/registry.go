//go:build js && wasm

package main

import (
	"time"

	"github.com/ossign/ossign/signer"
)

// client is one JS Client's state: where it signs for and with which credentials. Each
// createClient gets its own, so clients sharing the module never see each other's keys.
type client struct {
	// signer signs for the client's target with creds. It is replaced with them, so the
	// signing keys it derives live no longer than the credentials.
	signer      *signer.Signer
	encodeSlash bool // the target's EncodeSlash, which a request may override
	creds       signer.Credentials
	obtainedAt  time.Time
	margin      time.Duration
}

// clients maps the ids handed to JS to their state. The module is single-threaded: JS calls
// in one at a time.
var (
	clients      = map[int32]*client{}
	nextClientID int32
)

func lookupClient(id int32) (*client, error) {
	c := clients[id]
	if c == nil {
		return nil, &signer.Error{Code: codeClosed, Message: "this client was closed: create a new one"}
	}
	return c, nil
}

// codeClosed is the error code for calls on a closed client.
const codeClosed signer.ErrorCode = "ClientClosed"

func msToTime(ms float64) time.Time { return time.UnixMilli(int64(ms)) }

func timeToMs(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli())
}
