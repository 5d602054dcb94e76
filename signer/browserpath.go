package signer

// BrowserAddressable refuses, with CodeInvalidKey, a key whose URL path a browser would
// rewrite before sending it. The URL standard removes "." and ".." path segments (fetch and
// XMLHttpRequest follow it), so a request signed for "a/../b.txt" would reach OSS as "b.txt":
// SignatureDoesNotMatch, with nothing stored. Presign and SignHeaders do not apply this rule,
// since Go's HTTP client sends paths as written; the browser build (wasm/) does. With
// encodeSlash (Target.EncodeSlash, the JS package's slashSafe: false) a key is one path
// segment, and only "." and ".." themselves remain unaddressable.
func BrowserAddressable(key string, encodeSlash bool) error {
	segments := []string{key}
	if !encodeSlash {
		segments = split(key, '/', -1)
	}
	for _, s := range segments {
		if s != "." && s != ".." {
			continue
		}
		hint := ""
		if key != "." && key != ".." {
			hint = `; with slashSafe: false its "/" are sent as %2F and the key is addressable`
		}
		return newError(CodeInvalidKey, "invalid object key ", quote(key),
			`: browsers remove "." and ".." path segments from URLs, so OSS would not receive the key that was signed`, hint)
	}
	return nil
}
