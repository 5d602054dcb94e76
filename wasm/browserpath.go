//go:build js && wasm

package main

import (
	"strconv"
	"strings"

	"github.com/ossign/ossign/signer"
)

// checkAddressable refuses a key whose URL path a browser would rewrite before sending it. The
// URL standard removes "." and ".." path segments (fetch and XMLHttpRequest follow it), so a
// request signed for "a/../b.txt" would reach OSS as "b.txt": SignatureDoesNotMatch, with
// nothing stored. Go's HTTP client sends paths as written, so package signer signs such keys;
// the browser build refuses them before any request. With encodeSlash ("slashSafe: false") a
// key is one path segment, and only "." and ".." themselves remain unaddressable.
func checkAddressable(key string, encodeSlash bool) error {
	segments := []string{key}
	if !encodeSlash {
		segments = strings.Split(key, "/")
	}
	for _, s := range segments {
		if s != "." && s != ".." {
			continue
		}
		msg := "invalid object key " + strconv.Quote(key) + `: browsers remove "." and ".." path segments from URLs, so OSS would not receive the key that was signed`
		if key != "." && key != ".." {
			msg += `; with slashSafe: false its "/" are sent as %2F and the key is addressable`
		}
		return &signer.Error{Code: signer.CodeInvalidKey, Message: msg}
	}
	return nil
}
