package signer

// BrowserAddressable refuses, with CodeInvalidKey, a key whose URL path a browser would
// rewrite before sending it. The URL standard removes "." and ".." path segments (fetch and
// XMLHttpRequest follow it), so a request signed for "a/../b.txt" would reach OSS as "b.txt":
// SignatureDoesNotMatch, with nothing stored. Presign and SignHeaders do not apply this rule,
// since Go's HTTP client sends paths as written; the browser build (wasm/) does. With
// encodeSlash (Target.EncodeSlash, the JS package's slashSafe: false) a key is one path
// segment, and only "." and ".." themselves remain unaddressable.
func BrowserAddressable(key string, encodeSlash bool) error {
	// Every signature passes here: the segments are scanned in place, not split into a slice.
	for rest := key; ; {
		s, after, more := rest, "", false
		if !encodeSlash {
			s, after, more = cut(rest, '/')
		}
		if s != "." && s != ".." {
			if !more {
				return nil
			}
			rest = after
			continue
		}
		hint := ""
		if key != "." && key != ".." {
			hint = `; with slashSafe: false its "/" are sent as %2F and the key is addressable`
		}
		return newError(CodeInvalidKey, "invalid object key ", quote(key),
			`: browsers remove "." and ".." path segments from URLs, so OSS would not receive the key that was signed`, hint)
	}
}
