package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// rpcStringToSign is the string an Alibaba Cloud RPC (POP) V2 signature signs (spec §1.3):
// every parameter but Signature, its name and value percent-encoded (RFC 3986, %20 for a
// space), sorted by encoded name and joined as name=value with "&"; then
// METHOD + "&" + pct("/") + "&" + pct(that), the canonical string encoded a second time.
func rpcStringToSign(method string, params url.Values) string {
	var pairs []string
	for name, values := range params {
		if name == "Signature" {
			continue
		}
		for _, v := range values {
			pairs = append(pairs, uriEncode(name, false)+"="+uriEncode(v, false))
		}
	}
	slices.SortFunc(pairs, func(a, b string) int {
		an, _, _ := strings.Cut(a, "=")
		bn, _, _ := strings.Cut(b, "=")
		if c := strings.Compare(an, bn); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return method + "&" + uriEncode("/", false) + "&" + uriEncode(strings.Join(pairs, "&"), false)
}

// rpcSignature is Base64(HMAC-SHA1(secret + "&", stringToSign)).
func rpcSignature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// nonceCache remembers the SignatureNonce values of accepted STS requests, to refuse replays.
type nonceCache struct {
	mu        sync.Mutex
	seen      map[string]time.Time
	lastPrune time.Time
}

// newNonceCache returns an empty cache.
func newNonceCache() *nonceCache { return &nonceCache{seen: map[string]time.Time{}} }

// use records nonce at now and reports whether it was unused. A nonce older than twice the
// allowed skew is forgotten: its request's Timestamp is refused by then anyway.
func (n *nonceCache) use(nonce string, now time.Time) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if now.Sub(n.lastPrune) > time.Minute {
		for k, t := range n.seen {
			if now.Sub(t) > 2*maxSkew {
				delete(n.seen, k)
			}
		}
		n.lastPrune = now
	}
	if _, used := n.seen[nonce]; used {
		return false
	}
	n.seen[nonce] = now
	return true
}
